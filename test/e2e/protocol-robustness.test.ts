/**
 * Hostile and careless clients: one that stops reading, garbage, bogus lengths, unknown message
 * types, truncated messages, floods of pipelined input and random bytes. The server answers as
 * PostgreSQL would, never crashes, never buffers without bound, and keeps serving others.
 */
import fc from 'fast-check';
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../unit/server/support/test-server.js';
import { message, serialize, startupPacket, WireClient } from '../unit/server/support/wire-client.js';

const maxMessageBytes = 4 * 1024 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ maxMessageBytes });
});

afterAll(async () => {
  await server.close();
});

/** The server still serves a fresh client. */
async function stillServes(): Promise<void> {
  const client = new pg.Client({ host: server.host, port: server.port, user: 'u', database: 'd' });
  await client.connect();
  const result = await client.query('select n from generate_series(1, 3) as n');
  expect(result.rowCount).toBe(3);
  await client.end();
}

async function rawSocket(): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

/** Counts DataRow messages in a byte stream without keeping the bytes. */
class DataRowCounter {
  rows = 0;
  completed = false;
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    while (this.pending.length - at >= 5) {
      const length = this.pending.readInt32BE(at + 1);
      if (this.pending.length - at < length + 1) break;
      const type = this.pending[at];
      if (type === 0x44) this.rows++;
      if (type === 0x43) this.completed = true;
      at += length + 1;
    }
    this.pending = this.pending.subarray(at);
  }
}

describe('backpressure', () => {
  const wideRows = (n: number) => `select n, repeat('x', 1000) as label from generate_series(1, ${n}) as n`;

  test('a client that stops reading does not make the server produce the whole result', async () => {
    const socket = await rawSocket();
    const counter = new DataRowCounter();
    socket.on('data', (chunk: Buffer) => counter.push(chunk));
    socket.write(startupPacket(3, 0, { user: 'u' }));
    socket.write(serialize.query(wideRows(500_000))); // about 500 MB of rows
    await eventually(() => counter.rows > 0);
    socket.pause();
    const before = server.engine.stats.batchesYielded;
    // Wait until production stops: it waits on the socket, after at most a few MB in buffers.
    let produced = -1;
    for (let i = 0; i < 40 && server.engine.stats.batchesYielded !== produced; i++) {
      produced = server.engine.stats.batchesYielded;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(server.engine.stats.batchesYielded).toBe(produced);
    expect(produced - before).toBeLessThan(40);
    expect(server.engine.stats.openIterators).toBe(1);
    socket.destroy();
    await eventually(() => server.engine.stats.openIterators === 0);
  });

  test('a client that pauses and resumes receives every row', async () => {
    const socket = await rawSocket();
    const counter = new DataRowCounter();
    socket.on('data', (chunk: Buffer) => counter.push(chunk));
    socket.write(startupPacket(3, 0, { user: 'u' }));
    socket.write(serialize.query(wideRows(30_000)));
    await eventually(() => counter.rows > 0);
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.resume();
    await eventually(() => counter.completed, 20_000);
    expect(counter.rows).toBe(30_000);
    socket.destroy();
  });
});

describe('protocol violations', () => {
  test('an unknown message type is FATAL and closes only that connection', async () => {
    const other = await WireClient.connect(server.port);
    const client = await WireClient.connect(server.port);
    client.send(Buffer.from('zzzz garbage'));
    await client.closed;
    expect(client.summaries()).toEqual(['E FATAL 08P01 invalid frontend message type 122']);
    other.send(serialize.query('select n from generate_series(1, 1) as n'));
    await other.waitForReady(1);
    expect(other.summaries().at(-2)).toBe('C SELECT 1');
    other.destroy();
    await stillServes();
  });

  test('a length below 4 or above maxMessageBytes is FATAL 08P01', async () => {
    for (const header of [Buffer.from([0x51, 0, 0, 0, 3]), Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff])]) {
      const client = await WireClient.connect(server.port);
      client.send(header);
      await client.closed;
      expect(client.summaries()).toEqual(['E FATAL 08P01 invalid message length']);
    }
    const client = await WireClient.connect(server.port);
    const tooLong = Buffer.alloc(5);
    tooLong[0] = 0x51;
    tooLong.writeInt32BE(maxMessageBytes + 1, 1);
    client.send(tooLong);
    await client.closed;
    expect(client.summaries()).toEqual(['E FATAL 08P01 invalid message length']);
    await stillServes();
  });

  test('a message as large as the limit allows is accepted', async () => {
    const client = await WireClient.connect(server.port);
    const sql = `select n from generate_series(1, 2) as n${' '.repeat(maxMessageBytes - 100)}`;
    client.send(serialize.query(sql));
    await client.waitForReady(1);
    expect(client.summaries().slice(-2)).toEqual(['C SELECT 2', 'Z I']);
    client.destroy();
  });

  test('garbage instead of a startup packet', async () => {
    const client = await WireClient.connect(server.port, { startup: false });
    client.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await client.closed;
    expect(client.summaries(0)).toEqual(['E FATAL 08P01 invalid length of startup packet']);
    await stillServes();
  });

  test('a truncated message followed by a closed socket', async () => {
    const client = await WireClient.connect(server.port);
    const query = serialize.query('select n from generate_series(1, 1) as n');
    client.send(query.subarray(0, 9));
    client.end();
    await client.closed;
    expect(client.summaries()).toEqual([]);
    const startup = startupPacket(3, 0, { user: 'u' });
    const early = await WireClient.connect(server.port, { startup: false });
    early.send(startup.subarray(0, 6));
    early.end();
    await early.closed;
    await stillServes();
    expect(server.logs).toEqual([]);
  });

  test('a message that arrives a byte at a time is answered once complete', async () => {
    const client = await WireClient.connect(server.port);
    const bytes = serialize.query('select n from generate_series(1, 2) as n');
    for (const byte of bytes) {
      client.send(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await client.waitForReady(1);
    expect(client.summaries().slice(-2)).toEqual(['C SELECT 2', 'Z I']);
    client.destroy();
  });
});

describe('pipelined input', () => {
  test('thousands of queries in one write are answered in order', async () => {
    const client = await WireClient.connect(server.port);
    const count = 5000;
    // About 5 MB of input, beyond the point where the server stops reading until it catches up.
    const padding = ' '.repeat(1000);
    const queries = Array.from({ length: count }, (_, i) => serialize.query(`select n from generate_series(1, ${(i % 3) + 1}) as n${padding}`));
    client.send(...queries);
    await client.waitForReady(count, 30_000);
    const tags = client.summaries().filter((s) => s.startsWith('C '));
    expect(tags).toHaveLength(count);
    expect(tags.every((tag, i) => tag === `C SELECT ${(i % 3) + 1}`)).toBe(true);
    client.destroy();
  });

  test('while a query runs, pipelined input beyond a high-water mark is left unread', async () => {
    const client = await WireClient.connect(server.port);
    const padding = ' '.repeat(10_000);
    const count = 2000; // about 20 MB
    client.send(serialize.query('select eventide_sleep(1000)'));
    client.send(...Array.from({ length: count }, () => serialize.query(`select n from generate_series(1, 1) as n${padding}`)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The server stopped reading, so most of the input still waits on the client's side.
    expect(client.socket.writableLength).toBeGreaterThan(5 * 1024 * 1024);
    await client.waitForReady(count + 1, 30_000);
    expect(client.summaries().filter((s) => s === 'C SELECT 1')).toHaveLength(count);
    client.destroy();
  });

  test('replies that nobody reads stop the session, instead of piling up in memory', async () => {
    const socket = await rawSocket();
    socket.write(startupPacket(3, 0, { user: 'u' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.pause();
    // 300 queries whose errors quote a 100 KB word: 30 MB in, 30 MB of ErrorResponses out.
    const query = serialize.query(`${'w'.repeat(100_000)} 1`);
    socket.write(Buffer.concat(Array.from({ length: 300 }, () => query)));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Once the replies fill the socket buffers, the session waits and stops reading the client.
    expect(socket.writableLength).toBeGreaterThan(10 * 1024 * 1024);
    socket.destroy();
    await stillServes();
  });

  test('an extended-protocol flood with an error in the middle skips exactly to its Sync', async () => {
    const client = await WireClient.connect(server.port);
    const good = [serialize.parse({ text: 'select n from generate_series(1, 1) as n' }), serialize.bind({}), serialize.execute(), serialize.sync()];
    const bad = [serialize.parse({ text: 'selec 1' }), serialize.bind({}), serialize.execute(), serialize.sync()];
    const rounds = 300;
    const messages: Buffer[] = [];
    for (let i = 0; i < rounds; i++) messages.push(...(i % 10 === 5 ? bad : good));
    client.send(...messages);
    await client.waitForReady(rounds, 30_000);
    const summaries = client.summaries();
    expect(summaries.filter((s) => s === 'C SELECT 1')).toHaveLength(rounds - rounds / 10);
    expect(summaries.filter((s) => s.startsWith('E ERROR 42601'))).toHaveLength(rounds / 10);
    client.destroy();
  });
});

describe('random input', () => {
  const messageTypes = [...'QPBDCESHXFdcf'];

  test('random bytes before or after startup never crash the server or leak errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(
          fc.oneof(
            fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
            fc.tuple(fc.constantFrom(...messageTypes), fc.uint8Array({ maxLength: 40 })).map(([type, body]) => message(type, Buffer.from(body))),
          ),
          { maxLength: 8 },
        ),
        async (afterStartup, chunks) => {
          const client = await WireClient.connect(server.port, { startup: afterStartup });
          for (const chunk of chunks) client.send(chunk);
          await new Promise((resolve) => setTimeout(resolve, 5));
          client.destroy();
        },
      ),
      { numRuns: 150 },
    );
    await stillServes();
    expect(server.logs).toEqual([]);
    await eventually(() => server.engine.stats.openIterators === 0);
  });
});
