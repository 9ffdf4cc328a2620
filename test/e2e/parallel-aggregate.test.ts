/**
 * Parallel aggregation seen from a client: the same data directory served with 0 and with 2
 * worker threads gives the same rows for every aggregate shape, the plan says where it ran, a
 * worker's error arrives as the same SQLSTATE, and a cancel stops a parallel query.
 */
import { cpSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, removeDir, startServer, tempDataDir, type RunningServer } from '../support/server.js';

let serial: RunningServer;
let parallel: RunningServer;
let serialClient: pg.Client;
let parallelClient: pg.Client;

/** Rows of the three loads: ids 1..3000 flushed in two checkpoints, 2901..3300 in the tail. */
const loads = [
  "SELECT i, 'g' || (i % 5), i % 7, (i % 50) * 1.25, i / 8.0, i % 3 = 0, CASE WHEN i % 11 = 0 THEN NULL ELSE i % 13 END, (i % 17) * 1.0 FROM generate_series(1, 1500) i",
  "SELECT i, 'g' || (i % 6), i % 7, (i % 50) * 1.25, i / 8.0, i % 3 = 0, CASE WHEN i % 11 = 0 THEN NULL ELSE i % 13 END, (i % 17) * 1.00 FROM generate_series(1501, 3000) i",
  "SELECT i, 'h' || (i % 3), i % 7, (i % 50) * 1.25, i / 8.0, i % 4 = 0, NULL::int, (i % 17) * 1.000 FROM generate_series(2901, 3300) i",
];

const queries = [
  'SELECT count(*) FROM t',
  'SELECT count(*), count(n), sum(v), avg(v), min(v), max(v) FROM t',
  'SELECT g, count(*), sum(v), avg(v), sum(n), avg(n), min(n), max(n) FROM t GROUP BY g ORDER BY g',
  'SELECT g, sum(f), avg(f), min(f), max(f), bool_and(b), bool_or(b) FROM t GROUP BY g ORDER BY g',
  'SELECT v, g, count(*), sum(k), avg(k) FROM t GROUP BY v, g ORDER BY v, g',
  'SELECT n, count(*) FROM t GROUP BY n ORDER BY n NULLS FIRST',
  'SELECT count(DISTINCT k), count(*) FROM t',
  'SELECT g, count(DISTINCT k) FROM t GROUP BY g ORDER BY g',
  'SELECT count(*) FILTER (WHERE b), sum(v) FILTER (WHERE g > \'g2\') FROM t WHERE k > 100',
  'SELECT g, count(*) FROM t WHERE k BETWEEN 1000 AND 3100 AND b GROUP BY g HAVING count(*) > 10 ORDER BY g',
  'SELECT lower(g) AS lg, max(r), min(r) FROM t GROUP BY lower(g) ORDER BY 1',
  'SELECT v + 1, sum(k * 2) FROM t GROUP BY v + 1 ORDER BY 1',
  'SELECT count(*) FROM t WHERE k > 1000000',
  'SELECT g, max(k) FROM t WHERE k > 1000000 GROUP BY g',
  'SELECT sum(k) FROM t WHERE g = $1',
];

async function start(workers: number, dataDir: string): Promise<{ server: RunningServer; client: pg.Client }> {
  const server = await startServer({ dataDir, args: ['--workers', String(workers), '--parallel-min-rows', '0'] });
  const client = new pg.Client(clientConfig(server));
  await client.connect();
  return { server, client };
}

beforeAll(async () => {
  const dataDir = tempDataDir();
  const loader = await start(0, dataDir);
  const c = loader.client;
  await c.query('CREATE TABLE t (k bigint, g text, v int, n numeric, f float8, b bool, r int, x numeric) PARTITION BY HASH (k) WITH (partitions = 4)');
  for (const load of loads.slice(0, 2)) {
    await c.query(`INSERT INTO t ${load}`);
    await c.query('CHECKPOINT');
  }
  await c.query('CREATE TABLE big (k bigint, v int) PARTITION BY HASH (k) WITH (partitions = 2)');
  await c.query('INSERT INTO big SELECT i, i % 1000 FROM generate_series(1, 400000) i');
  await c.query('CHECKPOINT');
  await c.end();
  await loader.server.stop();
  const copy = tempDataDir();
  cpSync(dataDir, copy, { recursive: true });
  ({ server: serial, client: serialClient } = await start(0, dataDir));
  ({ server: parallel, client: parallelClient } = await start(2, copy));
  // The same rows land in the same partitions' tails on both servers.
  for (const client of [serialClient, parallelClient]) await client.query(`INSERT INTO t ${loads[2] as string}`);
});

afterAll(async () => {
  for (const client of [serialClient, parallelClient]) await client?.end();
  for (const server of [serial, parallel]) {
    await server?.stop();
    if (server) removeDir(server.dataDir);
  }
});

async function plan(client: pg.Client, sql: string): Promise<string> {
  return (await client.query(sql)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
}

describe('parallel aggregation', () => {
  it('gives the same rows with 0 and 2 workers', async () => {
    for (const sql of queries) {
      const params = sql.includes('$1') ? ['g1'] : [];
      const expected = await serialClient.query({ text: sql, values: params, rowMode: 'array' });
      const actual = await parallelClient.query({ text: sql, values: params, rowMode: 'array' });
      expect(actual.fields.map((f) => [f.name, f.dataTypeID]), sql).toEqual(expected.fields.map((f) => [f.name, f.dataTypeID]));
      expect(actual.rows, sql).toEqual(expected.rows);
    }
  });

  it('gives every session its own answer while several share the pool', async () => {
    const sessions = await Promise.all([0, 1, 2].map(async () => {
      const client = new pg.Client(clientConfig(parallel));
      await client.connect();
      return client;
    }));
    try {
      const shapes = queries.filter((q) => !q.includes('$1')).slice(0, 9);
      const expected = await Promise.all(shapes.map(async (sql) => (await serialClient.query({ text: sql, rowMode: 'array' })).rows));
      const runs = sessions.flatMap((client, c) => shapes.map(async (sql, i) => ({ i, rows: (await client.query({ text: shapes[(i + c) % shapes.length] as string, rowMode: 'array' })).rows, c })));
      for (const { i, rows, c } of await Promise.all(runs)) expect(rows, shapes[(i + c) % shapes.length]).toEqual(expected[(i + c) % shapes.length]);
    } finally {
      for (const client of sessions) await client.end();
    }
  });

  it('shows the parallel node in EXPLAIN and its worker tasks in EXPLAIN ANALYZE', async () => {
    expect(await plan(parallelClient, 'EXPLAIN SELECT g, count(*) FROM t GROUP BY g')).toContain('Parallel Aggregate (workers: 2) group by: g');
    expect(await plan(serialClient, 'EXPLAIN SELECT g, count(*) FROM t GROUP BY g')).not.toContain('Parallel');
    // The coordinator runs pieces no worker has started within 20 ms: on a crowded machine a run
    // may go without workers, so look at a few.
    let analyzed = '';
    for (let attempt = 0; attempt < 5 && !/\[worker tasks=[1-9]/.test(analyzed); attempt++) {
      analyzed = await plan(parallelClient, 'EXPLAIN ANALYZE SELECT g, count(*) FROM t GROUP BY g');
    }
    expect(analyzed).toMatch(/\[worker tasks=[1-9]\d* time=[\d.]+ ms, pieces run here=\d+\]/);
    // Workers' and coordinator's scans add up to every row: 3,000 in segments, 400 in the tail.
    expect(analyzed).toMatch(/Scan t .*actual rows=3400 .*tail rows=400 rows read=3400\]/);
  });

  it('runs subqueries and GROUPING SETS on the coordinator', async () => {
    expect(await plan(parallelClient, 'EXPLAIN SELECT g, count(*) FROM t GROUP BY ROLLUP (g)')).not.toContain('Parallel');
    expect(await plan(parallelClient, 'EXPLAIN SELECT g, string_agg(g, \',\') FROM t GROUP BY g')).not.toContain('Parallel');
    expect(await plan(parallelClient, 'EXPLAIN SELECT count(DISTINCT v) FROM t')).not.toContain('Parallel');
  });

  it("returns a worker's error with its SQLSTATE", async () => {
    // v = 0 only in segment rows with k % 7 = 0 ... every load has them, so the error can come from either side.
    await expect(parallelClient.query('SELECT sum(k / (v - v)) FROM t')).rejects.toMatchObject({ code: '22012' });
    // Only flushed rows (k <= 3000) divide by zero here: the error comes from a worker.
    await expect(parallelClient.query('SELECT sum(10 / (k - 1500)) FROM big WHERE k < 3000')).rejects.toMatchObject({ code: '22012' });
    expect((await parallelClient.query('SELECT count(*) AS n FROM t')).rows[0].n).toBe('3400');
  });

  it('stops a parallel query on statement_timeout and keeps serving', async () => {
    await parallelClient.query("SET statement_timeout = '5ms'");
    await expect(parallelClient.query('SELECT v, count(*), sum(k), avg(k), max(k) FROM big GROUP BY v')).rejects.toMatchObject({ code: '57014' });
    await parallelClient.query('RESET statement_timeout');
    const rows = (await parallelClient.query('SELECT count(*) AS n, sum(k) AS s FROM big')).rows[0];
    expect(rows).toEqual({ n: '400000', s: String((400000 * 400001) / 2) });
  });
});
