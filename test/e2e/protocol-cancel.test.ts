/**
 * Stopping queries: CancelRequest on a second connection, a client that vanishes mid-query, and
 * server shutdown. Each must abort the query's signal and return its row iterator to the engine.
 */
import { connect } from 'node:net';
import type { BackendKeyDataMessage } from 'pg-protocol/dist/messages.js';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../unit/server/support/test-server.js';
import { hangAfterAbortMs } from '../unit/server/support/test-engine.js';
import { serialize, WireClient } from '../unit/server/support/wire-client.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

// Every query a test started must have given its rows back to the engine before the next test.
const clients: WireClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await eventually(() => server.engine.stats.openIterators === 0, hangAfterAbortMs + 3000);
});

async function connectClient(): Promise<WireClient> {
  const client = await WireClient.connect(server.port);
  clients.push(client);
  return client;
}

function keys(client: WireClient): { processId: number; secretKey: number } {
  const message = client.messages.find((m) => m.name === 'backendKeyData') as BackendKeyDataMessage | undefined;
  if (message === undefined) throw new Error('no BackendKeyData');
  return { processId: message.processID, secretKey: message.secretKey };
}

/** Sends a CancelRequest on a new connection and waits until the server closes it. */
async function sendCancel(port: number, processId: number, secretKey: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(serialize.cancel(processId, secretKey));
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  // PostgreSQL answers a CancelRequest with nothing at all.
  expect(Buffer.concat(received).length).toBe(0);
}

const rowsSoFar = (client: WireClient) => client.messages.filter((m) => m.name === 'dataRow').length;

describe('query cancellation', () => {
  test('CancelRequest stops a running query with 57014 and the session goes on', async () => {
    const client = await connectClient();
    client.send(serialize.query('select eventide_slow(5)'));
    await client.waitFor(() => rowsSoFar(client) >= 3);
    const { processId, secretKey } = keys(client);
    await sendCancel(server.port, processId, secretKey);
    await client.waitForReady(1);
    expect(client.summaries().slice(-2)).toEqual(['E ERROR 57014 canceling statement due to user request', 'Z I']);
    expect(server.engine.stats.signals.at(-1)?.aborted).toBe(true);
    await eventually(() => server.engine.stats.openIterators === 0);
    client.send(serialize.query('select n from generate_series(1, 2) as n'));
    await client.waitForReady(2);
    expect(client.summaries().slice(-3)).toEqual(['D ["2"]', 'C SELECT 2', 'Z I']);
    client.destroy();
  });

  test('wrong keys are ignored without a word', async () => {
    const client = await connectClient();
    client.send(serialize.query('select eventide_slow(5)'));
    await client.waitFor(() => rowsSoFar(client) >= 1);
    const { processId, secretKey } = keys(client);
    await sendCancel(server.port, processId, secretKey ^ 1);
    await sendCancel(server.port, processId + 1_000_000, secretKey);
    const before = rowsSoFar(client);
    await client.waitFor(() => rowsSoFar(client) >= before + 5);
    expect(client.messages.some((m) => m.name === 'error')).toBe(false);
    await sendCancel(server.port, processId, secretKey);
    await client.waitForReady(1);
    expect(client.summaries().at(-2)).toBe('E ERROR 57014 canceling statement due to user request');
    client.destroy();
  });

  test('a query that ignores its signal is still answered at once', async () => {
    const client = await connectClient();
    client.send(serialize.parse({ text: 'select eventide_hang()' }), serialize.bind({}), serialize.execute(), serialize.sync());
    await client.waitFor((ms) => ms.some((m) => m.name === 'bindComplete'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { processId, secretKey } = keys(client);
    await sendCancel(server.port, processId, secretKey);
    await client.waitForReady(1);
    expect(client.summaries()).toEqual(['parseComplete', 'bindComplete', 'E ERROR 57014 canceling statement due to user request', 'Z I']);
    // The answer came while the engine was still busy with the query.
    expect(server.engine.stats.openIterators).toBe(1);
    await eventually(() => server.engine.stats.openIterators === 0, hangAfterAbortMs + 3000);
    client.destroy();
  });

  test('a query whose batches never wait for I/O can still be cancelled', async () => {
    const client = await connectClient();
    client.send(serialize.query('select eventide_busy(2)'));
    await client.waitFor(() => rowsSoFar(client) >= 3);
    const { processId, secretKey } = keys(client);
    await sendCancel(server.port, processId, secretKey);
    await client.waitForReady(1);
    expect(client.summaries().slice(-2)).toEqual(['E ERROR 57014 canceling statement due to user request', 'Z I']);
    client.destroy();
  });

  test('a cancel while idle does not touch the next query', async () => {
    const client = await connectClient();
    const { processId, secretKey } = keys(client);
    await sendCancel(server.port, processId, secretKey);
    client.send(serialize.query('select n from generate_series(1, 3) as n'));
    await client.waitForReady(1);
    expect(client.summaries().slice(-2)).toEqual(['C SELECT 3', 'Z I']);
    client.destroy();
  });

  test('a cancel inside a transaction block leaves it failed, as any error does', async () => {
    const client = await connectClient();
    client.send(serialize.query('begin'), serialize.query('select eventide_slow(5)'));
    await client.waitFor(() => rowsSoFar(client) >= 1);
    const { processId, secretKey } = keys(client);
    await sendCancel(server.port, processId, secretKey);
    await client.waitForReady(2);
    expect(client.summaries().at(-1)).toBe('Z E');
    client.destroy();
  });
});

describe('clients that go away', () => {
  test('a client vanishing mid-query aborts the query and frees its rows', async () => {
    const client = await connectClient();
    const signalsBefore = server.engine.stats.signals.length;
    client.send(serialize.query('select eventide_slow(2)'));
    await client.waitFor(() => rowsSoFar(client) >= 2);
    expect(server.engine.stats.openIterators).toBe(1);
    client.destroy();
    await eventually(() => server.engine.stats.openIterators === 0);
    expect(server.engine.stats.signals[signalsBefore]?.aborted).toBe(true);
  });

  test('a client that half-closes mid-query also stops it', async () => {
    const client = await connectClient();
    client.send(serialize.query('select eventide_slow(2)'));
    await client.waitFor(() => rowsSoFar(client) >= 2);
    client.end();
    await eventually(() => server.engine.stats.openIterators === 0);
    await client.closed;
  });

  test('a hanging query of a vanished client is abandoned', async () => {
    const client = await connectClient();
    const signalsBefore = server.engine.stats.signals.length;
    client.send(serialize.query('select eventide_hang()'));
    await eventually(() => server.engine.stats.signals.length > signalsBefore);
    client.destroy();
    await eventually(() => server.engine.stats.signals[signalsBefore]?.aborted === true);
    await eventually(() => server.engine.stats.openIterators === 0, hangAfterAbortMs + 3000);
  });
});

describe('server shutdown', () => {
  test('close() ends idle and busy sessions with FATAL 57P01 and stops listening', async () => {
    const own = await startTestServer();
    const idle = await WireClient.connect(own.port);
    const busy = await WireClient.connect(own.port);
    busy.send(serialize.query('select eventide_slow(5)'));
    await busy.waitFor(() => rowsSoFar(busy) >= 1);
    await own.close();
    await Promise.all([idle.closed, busy.closed]);
    for (const client of [idle, busy]) {
      expect(client.summaries().at(-1)).toBe('E FATAL 57P01 terminating connection due to administrator command');
    }
    expect(own.engine.stats.openIterators).toBe(0);
    await expect(WireClient.connect(own.port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
