/**
 * Generated data against a real PostgreSQL: every value loads into its column type (through
 * COPY CSV and through prepared multi-row INSERTs, the two loaders of the benchmark) and reads
 * back as exactly the text the generator produced. Skipped when PostgreSQL is not installed.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFromStdin } from '../../../bench/copy-from-stdin.js';
import { usersCsv } from '../../../bench/csv.js';
import { EventsGenerator } from '../../../bench/events-generator.js';
import { createEventsTableSql, createUsersTableSql } from '../../../bench/events-schema.js';
import { eventRowText } from '../../../bench/events-text.js';
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from '../../../bench/peers/postgres-cluster.js';
import { UsersGenerator, userRowText } from '../../../bench/users-generator.js';
import { loadUsersOverWire } from '../../../bench/users-loader.js';
import { loadEventsOverWire } from '../../../bench/wire-loader.js';

const installed = findPostgresBinDir() !== null;
const rawText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

function expectedEvents(seed: number, rows: number): string[] {
  const out: string[] = [];
  for (const chunk of new EventsGenerator({ rows, seed, chunkRows: 700 }).chunks()) {
    for (let row = 0; row < chunk.rowCount; row++) out.push(JSON.stringify(eventRowText(chunk, row)));
  }
  return out;
}

describe.skipIf(!installed)('generated events in PostgreSQL', () => {
  let cluster: PostgresCluster;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    for (let i = 0; i < 2; i++) {
      const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, database: cluster.database, types: rawText });
      await client.connect();
      clients.push(client);
    }
    await clients[0]!.query(createEventsTableSql('postgres'));
    await clients[0]!.query(createUsersTableSql('postgres'));
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) await client.end();
    await cluster?.stop();
  });

  it('loads by COPY and by multi-row INSERT and reads back the same text', async () => {
    const copied = await loadEventsOverWire(clients, new EventsGenerator({ rows: 3_000, seed: 3, chunkRows: 700 }), {
      method: 'copy',
      connections: 2,
      batchRows: 1_000,
    });
    const inserted = await loadEventsOverWire(clients, new EventsGenerator({ rows: 2_000, seed: 4, chunkRows: 700 }), {
      method: 'insert',
      connections: 2,
      batchRows: 300,
    });
    expect([copied.rows, inserted.rows]).toEqual([3_000, 2_000]);
    const result = await clients[0]!.query<string[]>({ text: 'SELECT * FROM events', rowMode: 'array' });
    const actual = result.rows.map((row) => JSON.stringify(row)).sort();
    const expected = [...expectedEvents(3, 3_000), ...expectedEvents(4, 2_000)].sort();
    expect(actual.length).toBe(5_000);
    expect(actual).toEqual(expected);
  });

  it('loads users by COPY and reads back the same text', async () => {
    const generator = new UsersGenerator({ rows: 5_000, seed: 3 });
    const chunks = [...generator.chunks()];
    async function* csv() {
      for (const chunk of chunks) yield Buffer.from(usersCsv(chunk));
    }
    expect(await copyFromStdin(clients[0]!, 'COPY users FROM STDIN WITH (FORMAT csv)', csv())).toBe(100);
    const result = await clients[0]!.query<string[]>({ text: 'SELECT * FROM users ORDER BY user_id', rowMode: 'array' });
    const expected = chunks.flatMap((chunk) => Array.from({ length: chunk.rowCount }, (_, r) => userRowText(chunk, r)));
    expect(result.rows).toEqual(expected);
  });

  it('loads users by multi-row INSERT from several connections, every user once', async () => {
    await clients[0]!.query('TRUNCATE users');
    const loaded = await loadUsersOverWire(clients, new UsersGenerator({ rows: 12_000, seed: 5 }), 70);
    expect(loaded.rows).toBe(240);
    const result = await clients[0]!.query<string[]>({ text: 'SELECT * FROM users ORDER BY user_id', rowMode: 'array' });
    const chunks = [...new UsersGenerator({ rows: 12_000, seed: 5 }).chunks()];
    expect(result.rows).toEqual(chunks.flatMap((chunk) => Array.from({ length: chunk.rowCount }, (_, r) => userRowText(chunk, r))));
  });

  it('fails a COPY with the server error and leaves the connection usable', async () => {
    async function* bad() {
      yield Buffer.from('not a timestamp,1,s-1-1,page_view,/,,,desktop,Linux,Chrome,f,,,\n');
    }
    await expect(copyFromStdin(clients[1]!, 'COPY events FROM STDIN WITH (FORMAT csv)', bad())).rejects.toMatchObject({ code: '22007' });
    const count = await clients[1]!.query<{ count: string }>('SELECT count(*) FROM events');
    expect(count.rows[0]!.count).toBe('5000');
  });
});
