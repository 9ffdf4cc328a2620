/**
 * Many node `pg` connections at once: writers insert (multi-row, single-row and prepared), and
 * after each acknowledged INSERT a different connection must already see it. Readers aggregate
 * while the writers write; every answer must be a consistent count.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsTableDdl, startTarget, type Target } from './clients-target.js';

const writerCount = 6;
const roundsPerWriter = 15;
const rowsPerBatch = 20;

function batchValues(writer: number, round: number): string {
  const rows: string[] = [];
  for (let k = 0; k < rowsPerBatch; k++) {
    const id = (writer * 1000 + round) * 100 + k;
    rows.push(`(${id}, '2024-05-01 12:00:00+00', ${writer}, 'batch', ${round})`);
  }
  return rows.join(', ');
}

describe('concurrent connections', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
    const setup = new pg.Client(target.config);
    await setup.connect();
    await setup.query(eventsTableDdl(target.kind, 'events', 4));
    await setup.end();
  });

  afterAll(async () => {
    await target?.stop();
  });

  it('makes each acknowledged INSERT visible to the next query on another connection', async () => {
    const writers = await Promise.all(Array.from({ length: writerCount }, () => connect(target)));
    const readers = await Promise.all(Array.from({ length: writerCount }, () => connect(target)));
    const acknowledged = new Array<number>(writerCount).fill(0);
    const violations: string[] = [];
    let stop = false;

    // Background readers: the total only grows, and never exceeds what was acknowledged plus
    // what is in flight (one batch per writer at most).
    const watcher = await connect(target);
    let lastTotal = 0;
    let watcherReads = 0;
    const watching = (async () => {
      while (!stop) {
        const floor = acknowledged.reduce((a, b) => a + b, 0);
        const total = Number((await watcher.query('SELECT count(*) AS n FROM events')).rows[0].n);
        watcherReads++;
        if (total < lastTotal) violations.push(`total went down from ${lastTotal} to ${total}`);
        if (total < floor) violations.push(`total ${total} below the ${floor} rows acknowledged before the query`);
        lastTotal = total;
      }
    })();

    await Promise.all(
      writers.map(async (writer, w) => {
        const reader = readers[(w + 1) % writerCount] as pg.Client;
        for (let round = 0; round < roundsPerWriter; round++) {
          const kind = round % 3;
          let inserted: number;
          if (kind === 0) {
            inserted = (await writer.query(`INSERT INTO events (event_id, event_time, user_id, event_type, duration_ms) VALUES ${batchValues(w, round)}`)).rowCount ?? -1;
          } else if (kind === 1) {
            inserted = (
              await writer.query({
                name: 'insert_one',
                text: "INSERT INTO events (event_id, event_time, user_id, event_type, duration_ms) VALUES ($1, $2, $3, 'single', $4)",
                values: [w * 1_000_000 + round, new Date(Date.UTC(2024, 4, 1)), w, round],
              })
            ).rowCount ?? -1;
          } else {
            inserted = (
              await writer.query(
                "INSERT INTO events (event_id, event_time, user_id, event_type, duration_ms) VALUES ($1, '2024-05-01 12:00:00+00', $2, 'unnamed', $3), ($4, '2024-05-01 12:00:00+00', $2, 'unnamed', $3)",
                [w * 2_000_000 + round, w, round, w * 3_000_000 + round],
              )
            ).rowCount ?? -1;
          }
          acknowledged[w] = (acknowledged[w] ?? 0) + inserted;
          const seen = await reader.query('SELECT count(*)::int AS n, max(duration_ms) AS last_round FROM events WHERE user_id = $1', [w]);
          expect(seen.rows[0], `writer ${w} round ${round}`).toEqual({ n: acknowledged[w], last_round: round });
        }
      }),
    );
    stop = true;
    await watching;

    const expectedPerWriter = Array.from({ length: roundsPerWriter }, (_, round) => [rowsPerBatch, 1, 2][round % 3] ?? 0).reduce((a, b) => a + b, 0);
    expect(acknowledged).toEqual(new Array(writerCount).fill(expectedPerWriter));
    const perUser = await (readers[0] as pg.Client).query('SELECT user_id, count(*)::int AS n FROM events GROUP BY user_id ORDER BY user_id');
    expect(perUser.rows).toEqual(Array.from({ length: writerCount }, (_, w) => ({ user_id: String(w), n: expectedPerWriter })));
    expect(violations).toEqual([]);
    expect(watcherReads).toBeGreaterThan(0);

    await Promise.all([...writers, ...readers, watcher].map((c) => c.end()));
  });

  it('serves many connections opened at once, each with its own session', async () => {
    const clients = await Promise.all(Array.from({ length: 40 }, () => connect(target)));
    const answers = await Promise.all(
      clients.map(async (c, i) => {
        await c.query(`SET application_name = 'conn_${i}'`);
        const [shown] = (await c.query('SHOW application_name')).rows;
        const [counted] = (await c.query('SELECT count(*)::int AS n FROM events WHERE user_id = $1', [i % writerCount])).rows;
        return [shown.application_name, counted.n];
      }),
    );
    const perWriter = (answers[0] as [string, number])[1];
    expect(perWriter).toBeGreaterThan(0);
    expect(answers).toEqual(clients.map((_, i) => [`conn_${i}`, perWriter]));
    await Promise.all(clients.map((c) => c.end()));
  });
});

async function connect(target: Target): Promise<pg.Client> {
  const client = new pg.Client(target.config);
  await client.connect();
  return client;
}
