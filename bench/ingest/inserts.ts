/**
 * INSERT over the wire, prepared, parameters in text format (as node-postgres sends them):
 * multi-row INSERTs of --batch-rows rows from --insert-connections connections until --rows rows
 * are in; single-row INSERTs from --single-connections connections for --seconds, each
 * acknowledgement timed; and single-row INSERTs one at a time on an idle server. DuckDB has no
 * server to send them to and is left out.
 */
import type pg from 'pg';
import { EVENTS_COLUMN_COUNT } from '../events-text.js';
import { LatencyRecorder } from './latency.js';
import { startClock, type Measurement } from './measurement.js';
import { insertSql } from './row-pool.js';
import type { IngestTarget } from './targets.js';
import { runWorkers, withClients, type WorkloadContext } from './workload.js';

function notApplicable(target: IngestTarget, m: Measurement): boolean {
  if (target.wire !== null) return false;
  m.outcome = 'not applicable';
  m.note = 'in process: no server to send INSERTs to';
  return true;
}

export async function multiRowInsertWorkload(target: IngestTarget, ctx: WorkloadContext, m: Measurement): Promise<void> {
  const { rows, batchRows, insertConnections } = ctx.options;
  m.method = `INSERT of ${batchRows.toLocaleString('en-US')} rows, prepared, ${insertConnections} connections`;
  if (notApplicable(target, m)) return;
  const table = 'events_insert';
  await target.createTable(table);
  const batches = Math.ceil(rows / batchRows);
  const lastRows = rows - (batches - 1) * batchRows;
  const ack = new LatencyRecorder();
  await withClients(target, insertConnections, async (clients) => {
    let next = 0;
    const clock = startClock(target);
    await runWorkers(insertConnections, async (worker, stopped) => {
      const client = clients[worker]!;
      for (let batch = next++; batch < batches && !stopped(); batch = next++) {
        const count = batch === batches - 1 ? lastRows : batchRows;
        const full = ctx.inputs.pool.batch(batch, batchRows);
        const values = count === batchRows ? full : full.slice(0, count * EVENTS_COLUMN_COUNT);
        await ack.time(() => client.query({ name: `ingest_insert_${count}`, text: insertSql(table, count), values }));
        m.rows += count;
      }
    });
    clock.stop(m);
  });
  m.ack = ack.summary();
  const visible = await target.countRows(table);
  if (visible !== m.rows) {
    m.outcome = 'failed';
    m.note = `count(*) right after the load: ${visible} of ${m.rows} rows`;
  }
}

/** Single-row prepared INSERTs on each client until `until()`, each timed into `ack`; the rows inserted. */
async function singleRowInserts(
  clients: readonly pg.Client[],
  table: string,
  ctx: WorkloadContext,
  ack: LatencyRecorder,
  until: () => boolean,
): Promise<number> {
  const sql = insertSql(table, 1);
  let next = 0;
  let done = 0;
  await runWorkers(clients.length, async (worker, stopped) => {
    const client = clients[worker]!;
    while (!until() && !stopped()) {
      const values = ctx.inputs.pool.row(next++);
      await ack.time(() => client.query({ name: 'ingest_insert_1', text: sql, values }));
      done++;
    }
  });
  return done;
}

export async function singleRowWorkload(target: IngestTarget, ctx: WorkloadContext, m: Measurement): Promise<void> {
  const { seconds, singleConnections } = ctx.options;
  m.method = `single-row INSERT, prepared, ${singleConnections} connections for ${seconds} s`;
  if (notApplicable(target, m)) return;
  const table = 'events_single';
  await target.createTable(table);
  const ack = new LatencyRecorder();
  await withClients(target, singleConnections, async (clients) => {
    const clock = startClock(target);
    const deadline = clock.startedMs + seconds * 1000;
    m.rows = await singleRowInserts(clients, table, ctx, ack, () => performance.now() >= deadline);
    clock.stop(m);
  });
  m.ack = ack.summary();
}

export async function idleLatencyWorkload(target: IngestTarget, ctx: WorkloadContext, m: Measurement): Promise<void> {
  const { samples } = ctx.options;
  m.method = `single-row INSERT, prepared, 1 connection, ${samples.toLocaleString('en-US')} in a row`;
  if (notApplicable(target, m)) return;
  const table = 'events_idle';
  await target.createTable(table);
  const ack = new LatencyRecorder();
  await withClients(target, 1, async (clients) => {
    const clock = startClock(target);
    m.rows = await singleRowInserts(clients, table, ctx, ack, () => ack.count >= samples);
    clock.stop(m);
  });
  m.ack = ack.summary();
}
