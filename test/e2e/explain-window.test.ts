/**
 * Window functions seen from the outside: EXPLAIN shows one Window node per distinct PARTITION BY /
 * ORDER BY (calls sharing one share its sort), with their frames, and column pruning reaches the
 * scan beneath.
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
  await client.query('CREATE TABLE e (uid int, t int, v float8, note text)');
  const rows = Array.from({ length: 3000 }, (_, i) => `(${i % 7}, ${i}, ${(i % 5) / 4}, 'n${i}')`);
  await client.query(`INSERT INTO e VALUES ${rows.join(', ')}`);
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

describe('window plans', () => {
  it('calls over the same window share one Window node; another window stacks a second', async () => {
    const text = await plan(
      'SELECT uid, row_number() OVER w, sum(v) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), count(*) OVER () FROM e WINDOW w AS (PARTITION BY uid ORDER BY t)',
    );
    const windows = text.split('\n').filter((line) => line.includes('Window'));
    expect(windows).toHaveLength(2);
    expect(text).toMatch(/Window partition by: uid order by: t functions: row_number\(\), sum\(v\) ROWS BETWEEN 2 PRECEDING AND CURRENT ROW/);
    expect(text).toMatch(/Window functions: count\(\*\) RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW/);
    // The note column is never read.
    expect(text).not.toMatch(/note/);
  });

  it('a running sum per partition matches a running total', async () => {
    const result = await client.query('SELECT uid, t, sum(t) OVER (PARTITION BY uid ORDER BY t) AS s FROM e ORDER BY uid, t');
    const running = new Map<number, number>();
    for (const row of result.rows as { uid: number; t: number; s: string }[]) {
      const total = (running.get(row.uid) ?? 0) + row.t;
      running.set(row.uid, total);
      expect(Number(row.s)).toBe(total);
    }
    expect(result.rows).toHaveLength(3000);
  });

  it('frame offsets and lag offsets may be parameters of a prepared statement', async () => {
    const sql = 'SELECT t, sum(t) OVER (ORDER BY t ROWS BETWEEN $1 PRECEDING AND CURRENT ROW) AS s, lag(t, $2) OVER (ORDER BY t) AS l FROM e WHERE t < 8 ORDER BY t';
    for (const [back, lag] of [[1, 2], [3, 1]] as const) {
      const result = await client.query({ name: 'window-params', text: sql, values: [back, lag] });
      for (const row of result.rows as { t: number; s: string; l: number | null }[]) {
        let total = 0;
        for (let k = Math.max(0, row.t - back); k <= row.t; k++) total += k;
        expect(Number(row.s)).toBe(total);
        expect(row.l).toBe(row.t - lag >= 0 ? row.t - lag : null);
      }
    }
  });
});
