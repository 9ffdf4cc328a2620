/**
 * The benchmark's results as Markdown: where and how it ran, the load of each peer (time, rate,
 * size on disk, peak memory), per query the median time, rows scanned per second, whether the
 * answer matched, and Eventide's time relative to each peer with their geometric mean; then
 * the scan rates next to the typed-array loop and the wrong answers' first differing rows.
 */
import type { MachineInfo } from './machine.js';
import type { LoadReport, PeerName } from './peers/peer.js';
import { geometricMean, type QueryTiming } from './query-runner.js';
import type { BenchQuery } from './queries.js';
import { count, differencesSection, isWrong, rate, scanRateSection, table } from './report-sections.js';
import type { ScanCeiling } from './scan-ceiling.js';

export interface PhaseRun {
  /** e.g. 'tail' (before CHECKPOINT) or 'segments' (after). */
  readonly label: string;
  readonly timings: readonly QueryTiming[];
}

export interface PeerRun {
  readonly name: PeerName;
  version: string | null;
  load: LoadReport | null;
  diskBytes: number | null;
  /** Peak memory of the peer's processes while loading and while querying; null before setup. */
  memory: PeerMemory | null;
  phases: PhaseRun[];
  /** What stopped this peer before its queries, if anything. */
  failure: string | null;
}

export interface PeerMemory {
  /** How it is counted (e.g. 'server RSS'). */
  readonly method: string;
  loadPeakBytes: number | null;
  queryPeakBytes: number | null;
}

export interface BenchRun {
  /** Machine facts as the run started. */
  readonly machine: MachineInfo;
  readonly loadAverageAtEnd: number;
  readonly command: string;
  readonly rows: number;
  readonly seed: number;
  readonly repeat: number;
  readonly queries: readonly BenchQuery[];
  readonly csv: { readonly bytes: number; readonly ms: number } | null;
  readonly peers: readonly PeerRun[];
  /** The typed-array loops of the single-column scans (queries with `scan`). */
  readonly scanCeilings: readonly ScanCeiling[];
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Columns of the query table: each peer phase, Eventide's phases first. */
interface Column {
  readonly peer: PeerRun;
  readonly phase: PhaseRun;
  readonly title: string;
}

function columnsOf(run: BenchRun): Column[] {
  return run.peers.flatMap((peer) =>
    peer.phases.map((phase) => ({ peer, phase, title: peer.phases.length > 1 ? `${peer.name} (${phase.label})` : peer.name })),
  );
}

function timingCell(run: BenchRun, timing: QueryTiming | undefined, index: number): string {
  if (timing === undefined) return '';
  if (timing.medianMs === null) return `error: ${timing.error}`;
  const rateText = rate(run.rows / (timing.medianMs / 1000));
  return `${timing.medianMs.toFixed(1)} ms (${rateText})${isWrong(run, timing, index) ? ' **wrong result**' : ''}`;
}

function memoryCell(bytes: number | null | undefined): string {
  return bytes == null ? '' : mib(bytes);
}

function ratioColumns(run: BenchRun): { title: string; ratios: (number | null)[] }[] {
  const eventide = run.peers.find((p) => p.name === 'eventide');
  const ours = eventide?.phases[eventide.phases.length - 1];
  if (ours === undefined) return [];
  return run.peers
    .filter((p) => p.name !== 'eventide' && p.phases.length > 0)
    .map((peer) => ({
      title: `eventide / ${peer.name}`,
      ratios: run.queries.map((_, i) => {
        const a = ours.timings[i]?.medianMs;
        const b = peer.phases[0]?.timings[i]?.medianMs;
        return a == null || b == null || b === 0 ? null : a / b;
      }),
    }));
}

export function renderReport(run: BenchRun): string {
  const m = run.machine;
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(`- date: ${m.date}`);
  out.push(`- commit: ${m.commit}`);
  out.push(`- command: \`${run.command}\``);
  out.push(`- machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB memory, ${m.os}, Node ${m.node}`);
  out.push(`- 1-minute load average: ${m.loadAverage} before the run, ${run.loadAverageAtEnd} at its end (the machine is shared: other work makes the figures noisier)`);
  const users = run.peers.find((p) => p.load !== null)?.load?.usersRows;
  out.push(
    `- data: ${count(run.rows)} events${users === undefined ? '' : ` and ${count(users)} users`}, seed ${run.seed}; ` +
      `each query warmed up once, then the median of ${run.repeat} runs`,
  );
  if (run.csv) out.push(`- generated CSV for the bulk loads: ${mib(run.csv.bytes)} in ${seconds(run.csv.ms)} s`);
  out.push('', '## Load', '');
  out.push(
    table(
      ['peer', 'version', 'method', 'rows', 'load s', 'rows/s', 'users s', 'then', 'on disk', 'bytes/row', 'peak memory, load', 'peak memory, queries'],
      run.peers.map((p) => {
        const memory = [memoryCell(p.memory?.loadPeakBytes), memoryCell(p.memory?.queryPeakBytes)];
        if (p.load === null) return [p.name, p.version ?? '', `failed: ${p.failure ?? 'unknown'}`, '', '', '', '', '', '', '', ...memory];
        const l = p.load;
        return [
          p.name,
          p.version ?? '',
          l.method,
          count(l.rows),
          seconds(l.loadMs),
          count(l.rows / (l.loadMs / 1000)),
          seconds(l.usersLoadMs),
          l.prepareWhat ? `${l.prepareWhat}: ${seconds(l.prepareMs)} s` : '',
          p.diskBytes === null ? '' : mib(p.diskBytes),
          p.diskBytes === null || l.rows === 0 ? '' : (p.diskBytes / l.rows).toFixed(1),
          ...memory,
        ];
      }),
    ),
  );
  const measured = run.peers.filter((p) => p.memory !== null);
  if (measured.length > 0) {
    out.push('', `Peak memory, sampled every 100 ms and from the kernel's peak where it keeps one: ${measured.map((p) => `${p.name}: ${p.memory?.method}`).join('; ')}.`);
  }
  const failures = run.peers.filter((p) => p.failure !== null);
  if (failures.length > 0) {
    out.push('');
    for (const p of failures) out.push(`- ${p.name} failed: ${p.failure}`);
  }
  const columns = columnsOf(run);
  const ratios = ratioColumns(run);
  out.push('', '## Queries', '');
  out.push('Median ms and rows scanned per second.');
  if (run.peers.some((p) => p.name === 'eventide')) {
    out.push('Eventide runs each query against the in-memory tail, then after CHECKPOINT against segments; ratios use the latter (below 1 means Eventide is faster).');
  }
  out.push('');
  const rows = run.queries.map((query, i) => [
    query.name,
    ...columns.map((c) => timingCell(run, c.phase.timings[i], i)),
    ...ratios.map((r) => (r.ratios[i] == null ? '' : (r.ratios[i] as number).toFixed(2))),
  ]);
  rows.push([
    '**sum of medians**',
    ...columns.map((c) => {
      const answered = c.phase.timings.filter((t) => t.medianMs !== null);
      return `${(answered.reduce((sum, t) => sum + (t.medianMs as number), 0) / 1000).toFixed(2)} s (${answered.length} queries)`;
    }),
    ...ratios.map(() => ''),
  ]);
  if (ratios.length > 0) {
    rows.push([
      '**geometric mean**',
      ...columns.map(() => ''),
      ...ratios.map((r) => {
        const valid = r.ratios.filter((x): x is number => x !== null);
        return valid.length === 0 ? '' : `${geometricMean(valid).toFixed(2)} (${valid.length} queries)`;
      }),
    ]);
  }
  out.push(table(['query', ...columns.map((c) => c.title), ...ratios.map((r) => r.title)], rows));
  out.push(...scanRateSection(run));
  out.push(...differencesSection(run));
  out.push('', '## SQL', '');
  for (const query of run.queries) out.push(`- ${query.name}: \`${query.sql}\``);
  return out.join('\n') + '\n';
}
