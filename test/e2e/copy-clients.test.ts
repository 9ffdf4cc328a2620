/**
 * COPY through real clients and real failures: psql's \copy both ways, a COPY in a transaction
 * block, several statements around a COPY in one Query, a client that vanishes mid-COPY, a cancel
 * mid-COPY, an unexpected message during COPY, and kill -9 before and after CopyDone. Nothing of a
 * COPY that did not complete is ever visible; everything of one that did survives a crash.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientConfig, startServer, type RunningServer } from '../support/server.js';
import { message, serialize, WireClient } from '../unit/server/support/wire-client.js';
import { sendCancelRequest } from './clients-wire-client.js';

const ddl = (name: string) => `CREATE TABLE ${name} (id bigint NOT NULL, ts timestamptz, label text, n numeric(12,2)) PARTITION BY HASH (id) WITH (partitions = 4)`;
const csvRows = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `${from + k},2024-01-01 00:00:${String((from + k) % 60).padStart(2, '0')}+00,"row, ${from + k}",${(from + k) % 1000}.25\n`).join('');

async function withClient<T>(server: RunningServer, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(clientConfig(server));
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const count = (server: RunningServer, table: string) => withClient(server, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));

const hasPsql = spawnSync('psql', ['--version']).status === 0;

describe('COPY with real clients', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });

  test.skipIf(!hasPsql)("psql's \\copy loads a CSV file and writes it back byte for byte", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventide-copy-'));
    const input = join(dir, 'in.csv');
    const output = join(dir, 'out.csv');
    writeFileSync(input, `id,ts,label,n\n${csvRows(0, 5000)}`);
    await withClient(server, (c) => c.query(ddl('psql_copy')));
    const psql = (command: string) =>
      spawnSync('psql', ['-h', server.host, '-p', String(server.port), '-U', 'eventide', '-d', 'eventide', '-v', 'ON_ERROR_STOP=1', '-c', command], { encoding: 'utf8' });
    const load = psql(`\\copy psql_copy from '${input}' with (format csv, header true)`);
    expect(load.stderr).toBe('');
    expect(load.stdout.trim()).toBe('COPY 5000');
    const dump = psql(`\\copy (select * from psql_copy order by id) to '${output}' with (format csv, header true)`);
    expect(dump.stdout.trim()).toBe('COPY 5000');
    expect(readFileSync(output, 'utf8')).toBe(readFileSync(input, 'utf8'));
  });

  test('COPY in a transaction block is seen by the block, stored at COMMIT, dropped by ROLLBACK', async () => {
    await withClient(server, async (c) => {
      await c.query(ddl('tx_copy'));
      await c.query('BEGIN');
      await pipeline(Readable.from([csvRows(0, 10)]), c.query(copyFrom('COPY tx_copy FROM STDIN (FORMAT csv)')));
      expect((await c.query('SELECT count(*) AS n FROM tx_copy')).rows[0].n).toBe('10');
      await c.query('ROLLBACK');
      expect((await c.query('SELECT count(*) AS n FROM tx_copy')).rows[0].n).toBe('0');
      await c.query('BEGIN');
      await pipeline(Readable.from([csvRows(0, 7)]), c.query(copyFrom('COPY tx_copy FROM STDIN (FORMAT csv)')));
      await c.query('COMMIT');
    });
    expect(await count(server, 'tx_copy')).toBe(7);
  });

  test('statements before and after a COPY in one Query run in order around it', async () => {
    await withClient(server, (c) => c.query(ddl('multi_copy')));
    const client = await WireClient.connect(server.port);
    client.send(message('Q', 'INSERT INTO multi_copy VALUES (100, NULL, NULL, NULL); COPY multi_copy (id) FROM STDIN; SELECT count(*) FROM multi_copy\0'));
    await client.waitFor((m) => m.some((x) => x.name === 'copyInResponse'));
    client.send(message('d', '1\n2\n'), message('c'));
    await client.waitForReady(1);
    const summaries = client.summaries();
    expect(summaries.filter((s) => s.startsWith('C '))).toEqual(['C INSERT 0 1', 'C COPY 2', 'C SELECT 1']);
    expect(summaries).toContain('D ["3"]');
    client.end();
  });

  test('a client that vanishes mid-COPY stores nothing and the server carries on', async () => {
    await withClient(server, (c) => c.query(ddl('gone_copy')));
    const client = await WireClient.connect(server.port);
    client.send(message('Q', 'COPY gone_copy FROM STDIN (FORMAT csv)\0'));
    await client.waitFor((m) => m.some((x) => x.name === 'copyInResponse'));
    client.send(message('d', csvRows(0, 1000)), message('d', '1000,2024-01-01'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count(server, 'gone_copy')).toBe(0);
  });

  test('CopyFail and an unexpected message end the COPY with an error; the connection survives', async () => {
    await withClient(server, (c) => c.query(ddl('fail_copy')));
    const client = await WireClient.connect(server.port);
    client.send(message('Q', 'COPY fail_copy (id) FROM STDIN\0'));
    await client.waitFor((m) => m.some((x) => x.name === 'copyInResponse'));
    client.send(message('d', '1\n'), message('f', 'client changed its mind\0'));
    await client.waitForReady(1);
    client.send(message('Q', 'COPY fail_copy (id) FROM STDIN\0'));
    await client.waitFor((m) => m.filter((x) => x.name === 'copyInResponse').length === 2);
    client.send(message('d', '2\n'), serialize.parse({ text: 'SELECT 1' }));
    await client.waitForReady(2);
    client.send(message('Q', 'SELECT count(*) FROM fail_copy\0'));
    await client.waitForReady(3);
    const errors = client.summaries().filter((s) => s.startsWith('E '));
    expect(errors).toEqual(['E ERROR 57014 COPY from stdin failed: client changed its mind', 'E ERROR 08P01 unexpected message type 0x50 during COPY from stdin']);
    expect(client.summaries()).toContain('D ["0"]');
    client.end();
  });

  test('a cancel request mid-COPY stops it with 57014 and stores nothing', async () => {
    await withClient(server, (c) => c.query(ddl('cancel_copy')));
    const client = new pg.Client(clientConfig(server));
    await client.connect();
    const stream = client.query(copyFrom('COPY cancel_copy FROM STDIN (FORMAT csv)'));
    const done = new Promise<Error | null>((resolve) => {
      stream.on('error', resolve);
      stream.on('finish', () => resolve(null));
    });
    stream.write(csvRows(0, 500));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const keys = client as unknown as { processID: number; secretKey: number };
    await sendCancelRequest(server.host, server.port, keys.processID, keys.secretKey);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The cancel is seen at the next CopyData.
    stream.write(csvRows(500, 501));
    stream.end();
    const error = await done;
    expect(error?.message ?? '').toMatch(/cancel/);
    await client.end().catch(() => undefined);
    expect(await count(server, 'cancel_copy')).toBe(0);
  });
});

describe('COPY and kill -9', () => {
  test('a COPY killed before CopyDone leaves nothing; an acknowledged one survives whole', async () => {
    let server = await startServer();
    try {
      await withClient(server, (c) => c.query(ddl('crash_copy')));
      await withClient(server, (c) => pipeline(Readable.from([csvRows(0, 100_000)]), c.query(copyFrom('COPY crash_copy FROM STDIN (FORMAT csv)'))));
      // A second COPY that never finishes.
      const client = await WireClient.connect(server.port);
      client.send(message('Q', 'COPY crash_copy FROM STDIN (FORMAT csv)\0'));
      await client.waitFor((m) => m.some((x) => x.name === 'copyInResponse'));
      client.send(message('d', csvRows(100_000, 110_000)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.kill();
      server = await startServer({ dataDir: server.dataDir });
      expect(await count(server, 'crash_copy')).toBe(100_000);
      const sum = await withClient(server, async (c) => (await c.query('SELECT sum(id) AS s FROM crash_copy')).rows[0].s);
      expect(sum).toBe(String((100_000 * 99_999) / 2));
    } finally {
      await server.stop();
    }
  }, 60_000);
});
