/**
 * The HTTP endpoint over a database whose disk fails: a request whose commit cannot be made
 * durable gets 503 with Retry-After (never 200, never 500), its rows are not visible, and the
 * endpoint keeps answering. Runs the real HttpServer and SqlEngine in process, over a file system
 * layer that fails fsync on demand (test/unit/storage/faulty-fs.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../storage/database.js';
import { SqlEngine } from '../../../src/sql/engine.js';
import { HttpServer } from '../../../src/http/http-server.js';
import type { SessionContext } from '../../../src/engine.js';
import { errno, FaultyFileSystem } from '../storage/faulty-fs.js';
import { httpRequest } from '../../e2e/http-support.js';

const dir = mkdtempSync(join(tmpdir(), 'eventide-http-faults-'));
const fs = new FaultyFileSystem();
let database: Database;
let engine: SqlEngine;
let server: HttpServer;
let port: number;
const session: SessionContext = { processId: 1, user: 'test', database: 'eventide', settings: new Map(), transactionStatus: 'I' };

async function sql(text: string): Promise<unknown[][]> {
  const [statement] = engine.parse(text);
  const result = await engine.bind(statement as never, [], session).execute([], { session, signal: new AbortController().signal });
  const rows: unknown[][] = [];
  for await (const batch of result.rows ?? []) {
    for (let r = 0; r < batch.length; r++) rows.push(batch.columns.map((c) => (c.kind === 'string' ? c.values[r] : Number(c.values[r]))));
  }
  return rows;
}

beforeAll(async () => {
  database = await Database.open(dir, { fileSystem: fs });
  engine = new SqlEngine(database);
  await sql('CREATE TABLE t (id int NOT NULL, note text)');
  server = new HttpServer({ host: '127.0.0.1', port: 0, engine, maxBodyBytes: 2 ** 20 });
  port = (await server.listen()).port;
});

afterAll(async () => {
  await server?.close();
  await engine?.close();
  await database?.close({ checkpoint: false }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP ingest when the disk fails', () => {
  it('answers 503 with Retry-After once commits cannot be made durable, and stores nothing more', async () => {
    const ok = await httpRequest(port, '/v1/events/t', { body: '{"id":1}\n{"id":2}\n', contentType: 'application/x-ndjson' });
    expect(ok.status).toBe(200);
    fs.rule = (operation) => (operation === 'datasync' ? errno('EIO', 'i/o error') : null);
    const failed = await httpRequest(port, '/v1/events/t', { body: '{"id":3}\n', contentType: 'application/x-ndjson' });
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('5');
    expect(failed.json.sqlstate).toBe('58030');
    fs.rule = null;
    // The database does not trust the disk again until it is reopened.
    const after = await httpRequest(port, '/v1/events/t', { body: '{"id":4}\n', contentType: 'application/x-ndjson' });
    expect(after.status).toBe(503);
    expect(await sql('SELECT id FROM t ORDER BY id')).toEqual([[1], [2]]);
    // Bad input is still answered as bad input.
    expect((await httpRequest(port, '/v1/events/t', { body: 'nope\n', contentType: 'application/x-ndjson' })).status).toBe(400);
  });
});
