/**
 * The ingest results as Markdown: a summary of each figure beside its target and the peers,
 * then per workload and database how it was measured, the rows and time, the CPU it took on
 * both sides (what bounds a rate on 2 cores) and the peak memory.
 */
import { table } from '../report-sections.js';
import type { PeerName } from '../peers/peer.js';
import type { IngestRun, PeerIngestRun } from './benchmark.js';
import { boundsSection, RATE_TARGETS, SINGLE_ACK_P99_TARGET_MS } from './bounds.js';
import type { LatencySummary } from './latency.js';
import { rowsPerSecond, type BurstPhase, type Measurement } from './measurement.js';
import { BURST_FACTOR, type WorkloadName } from './options.js';
import { profileSection } from './profile.js';

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A summary line: what it shows, its target, and how to read it from a measurement. */
interface SummaryLine {
  readonly workload: WorkloadName;
  readonly label: string;
  readonly target: string;
  readonly cell: (m: Measurement) => string;
  /** Whether Eventide's figure meets the target, or null when the line has none. */
  readonly met: ((m: Measurement) => boolean) | null;
}

const latency = (s: LatencySummary | null | undefined) => (s == null ? '' : `${ms(s.p50Ms)} / ${ms(s.p99Ms)} ms`);
const rateCell = (m: Measurement) => {
  const rate = rowsPerSecond(m);
  return rate === null ? '' : count(rate);
};
const achieved = (p: BurstPhase) =>
  `${count(p.achievedRowsPerSecond)} of ${count(p.offeredRowsPerSecond)}${p.behindScheduleMs >= 50 ? ` (${(p.behindScheduleMs / 1000).toFixed(1)} s)` : ''}`;
const atLeast = (min: number | undefined) => (m: Measurement) => (rowsPerSecond(m) ?? 0) >= (min ?? 0);
const atLeastText = (min: number | undefined) => `≥ ${count(min ?? 0)}`;

const LINES: readonly SummaryLine[] = [
  { workload: 'copy', label: 'COPY CSV, rows/s', target: atLeastText(RATE_TARGETS.copy), cell: rateCell, met: atLeast(RATE_TARGETS.copy) },
  { workload: 'http', label: 'JSON lines over HTTP, rows/s', target: atLeastText(RATE_TARGETS.http), cell: rateCell, met: atLeast(RATE_TARGETS.http) },
  { workload: 'insert', label: 'multi-row INSERT, rows/s', target: atLeastText(RATE_TARGETS.insert), cell: rateCell, met: atLeast(RATE_TARGETS.insert) },
  { workload: 'single', label: 'single-row INSERT, many connections, rows/s', target: atLeastText(RATE_TARGETS.single), cell: rateCell, met: atLeast(RATE_TARGETS.single) },
  {
    workload: 'single',
    label: 'single-row INSERT ack p50 / p99 under that load',
    target: `p99 < ${SINGLE_ACK_P99_TARGET_MS} ms`,
    cell: (m) => latency(m.ack),
    met: (m) => (m.ack?.p99Ms ?? Infinity) < SINGLE_ACK_P99_TARGET_MS,
  },
  { workload: 'idle', label: 'single-row INSERT ack p50 / p99, idle', target: '', cell: (m) => latency(m.ack), met: null },
  {
    workload: 'visibility',
    label: 'visible to the first query after the ack',
    target: '100 %',
    cell: (m) => (m.visibility === null ? '' : `${((100 * m.visibility.visibleAtOnce) / Math.max(1, m.visibility.markers)).toFixed(1)} % of ${count(m.visibility.markers)}`),
    met: (m) => m.visibility !== null && m.visibility.visibleAtOnce === m.visibility.markers,
  },
  { workload: 'visibility', label: 'ack → visible lag, p99', target: '0 ms', cell: (m) => (m.visibility?.lag ? `${ms(m.visibility.lag.p99Ms)} ms` : ''), met: (m) => m.visibility?.lag?.p99Ms === 0 },
  {
    workload: 'burst',
    label: `dashboard query p50 / p99: before → during the ${BURST_FACTOR}x burst`,
    target: 'keeps answering',
    cell: (m) => (m.burst === null ? '' : `${latency(m.burst.normal.dashboard)} → ${latency(m.burst.spike.dashboard)}`),
    met: null,
  },
  {
    workload: 'burst',
    label: 'INSERT ack p50 / p99: before → during the burst',
    target: '',
    cell: (m) => (m.burst === null ? '' : `${latency(m.burst.normal.ack)} → ${latency(m.burst.spike.ack)}`),
    met: null,
  },
  {
    workload: 'burst',
    label: 'rows/s achieved of offered (behind schedule at the end): before → during the burst',
    target: '',
    cell: (m) => (m.burst === null ? '' : `${achieved(m.burst.normal)} → ${achieved(m.burst.spike)}`),
    met: null,
  },
  {
    workload: 'burst',
    label: 'peak memory in the burst; up after it',
    target: 'no out-of-memory',
    cell: (m) => (m.burst === null ? '' : `${m.peakMemoryBytes === null ? '?' : mib(m.peakMemoryBytes)}; ${m.burst.serverAlive ? 'up' : '**died**'}`),
    met: (m) => m.burst?.serverAlive === true,
  },
];

function find(peer: PeerIngestRun, workload: WorkloadName): Measurement | undefined {
  return peer.measurements.find((m) => m.workload === workload);
}

function summaryCell(line: SummaryLine, peer: PeerIngestRun): string {
  const m = find(peer, line.workload);
  if (m === undefined) return peer.failure === null ? '' : 'failed to start';
  switch (m.outcome) {
    case 'not applicable':
      return '—';
    case 'unsupported':
      return 'not supported yet';
    case 'failed':
      return 'failed';
    case 'ok': {
      const text = line.cell(m);
      if (peer.name !== 'eventide' || line.met === null || text === '') return text;
      return line.met(m) ? `${text} (met)` : `${text} (**not met**)`;
    }
  }
}

const PEER_TITLES: Readonly<Record<PeerName, string>> = { eventide: 'Eventide', postgres: 'PostgreSQL 15', duckdb: 'DuckDB (in process)' };

function detailRows(run: IngestRun): string[][] {
  return run.peers.flatMap((peer) =>
    peer.measurements.map((m) => {
      const rate = rowsPerSecond(m);
      const cpuPerRow = m.serverCpuSeconds !== null && rate !== null ? ((m.serverCpuSeconds * 1e6) / m.rows).toFixed(1) : '';
      return [
        m.workload,
        peer.name,
        m.method,
        m.outcome === 'ok' ? '' : m.outcome,
        m.rows > 0 ? count(m.rows) : '',
        m.elapsedMs > 0 ? (m.elapsedMs / 1000).toFixed(2) : '',
        rate === null ? '' : count(rate),
        m.serverCpuSeconds === null ? '' : m.serverCpuSeconds.toFixed(1),
        cpuPerRow,
        m.benchCpuSeconds === null ? '' : m.benchCpuSeconds.toFixed(1),
        m.peakMemoryBytes === null ? '' : mib(m.peakMemoryBytes),
        m.note ?? '',
      ];
    }),
  );
}

export function renderIngestReport(run: IngestRun): string {
  const m = run.machine;
  const o = run.options;
  const out: string[] = [];
  out.push('# Ingest benchmark results', '');
  out.push(`- date: ${m.date}`);
  out.push(`- commit: ${m.commit}`);
  out.push(`- command: \`${run.command}\``);
  out.push(`- machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB memory, ${m.os}, Node ${m.node}`);
  out.push(`- 1-minute load average: ${m.loadAverage} before the run, ${run.loadAverageAtEnd} at its end (the machine is shared: other work makes the figures noisier)`);
  out.push(
    `- data: the bench's events (seed ${o.seed}); bulk loads of ${count(o.rows)} rows` +
      (run.inputs.csvBytes === null ? '' : `, CSV ${mib(run.inputs.csvBytes)}`) +
      (run.inputs.jsonBytes === null ? '' : `, JSON lines ${mib(run.inputs.jsonBytes)}`) +
      `; INSERTs cycle through 65,536 generated rows made before timing`,
  );
  out.push(
    '- PostgreSQL runs with fsync, synchronous_commit and full_page_writes on (its defaults: acknowledged means durable, ' +
      'as on Eventide), otherwise tuned as in the query benchmark; DuckDB runs in this process, so it is only shown where it can do the same work without a server.',
  );
  const peers = run.peers;
  out.push('', '## Summary', '');
  out.push(
    table(
      ['measure', 'target', ...peers.map((p) => PEER_TITLES[p.name])],
      LINES.filter((line) => o.workloads.includes(line.workload)).map((line) => [line.label, line.target, ...peers.map((p) => summaryCell(line, p))]),
    ),
  );
  out.push(
    '',
    `Multi-row INSERTs carry ${count(o.batchRows)} rows from ${o.insertConnections} connections; single-row INSERTs come from ${o.singleConnections} connections for ${o.seconds} s; ` +
      `JSON lines are POSTed ${count(o.httpLines)} lines a request from ${o.httpClients} clients. Latencies are measured in the benchmark process from send to acknowledgement ` +
      `(its event loop included). The burst offers ${count(o.burstRate)} rows/s for ${o.seconds} s, then ${count(o.burstRate * BURST_FACTOR)} rows/s for ${o.seconds} s.`,
  );
  const failures = peers.filter((p) => p.failure !== null);
  if (failures.length > 0) {
    out.push('');
    for (const p of failures) out.push(`- ${p.name} failed: ${p.failure}`);
  }
  out.push(...boundsSection(peers.find((p) => p.name === 'eventide'), Math.max(m.loadAverage, run.loadAverageAtEnd), m.cores));
  out.push(...profileSection(peers.find((p) => p.name === 'eventide')?.profile ?? null));
  out.push('', '## Details', '');
  out.push(
    table(
      ['workload', 'database', 'method', 'outcome', 'rows', 's', 'rows/s', 'server CPU s', 'server CPU µs/row', 'bench CPU s', 'peak memory', 'note'],
      detailRows(run),
    ),
  );
  const methods = peers.filter((p) => p.memoryMethod !== null);
  out.push(
    '',
    `Server CPU is the database's processes' user + system time over the timed part of the workload (${methods.map((p) => `${p.name}: ${p.memoryMethod}`).join('; ')} for memory); ` +
      'bench CPU is this process\'s, which sends the data (and runs DuckDB). On 2 cores, server µs/row bounds the rate one core can reach: 1 µs/row is 1M rows/s. ' +
      'Peak memory is the whole database\'s, which still holds the tables of the workloads before.',
  );
  return out.join('\n') + '\n';
}
