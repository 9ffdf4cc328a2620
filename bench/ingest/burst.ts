/**
 * The 10x spike. Writers offer multi-row INSERTs on a fixed schedule (open loop: a batch is sent
 * when it is due, or at once when the writers are behind) at --burst-rate rows/s for --seconds,
 * then at ten times that for --seconds more, while a dashboard query runs every second on
 * another connection. Reported per phase: the rate offered and achieved, the acknowledgement
 * latency of the INSERTs, the dashboard query's latency; for the whole run the server's peak
 * memory (by the driver) and whether it is still up.
 */
import type pg from 'pg';
import { EVENTS_COLUMN_COUNT } from '../events-text.js';
import { LatencyRecorder } from './latency.js';
import { BURST_FACTOR } from './options.js';
import { startClock, type BurstPhase, type Measurement } from './measurement.js';
import { insertSql } from './row-pool.js';
import type { IngestTarget } from './targets.js';
import { runWorkers, withClients, type WorkloadContext } from './workload.js';

const DASHBOARD_INTERVAL_MS = 1_000;

export function dashboardSql(table: string): string {
  return `SELECT event_type, count(*), sum(revenue), avg(duration_ms) FROM ${table} GROUP BY event_type ORDER BY event_type`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface PhaseRun {
  readonly rate: number;
  readonly ack: LatencyRecorder;
  readonly dashboard: LatencyRecorder;
  rows: number;
  elapsedMs: number;
  behindScheduleMs: number;
}

async function pacedInserts(writers: readonly pg.Client[], table: string, ctx: WorkloadContext, phase: PhaseRun): Promise<void> {
  const { batchRows, seconds } = ctx.options;
  const intervalMs = (batchRows / phase.rate) * 1000;
  const batches = Math.max(1, Math.round((phase.rate * seconds) / batchRows));
  const sql = insertSql(table, batchRows);
  const started = performance.now();
  let next = 0;
  await runWorkers(writers.length, async (worker, stopped) => {
    for (let batch = next++; batch < batches && !stopped(); batch = next++) {
      const wait = started + batch * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const values = ctx.inputs.pool.batch(batch, batchRows);
      await phase.ack.time(() => writers[worker]!.query({ name: `ingest_burst_${batchRows}`, text: sql, values }));
      phase.rows += values.length / EVENTS_COLUMN_COUNT;
    }
  });
  // The last batch is due one interval before the phase ends: a phase lasts its schedule at least.
  phase.elapsedMs = Math.max(performance.now() - started, batches * intervalMs);
  phase.behindScheduleMs = phase.elapsedMs - batches * intervalMs;
}

function summary(phase: PhaseRun): BurstPhase {
  return {
    offeredRowsPerSecond: phase.rate,
    achievedRowsPerSecond: phase.elapsedMs > 0 ? phase.rows / (phase.elapsedMs / 1000) : 0,
    ack: phase.ack.summary(),
    dashboard: phase.dashboard.summary(),
    behindScheduleMs: phase.behindScheduleMs,
  };
}

export async function burstWorkload(target: IngestTarget, ctx: WorkloadContext, m: Measurement): Promise<void> {
  const { burstRate, seconds, batchRows, insertConnections } = ctx.options;
  m.method =
    `INSERT of ${batchRows.toLocaleString('en-US')} rows from ${insertConnections} connections at ${burstRate.toLocaleString('en-US')} rows/s for ${seconds} s, ` +
    `then ${(burstRate * BURST_FACTOR).toLocaleString('en-US')} rows/s for ${seconds} s; a dashboard query every second on another connection`;
  if (target.wire === null) {
    m.outcome = 'not applicable';
    m.note = 'in process: no server to send INSERTs to';
    return;
  }
  const table = 'events_burst';
  await target.createTable(table);
  const phase = (rate: number): PhaseRun => ({ rate, ack: new LatencyRecorder(), dashboard: new LatencyRecorder(), rows: 0, elapsedMs: 0, behindScheduleMs: 0 });
  const normal = phase(burstRate);
  const spike = phase(burstRate * BURST_FACTOR);
  await withClients(target, insertConnections + 1, async ([dashboardClient, ...writers]) => {
    let current = normal;
    let finished = false;
    // Caught at once so a failing dashboard is not an unhandled rejection; rethrown below.
    let dashboardError: unknown = null;
    const dashboard = (async () => {
      while (!finished) {
        const started = performance.now();
        await current.dashboard.time(() => dashboardClient!.query(dashboardSql(table)));
        const wait = started + DASHBOARD_INTERVAL_MS - performance.now();
        if (wait > 0 && !finished) await sleep(wait);
      }
    })().catch((error: unknown) => {
      dashboardError = error;
    });
    const clock = startClock(target);
    try {
      await pacedInserts(writers, table, ctx, normal);
      current = spike;
      await pacedInserts(writers, table, ctx, spike);
    } finally {
      finished = true;
      await dashboard;
    }
    clock.stop(m);
    if (dashboardError !== null) throw dashboardError;
  });
  m.rows = normal.rows + spike.rows;
  m.ack = spike.ack.summary();
  m.burst = { normal: summary(normal), spike: summary(spike), serverAlive: target.alive() };
}
