/**
 * Time from acknowledgement to visibility on another connection. A writer inserts marked rows
 * (duration_ms = the marker, in a table holding only markers) one at a time; right after each
 * acknowledgement a reader on its own connection counts the marker, again and again until it
 * shows. Lag 0 means the first query after the acknowledgement saw it; otherwise the lag is the
 * time from the acknowledgement to the start of the first query that did. Meanwhile a few
 * connections insert single rows into another table, so commits share their fsyncs as they do
 * under load.
 */
import { LatencyRecorder } from './latency.js';
import { startClock, type Measurement } from './measurement.js';
import { DURATION_PARAM, insertSql } from './row-pool.js';
import type { IngestTarget } from './targets.js';
import { runWorkers, withClients, type WorkloadContext } from './workload.js';

const BACKGROUND_CONNECTIONS = 8;
/** A marker not visible this long after its acknowledgement is reported as never seen. */
const GIVE_UP_MS = 5_000;

export async function visibilityWorkload(target: IngestTarget, ctx: WorkloadContext, m: Measurement): Promise<void> {
  const { samples } = ctx.options;
  m.method = `${samples.toLocaleString('en-US')} marked single-row INSERTs, each counted on another connection after its ack; ${BACKGROUND_CONNECTIONS} connections inserting meanwhile`;
  if (target.wire === null) {
    m.outcome = 'not applicable';
    m.note = 'in process: one connection sees its own writes';
    return;
  }
  const table = 'events_visibility';
  const loadTable = 'events_visibility_load';
  await target.createTable(table);
  await target.createTable(loadTable);
  const lag = new LatencyRecorder();
  let atOnce = 0;
  let neverSeen = 0;
  await withClients(target, BACKGROUND_CONNECTIONS + 2, async (clients) => {
    const [writer, reader, ...background] = clients;
    let finished = false;
    // Caught at once so a failing background writer is not an unhandled rejection; rethrown below.
    let loadError: unknown = null;
    const load = runWorkers(background.length, async (worker, stopped) => {
      const loadSql = insertSql(loadTable, 1);
      for (let n = worker; !finished && !stopped(); n += background.length) {
        await background[worker]!.query({ name: 'ingest_load_1', text: loadSql, values: ctx.inputs.pool.row(n) });
      }
    }).catch((error: unknown) => {
      loadError = error;
    });
    const clock = startClock(target);
    try {
      const sql = insertSql(table, 1);
      const countSql = `SELECT count(*) FROM ${table} WHERE duration_ms = $1`;
      for (let marker = 1; marker <= samples; marker++) {
        const values = ctx.inputs.pool.row(marker);
        values[DURATION_PARAM] = String(marker);
        await writer!.query({ name: 'ingest_marker', text: sql, values });
        const acked = performance.now();
        for (let attempt = 0; ; attempt++) {
          const queried = performance.now();
          const result = await reader!.query<[string]>({ name: 'ingest_count', text: countSql, values: [String(marker)], rowMode: 'array' });
          if (result.rows[0]?.[0] === '1') {
            if (attempt === 0) atOnce++;
            lag.add(attempt === 0 ? 0 : queried - acked);
            break;
          }
          if (queried - acked > GIVE_UP_MS) {
            neverSeen++;
            lag.add(queried - acked);
            break;
          }
        }
        m.rows++;
      }
      clock.stop(m);
    } finally {
      finished = true;
      await load;
    }
    if (loadError !== null) throw loadError;
  });
  m.visibility = { markers: m.rows, visibleAtOnce: atOnce, lag: lag.summary() };
  if (neverSeen > 0) m.note = `${neverSeen} markers not visible within ${GIVE_UP_MS} ms of their acknowledgement`;
}
