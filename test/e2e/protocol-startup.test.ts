/** Connection startup: encryption requests, the StartupMessage, key data and startup failures. */
import { connect } from 'node:net';
import pg from 'pg';
import type { BackendKeyDataMessage } from 'pg-protocol/dist/messages.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../unit/server/support/test-server.js';
import { serialize, startupPacket, WireClient } from '../unit/server/support/wire-client.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

/** Sends `first`, expects exactly one byte back, then completes a startup on the same socket. */
async function negotiate(first: Buffer): Promise<{ answer: string; afterwards: string[] }> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  socket.write(first);
  while (received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const answer = received.subarray(0, 1).toString('latin1');
  socket.write(startupPacket(3, 0, { user: 'u' }));
  socket.write(serialize.query('select n from generate_series(1, 1) as n'));
  while (!received.includes(Buffer.from('SELECT 1\0'))) await new Promise((resolve) => setTimeout(resolve, 5));
  socket.destroy();
  const types: string[] = [];
  for (let at = 1; at < received.length; at += 1 + received.readInt32BE(at + 1)) types.push(String.fromCharCode(received[at] as number));
  return { answer, afterwards: types };
}

describe('startup', () => {
  test('SSLRequest is refused with N and the startup continues in plain text', async () => {
    const { answer, afterwards } = await negotiate(serialize.requestSsl());
    expect(answer).toBe('N');
    expect(afterwards[0]).toBe('R');
    expect(afterwards.slice(-4)).toEqual(['T', 'D', 'C', 'Z']);
  });

  test('GSSENCRequest is refused with N', async () => {
    const request = Buffer.alloc(8);
    request.writeInt32BE(8, 0);
    request.writeInt32BE(80877104, 4);
    const { answer, afterwards } = await negotiate(request);
    expect(answer).toBe('N');
    expect(afterwards.slice(-4)).toEqual(['T', 'D', 'C', 'Z']);
  });

  test('node-postgres with sslmode=prefer falls back to plain text', async () => {
    const client = new pg.Client({ host: server.host, port: server.port, user: 'u', database: 'd', ssl: false });
    await client.connect();
    expect((await client.query('select n from generate_series(1, 2) as n')).rowCount).toBe(2);
    await client.end();
  });

  test('AuthenticationOk, the engine\'s parameters in order, BackendKeyData, ReadyForQuery', async () => {
    const client = await WireClient.connect(server.port, { parameters: { application_name: 'probe', options: '-c TimeZone=Europe/Paris' } });
    const startup = client.summaries(0);
    expect(startup[0]).toBe('authenticationOk');
    expect(startup.slice(1, -2)).toEqual([
      'S application_name=probe',
      'S client_encoding=UTF8',
      'S DateStyle=ISO, MDY',
      'S integer_datetimes=on',
      'S IntervalStyle=postgres',
      'S is_superuser=on',
      'S server_encoding=UTF8',
      'S server_version=15.0 (Eventide 0.1.0)',
      'S session_authorization=eventide',
      'S standard_conforming_strings=on',
      'S TimeZone=Europe/Paris',
    ]);
    expect(startup.slice(-2)).toEqual(['backendKeyData', 'Z I']);
    client.destroy();
  });

  test('each session gets its own process id and secret', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, () => WireClient.connect(server.port)));
    const keys = clients.map((c) => c.messages.find((m) => m.name === 'backendKeyData') as BackendKeyDataMessage);
    expect(new Set(keys.map((k) => k.processID)).size).toBe(5);
    expect(new Set(keys.map((k) => k.secretKey)).size).toBe(5);
    for (const c of clients) c.destroy();
  });

  test('a newer 3.x minor version or _pq_ option gets NegotiateProtocolVersion', async () => {
    const client = await WireClient.connect(server.port, { startup: false });
    client.send(startupPacket(3, 2, { user: 'u', '_pq_.feature': 'on' }));
    await client.waitFor((ms) => ms.some((m) => m.name === 'readyForQuery'));
    const [first, second] = client.frames;
    expect(first?.type).toBe('v');
    // Newest supported version 3.0, one unrecognized option, its name.
    expect(first?.body).toEqual(Buffer.concat([Buffer.from([0, 3, 0, 0, 0, 0, 0, 1]), Buffer.from('_pq_.feature\0')]));
    expect(second?.type).toBe('R');
    client.destroy();
  });

  test('startup failures are FATAL and close the connection', async () => {
    const outcome = async (packet: Buffer) => {
      const client = await WireClient.connect(server.port, { startup: false });
      client.send(packet);
      await client.closed;
      return client.summaries(0);
    };
    expect(await outcome(startupPacket(2, 0, { user: 'u' }))).toEqual([
      'E FATAL 0A000 unsupported frontend protocol 2.0: server supports 3.0 to 3.0',
    ]);
    expect(await outcome(startupPacket(3, 0, { database: 'd' }))).toEqual(['E FATAL 28000 no PostgreSQL user name specified in startup packet']);
    expect(await outcome(startupPacket(3, 0, { user: 'u', bogus: 'x' }))).toEqual([
      'authenticationOk',
      'E FATAL 42704 unrecognized configuration parameter "bogus"',
    ]);
    expect(await outcome(startupPacket(3, 0, { user: 'u', options: '-c' }))).toEqual([
      'authenticationOk',
      'E FATAL 42601 invalid command-line argument for server process: -c',
    ]);
  });

  test('a CancelRequest connection gets no answer and is closed', async () => {
    const client = await WireClient.connect(server.port, { startup: false });
    client.send(serialize.cancel(1, 2));
    await client.closed;
    expect(client.raw.length).toBe(0);
  });
});
