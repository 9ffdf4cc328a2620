/**
 * Zone maps seen from the outside: after a CHECKPOINT, a time-range query skips the segment
 * blocks its range rules out (EXPLAIN ANALYZE reports it), and still counts every matching row;
 * blocks read once are served by the block cache the next time.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, removeDir, startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
let client: pg.Client;

beforeAll(async () => {
  server = await startServer({ args: ['--block-rows', '1000'] });
  client = new pg.Client(clientConfig(server));
  await client.connect();
  await client.query("CREATE TABLE ev (ts timestamptz NOT NULL, user_id bigint, kind text) WITH (sort_key = 'ts')");
  // 20,000 rows, one per minute from 2024-01-01, inserted newest first: the flush sorts them.
  for (let chunk = 19; chunk >= 0; chunk--) {
    const values: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const minute = chunk * 1000 + i;
      const ts = new Date(Date.UTC(2024, 0, 1) + minute * 60_000).toISOString();
      values.push(`('${ts}', ${minute % 97}, '${minute % 2 === 0 ? 'even' : 'odd'}')`);
    }
    await client.query(`INSERT INTO ev VALUES ${values.join(', ')}`);
  }
  // Intervals equal by span but spelled differently sort apart, into blocks of their own.
  await client.query("CREATE TABLE spans (d interval, n int) WITH (sort_key = 'd')");
  for (const spelling of ['1 hour', '24 hours', '1 day', '2 days']) {
    await client.query(`INSERT INTO spans SELECT interval '${spelling}', g FROM generate_series(1, 1000) g`);
  }
  // Block k of 1,000 rows holds only 'A<k>' and 'Z<k>': every block's min/max spans 'A2', one
  // block's value list holds it.
  await client.query("CREATE TABLE tagged (ts timestamptz NOT NULL, tag text) WITH (sort_key = 'ts')");
  await client.query(
    "INSERT INTO tagged SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', CASE WHEN g % 2 = 0 THEN 'A' ELSE 'Z' END || (g / 1000) FROM generate_series(0, 3999) g",
  );
  await client.query('CHECKPOINT');
});

afterAll(async () => {
  await client?.end();
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

describe('zone-map pruning', () => {
  const range = "ts >= '2024-01-02 00:00:00+00' AND ts < '2024-01-03 00:00:00+00'";

  it('counts exactly the rows in range', async () => {
    const result = await client.query(`SELECT count(*) AS n FROM ev WHERE ${range}`);
    expect(result.rows[0].n).toBe('1440');
  });

  it('skips the blocks outside the range', async () => {
    const result = await client.query(`EXPLAIN ANALYZE SELECT count(*) FROM ev WHERE ${range}`);
    const plan = result.rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    const scan = /blocks=(\d+) skipped=(\d+)/.exec(plan);
    expect(scan, plan).not.toBeNull();
    const [, blocks, skipped] = scan!.map(Number);
    expect(blocks).toBeGreaterThanOrEqual(20);
    // 1,440 rows span at most 3 blocks of 1,000 sorted rows; every other block is skipped.
    expect(skipped).toBeGreaterThanOrEqual((blocks as number) - 3);
  });

  it('computes now() - interval once per statement and bounds the zone maps with it', async () => {
    const past = await client.query("EXPLAIN ANALYZE SELECT count(*) FROM ev WHERE ts < now() - interval '100 years'");
    const plan = past.rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    expect(plan).toContain("(now() - '100 years'::interval)");
    const [, blocks, skipped] = /blocks=(\d+) skipped=(\d+)/.exec(plan)!.map(Number);
    expect(skipped, plan).toBe(blocks);
    const recent = await client.query("SELECT count(*) AS n FROM ev WHERE ts > now() - interval '100 years'");
    expect(recent.rows[0].n).toBe('20000');
  });

  it('prunes with a timestamp + interval bound', async () => {
    const bounded = "ts >= timestamptz '2024-01-02 00:00:00+00' AND ts < timestamptz '2024-01-02 00:00:00+00' + interval '1 day'";
    expect((await client.query(`SELECT count(*) AS n FROM ev WHERE ${bounded}`)).rows[0].n).toBe('1440');
    const plan = (await client.query(`EXPLAIN ANALYZE SELECT count(*) FROM ev WHERE ${bounded}`)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    const [, blocks, skipped] = /blocks=(\d+) skipped=(\d+)/.exec(plan)!.map(Number);
    expect(skipped).toBeGreaterThanOrEqual((blocks as number) - 3);
  });

  it('keeps every block holding an interval equal by span to the bound', async () => {
    const count = async (where: string) => (await client.query(`SELECT count(*) AS n FROM spans WHERE ${where}`)).rows[0].n as string;
    expect(await count("d = interval '1 day'")).toBe('2000');
    expect(await count("d >= interval '24 hours'")).toBe('3000');
    expect(await count("d > interval '1 day'")).toBe('1000');
    expect(await count("d < interval '24 hours'")).toBe('1000');
    expect(await count("d <= interval '1 day'")).toBe('3000');
    const plan = (await client.query("EXPLAIN ANALYZE SELECT count(*) FROM spans WHERE d = interval '1 day'")).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    const [, blocks, skipped] = /blocks=(\d+) skipped=(\d+)/.exec(plan)!.map(Number);
    expect(blocks).toBe(4);
    expect(skipped, plan).toBe(2);
  });

  it('reads a block from the file once: a repeated query is served by the block cache', async () => {
    const sql = 'EXPLAIN ANALYZE SELECT sum(n) FROM spans WHERE n > 990';
    const cached = async () => {
      const plan = (await client.query(sql)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
      const counts = /block cache hits=(\d+) misses=(\d+)/.exec(plan);
      expect(counts, plan).not.toBeNull();
      return counts!.slice(1).map(Number);
    };
    const [, misses] = await cached();
    expect(misses).toBeGreaterThan(0);
    const [hits, missesAgain] = await cached();
    expect([hits, missesAgain]).toEqual([misses, 0]);
  });

  it('skips blocks whose value list lacks the text a filter asks for (= and IN)', async () => {
    const skippedBy = async (where: string) => {
      const plan = (await client.query(`EXPLAIN ANALYZE SELECT count(*) FROM tagged WHERE ${where}`)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
      return /blocks=(\d+) skipped=(\d+)/.exec(plan)!.slice(1).map(Number);
    };
    const count = async (where: string) => (await client.query(`SELECT count(*) AS n FROM tagged WHERE ${where}`)).rows[0].n as string;
    expect(await count("tag = 'A2'")).toBe('500');
    expect(await skippedBy("tag = 'A2'")).toEqual([4, 3]);
    expect(await count("tag IN ('A1', 'Z3')")).toBe('1000');
    expect(await skippedBy("tag IN ('A1', 'Z3')")).toEqual([4, 2]);
    expect(await count("tag IN ('B1', NULL)")).toBe('0');
    expect(await skippedBy("tag IN ('B1', NULL)")).toEqual([4, 4]);
    // Negations and patterns keep every block.
    expect(await count("tag <> 'A2'")).toBe('3500');
    expect(await count("tag NOT IN ('A2')")).toBe('3500');
    expect(await skippedBy("tag LIKE 'A%'")).toEqual([4, 0]);
  });

  it('prunes nothing it should not: the whole table still counts', async () => {
    const result = await client.query("SELECT count(*) AS n, count(*) FILTER (WHERE kind = 'even') AS e FROM ev");
    expect(result.rows[0]).toEqual({ n: '20000', e: '10000' });
  });
});
