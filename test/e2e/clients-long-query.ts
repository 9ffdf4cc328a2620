/**
 * A query that runs long enough to be interrupted, on any server fast or slow: a table is grown
 * by doubling (INSERT ... SELECT) until a heavy aggregate over it takes at least `minMs`.
 * Cancel tests need it because Eventide has neither pg_sleep nor joins to make a slow query from
 * little data, and how long a scan takes depends on the machine and on the engine's progress.
 */
import type pg from 'pg';

export interface LongQuery {
  readonly text: string;
  /** How long it took uncancelled at the final size. */
  readonly durationMs: number;
  readonly rows: number;
}

/** Heavy per-row work with no join: every row makes a new string that is hashed and counted. */
const candidates = [
  "SELECT count(DISTINCT s || ':' || v::text || ':' || k::text) FROM long_rows",
  'SELECT s, count(*) FROM long_rows GROUP BY s ORDER BY 2 DESC, 1 LIMIT 1',
];

const seedRows = 20_000;
const maxRows = 8_000_000;

export async function prepareLongQuery(client: pg.Client, minMs: number): Promise<LongQuery> {
  await client.query('CREATE TABLE long_rows (k int, v bigint, s text)');
  const values = Array.from({ length: seedRows }, (_, n) => `(${n % 2}, ${n}, 'row ${n}')`);
  await client.query(`INSERT INTO long_rows VALUES ${values.join(', ')}`);
  let rows = seedRows;
  const refused: string[] = [];
  let candidate = 0;
  while (candidate < candidates.length) {
    const text = candidates[candidate] as string;
    const startedAtMs = Date.now();
    try {
      await client.query(text);
    } catch (error) {
      refused.push(`${text}: ${(error as { code?: string }).code ?? ''} ${(error as Error).message}`);
      candidate++;
      continue;
    }
    const durationMs = Date.now() - startedAtMs;
    if (durationMs >= minMs) return { text, durationMs, rows };
    if (rows * 2 > maxRows) throw new Error(`${text} takes only ${durationMs} ms over ${rows} rows`);
    await client.query(`INSERT INTO long_rows SELECT k, v + ${rows}, 'row ' || (v + ${rows})::text FROM long_rows`);
    rows *= 2;
  }
  throw new Error(`no long query runs here:\n${refused.join('\n')}`);
}
