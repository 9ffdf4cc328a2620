/**
 * The HTTP endpoint under abuse: bodies over the limit (declared and streamed), clients that
 * vanish mid-body or stall, and the server taking ordinary requests right after each.
 */
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, postEvents, query, startHttpServer, type HttpServer } from './http-support.js';

let server: HttpServer;

beforeAll(async () => {
  server = await startHttpServer({ args: ['--http-max-body-mb', '1'] });
  await query(server, 'CREATE TABLE t (id int NOT NULL, note text)');
});

afterAll(async () => {
  await server?.stop();
});

function lines(from: number, count: number, noteBytes = 40): string {
  let out = '';
  for (let id = from; id < from + count; id++) out += `${JSON.stringify({ id, note: 'n'.repeat(noteBytes) })}\n`;
  return out;
}

async function count(): Promise<number> {
  return Number((await query(server, 'SELECT count(*) AS n FROM t'))[0].n);
}

async function stillServes(): Promise<void> {
  const before = await count();
  const answer = await postEvents(server.httpPort, 't', lines(1_000_000 + before, 3));
  expect(answer.json).toEqual({ accepted: 3, rejected: 0, errors: [] });
  expect(await count()).toBe(before + 3);
}

describe('HTTP limits', () => {
  it('answers 413 to a body declared over the limit, stores nothing, and carries on', async () => {
    const before = await count();
    const body = lines(0, 20_000, 100); // about 2.4 MB
    expect(body.length).toBeGreaterThan(2 ** 20);
    const answer = await postEvents(server.httpPort, 't', body);
    expect(answer.status).toBe(413);
    expect(answer.json.limit_bytes).toBe(2 ** 20);
    expect(await count()).toBe(before);
    await stillServes();
  });

  it('answers 413 to a streamed body once it passes the limit', async () => {
    const before = await count();
    const answer = await httpRequest(server.httpPort, '/v1/events/t', { body: lines(0, 30_000, 100), contentType: 'application/x-ndjson', chunked: true });
    expect(answer.status).toBe(413);
    expect(await count()).toBe(before);
    await stillServes();
  });

  it('stores nothing of a request whose client disconnects mid-body', async () => {
    const before = await count();
    const body = Buffer.from(lines(5_000, 4_000));
    const socket = connect(server.httpPort, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST /v1/events/t HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-ndjson\r\ncontent-length: ${body.length}\r\n\r\n`);
    // Whole lines, so a server that stored what it had would store rows.
    const cut = body.indexOf(10, body.length >> 1) + 1;
    await new Promise<void>((resolve) => socket.write(body.subarray(0, cut), () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count()).toBe(before);
    await stillServes();
  });

  it('serves other clients while one stalls in its headers or its body', async () => {
    const stalled = connect(server.httpPort, '127.0.0.1');
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.write('POST /v1/events/t HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"id": 1');
    const health = await httpRequest(server.httpPort, '/health', { method: 'GET' });
    expect(health.status).toBe(200);
    await stillServes();
    stalled.destroy();
  });

  it('counts every bad line of a body full of them but details only the first 100', async () => {
    const before = await count();
    const body = `${lines(2_000_000, 2)}${'x\n'.repeat(200_000)}${lines(3_000_000, 1)}`;
    const answer = await postEvents(server.httpPort, 't', body);
    expect(answer.status).toBe(200);
    expect(answer.json.accepted).toBe(3);
    expect(answer.json.rejected).toBe(200_000);
    expect(answer.json.errors).toHaveLength(100);
    expect(answer.json.errors_omitted).toBe(199_900);
    // (The texts themselves are checked against PostgreSQL in http-ingest.test.ts.)
    expect(answer.json.errors[0]).toMatchObject({ line: 3, sqlstate: '22P02' });
    expect(answer.json.errors[99].line).toBe(102);
    expect(await count()).toBe(before + 3);
  });

  it('commits a request of more rows than one batch holds as one', async () => {
    const before = await count();
    let body = '';
    for (let id = 0; id < 70_000; id++) body += id % 10_000 === 0 ? 'bad\n' : `{"id":${id}}\n`;
    const answer = await postEvents(server.httpPort, 't', body);
    expect(answer.json).toMatchObject({ accepted: 69_993, rejected: 7 });
    const rows = await query(server, 'SELECT count(*)::int AS n, sum(id)::text AS s FROM t WHERE id < 70000');
    let sum = 0;
    for (let id = 0; id < 70_000; id++) if (id % 10_000 !== 0) sum += id;
    expect(rows).toEqual([{ n: 69_993, s: String(sum) }]);
    expect(await count()).toBe(before + 69_993);
  });

  it('takes gzip and deflate bodies, holding the limit to the inflated bytes', async () => {
    const before = await count();
    const send = (body: Buffer, encoding: string) => httpRequest(server.httpPort, '/v1/events/t', { body, contentType: 'application/x-ndjson', headers: { 'content-encoding': encoding } });
    expect((await send(gzipSync(lines(20_000_000, 5)), 'gzip')).json).toEqual({ accepted: 5, rejected: 0, errors: [] });
    expect((await send(deflateSync(lines(21_000_000, 4)), 'deflate')).json).toEqual({ accepted: 4, rejected: 0, errors: [] });
    // 32 MB of blanks in a few tens of KB: stopped at the limit while inflating.
    const bomb = gzipSync(Buffer.alloc(32 * 2 ** 20, 32));
    expect(bomb.length).toBeLessThan(2 ** 20);
    expect((await send(bomb, 'gzip')).status).toBe(413);
    const broken = await send(Buffer.from('this is not gzip'), 'gzip');
    expect(broken.status).toBe(400);
    expect(broken.json.message).toMatch(/not valid gzip data/);
    expect((await send(Buffer.from(lines(0, 1)), 'br')).status).toBe(415);
    expect(await count()).toBe(before + 9);
    await stillServes();
  });

  it('answers a malformed request with 400 and keeps listening', async () => {
    const socket = connect(server.httpPort, '127.0.0.1');
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
      socket.write('THIS IS NOT HTTP\r\n\r\n');
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    await stillServes();
  });
});
