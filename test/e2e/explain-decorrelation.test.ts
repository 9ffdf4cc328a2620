/**
 * Correlated subqueries seen from the outside: EXISTS / NOT EXISTS / IN with an equality on the
 * outer row run as one semi or anti hash join (EXPLAIN shows it, the inner table is read once),
 * and give the same rows as the per-outer-row evaluation they replace.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, removeDir, startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
let client: pg.Client;

beforeAll(async () => {
  server = await startServer();
  client = new pg.Client(clientConfig(server));
  await client.connect();
  await client.query('CREATE TABLE u (id int, plan text)');
  await client.query('CREATE TABLE e (uid int, t int)');
  const users = Array.from({ length: 200 }, (_, i) => `(${i}, '${i % 3 === 0 ? 'pro' : 'free'}')`);
  await client.query(`INSERT INTO u VALUES ${users.join(', ')}`);
  const events = Array.from({ length: 2000 }, (_, i) => `(${(i * 7) % 150}, ${i % 50})`);
  await client.query(`INSERT INTO e VALUES ${events.join(', ')}`);
});

afterAll(async () => {
  await client?.end();
  await server?.stop();
  if (server) removeDir(server.dataDir);
});

async function plan(sql: string): Promise<string> {
  const result = await client.query(`EXPLAIN ${sql}`);
  return result.rows.map((r) => r['QUERY PLAN'] as string).join('\n');
}

async function ids(sql: string): Promise<number[]> {
  return (await client.query(sql)).rows.map((r) => r.id as number);
}

/** The same question asked without a subquery, as a join and a GROUP BY. */
async function expectedIds(condition: string, negate: boolean): Promise<number[]> {
  const matching = new Set((await client.query(`SELECT DISTINCT u.id FROM u JOIN e ON e.uid = u.id AND ${condition}`)).rows.map((r) => r.id as number));
  return (await ids('SELECT id FROM u ORDER BY id')).filter((id) => matching.has(id) !== negate);
}

describe('decorrelated subqueries', () => {
  it('EXISTS with an equality and a range becomes a semi hash join', async () => {
    const sql = 'SELECT id FROM u WHERE EXISTS (SELECT 1 FROM e WHERE e.uid = u.id AND e.t > u.id % 40) ORDER BY id';
    expect(await plan(sql)).toMatch(/HashJoin semi id = uid filter/);
    const got = await ids(sql);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(await expectedIds('e.t > u.id % 40', false));
  });

  it('NOT EXISTS becomes an anti join and keeps the plain conjuncts below it', async () => {
    const sql = "SELECT id FROM u WHERE plan = 'pro' AND NOT EXISTS (SELECT 1 FROM e WHERE e.uid = u.id) ORDER BY id";
    expect(await plan(sql)).toMatch(/HashJoin anti id = uid/);
    const got = await ids(sql);
    const pro = new Set((await client.query("SELECT id FROM u WHERE plan = 'pro'")).rows.map((r) => r.id as number));
    expect(got).toEqual((await expectedIds('true', true)).filter((id) => pro.has(id)));
    expect(got.length).toBeGreaterThan(0);
  });

  it('correlated IN becomes a semi join on the tested value and the correlation', async () => {
    const sql = 'SELECT id FROM u WHERE id IN (SELECT uid FROM e WHERE e.t < u.id % 10) ORDER BY id';
    expect(await plan(sql)).toMatch(/HashJoin semi/);
    expect(await ids(sql)).toEqual(await expectedIds('e.t < u.id % 10', false));
  });

  it('a scalar aggregate subquery becomes a LEFT JOIN on the grouped inner side, count 0 where nothing matches', async () => {
    const sql = 'SELECT id, (SELECT count(*) FROM e WHERE e.uid = u.id) AS n, (SELECT max(t) FROM e WHERE e.uid = u.id) AS m FROM u ORDER BY id';
    const shown = await plan(sql);
    expect(shown).toMatch(/HashJoin left/);
    expect(shown).not.toMatch(/subquery/);
    const rows = (await client.query(sql)).rows;
    const grouped = new Map((await client.query('SELECT uid, count(*) AS n, max(t) AS m FROM e GROUP BY uid')).rows.map((r) => [r.uid as number, r]));
    expect(rows).toHaveLength(200);
    for (const row of rows) {
      const g = grouped.get(row.id as number);
      expect(row.n).toBe(g === undefined ? '0' : g.n);
      expect(row.m).toBe(g === undefined ? null : g.m);
    }
    expect(rows.some((r) => r.n === '0')).toBe(true);
  });

  it('a correlation it cannot turn into a join still runs per outer key', async () => {
    const sql = 'SELECT id FROM u WHERE EXISTS (SELECT 1 FROM e WHERE e.uid = u.id GROUP BY e.uid HAVING count(*) > 13) ORDER BY id';
    expect(await plan(sql)).not.toMatch(/semi/);
    const counts = (await client.query('SELECT uid, count(*) AS n FROM e GROUP BY uid')).rows;
    const expected = counts.filter((r) => Number(r.n) > 13).map((r) => r.uid as number).sort((a, b) => a - b);
    expect(await ids(sql)).toEqual(expected.filter((id) => id < 200));
  });
});
