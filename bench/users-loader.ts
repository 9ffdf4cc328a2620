/**
 * Loads the generated users over the wire as the events are: prepared multi-row INSERTs in
 * text format from several connections, each pulling the next batch from one shared generator,
 * so memory holds only the batches in flight.
 */
import type pg from 'pg';
import { USERS_COLUMNS } from './events-schema.js';
import { userRowText, type UsersChunk, type UsersGenerator } from './users-generator.js';
import { multiRowInsertSql, type LoadResult } from './wire-loader.js';

const columnNames = USERS_COLUMNS.map((c) => c.name);

export async function loadUsersOverWire(clients: readonly pg.Client[], generator: UsersGenerator, batchRows: number): Promise<LoadResult> {
  const started = performance.now();
  let rows = 0;
  let failed = false;
  const sqlByRows = new Map<number, string>();
  // Whole chunks of batchRows rows: the generator hands out consecutive user ids.
  const nextBatch = (): UsersChunk | null => (failed ? null : generator.next(batchRows));
  async function worker(client: pg.Client): Promise<void> {
    for (let chunk = nextBatch(); chunk !== null; chunk = nextBatch()) {
      const values: (string | null)[] = [];
      for (let row = 0; row < chunk.rowCount; row++) values.push(...userRowText(chunk, row));
      let sql = sqlByRows.get(chunk.rowCount);
      if (sql === undefined) {
        sql = multiRowInsertSql('users', columnNames, chunk.rowCount);
        sqlByRows.set(chunk.rowCount, sql);
      }
      await client.query({ name: `bench_users_${chunk.rowCount}`, text: sql, values });
      rows += chunk.rowCount;
    }
  }
  const outcomes = await Promise.allSettled(
    clients.map((client) =>
      worker(client).catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  return { rows, elapsedMs: performance.now() - started };
}
