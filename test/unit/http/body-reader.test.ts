/**
 * readBody over a real node:http server in this process: the per-request limit, the budget shared
 * by requests in flight (a request that would pass it is refused, and its bytes are given back),
 * and a client that goes away mid-body.
 */
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyBudget, BodyTooLarge, ClientGone, readBody, ServerBusy } from '../../../src/http/body-reader.js';

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  server = null;
});

/** A server whose handler reads the body, holds it until `release` resolves, and reports the outcome. */
async function serve(limitBytes: number, budget: BodyBudget, outcomes: string[], release: Promise<void>): Promise<number> {
  server = createServer((req, res) => {
    readBody(req, limitBytes, budget).then(
      async (body) => {
        outcomes.push(`ok ${body.length}`);
        await release;
        budget.give(body.length);
        res.end('ok');
      },
      (error: unknown) => {
        outcomes.push(error instanceof BodyTooLarge ? 'too large' : error instanceof ServerBusy ? 'busy' : error instanceof ClientGone ? 'gone' : String(error));
        res.end('no');
      },
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function send(port: number, bytes: number, chunked = false): Promise<void> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = chunked ? {} : { 'content-length': String(bytes) };
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', () => resolve());
    if (chunked) {
      for (let at = 0; at < bytes; at += 1000) req.write(Buffer.alloc(Math.min(1000, bytes - at), 120));
      req.end();
    } else {
      req.end(Buffer.alloc(bytes, 120));
    }
  });
}

describe('readBody', () => {
  it('refuses a body over the limit, declared or streamed, and gives its bytes back', async () => {
    const budget = new BodyBudget(1_000_000);
    const outcomes: string[] = [];
    const port = await serve(5_000, budget, outcomes, Promise.resolve());
    await send(port, 6_000);
    await send(port, 9_000, true);
    await send(port, 5_000);
    expect(outcomes).toEqual(['too large', 'too large', 'ok 5000']);
    expect(budget.usedBytes).toBe(0);
  });

  it('refuses a request that would pass the budget shared by requests in flight', async () => {
    const budget = new BodyBudget(10_000);
    const outcomes: string[] = [];
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const port = await serve(8_000, budget, outcomes, held);
    const first = send(port, 7_000);
    while (outcomes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await send(port, 4_000); // declared: refused before reading
    await send(port, 4_000, true); // streamed: refused once it passes the budget
    expect(outcomes).toEqual(['ok 7000', 'busy', 'busy']);
    expect(budget.usedBytes).toBe(7_000);
    release();
    await first;
    await send(port, 4_000);
    expect(outcomes.at(-1)).toBe('ok 4000');
    expect(budget.usedBytes).toBe(0);
  });

  it('fails the read of a client that goes away mid-body, holding nothing', async () => {
    const budget = new BodyBudget(1_000_000);
    const outcomes: string[] = [];
    const port = await serve(100_000, budget, outcomes, Promise.resolve());
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 50000\r\n\r\n' + 'x'.repeat(20_000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    while (outcomes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(outcomes).toEqual(['gone']);
    expect(budget.usedBytes).toBe(0);
  });
});
