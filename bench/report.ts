/**
 * The benchmark's results as Markdown: where and how it ran, the load of each peer, and per
 * query the median time, rows scanned per second, whether the answer matched, and Eventide's
 * time relative to each peer with their geometric mean.
 */
import type { MachineInfo } from './machine.js';
import type { LoadReport, PeerName } from './peers/peer.js';
import { geometricMean, type QueryTiming } from './query-runner.js';
import type { BenchQuery } from './queries.js';
import { sameResult } from './result-compare.js';

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
  phases: PhaseRun[];
  /** What stopped this peer before its queries, if anything. */
  failure: string | null;
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
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

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

/** The reference answer: PostgreSQL's when it has one (its semantics are the spec), else DuckDB's. */
function reference(run: BenchRun, index: number): QueryTiming | null {
  for (const name of ['postgres', 'duckdb'] as const) {
    const timing = run.peers.find((p) => p.name === name)?.phases[0]?.timings[index];
    if (timing?.result) return timing;
  }
  return null;
}

function timingCell(run: BenchRun, timing: QueryTiming | undefined, index: number): string {
  if (timing === undefined) return '';
  if (timing.medianMs === null) return `error: ${timing.error}`;
  const ref = reference(run, index);
  const mismatch = ref !== null && ref !== timing && timing.result !== null && !sameResult(ref.result ?? [], timing.result, timing.query.ordered);
  const rate = run.rows / (timing.medianMs / 1000);
  const rateText = rate >= 1e9 ? `${(rate / 1e9).toFixed(2)} G/s` : `${(rate / 1e6).toFixed(1)} M/s`;
  return `${timing.medianMs.toFixed(1)} ms (${rateText})${mismatch ? ' **wrong result**' : ''}`;
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
  out.push(`- data: ${count(run.rows)} events, seed ${run.seed}; each query warmed up once, then the median of ${run.repeat} runs`);
  if (run.csv) out.push(`- generated CSV for the bulk loads: ${mib(run.csv.bytes)} in ${seconds(run.csv.ms)} s`);
  out.push('', '## Load', '');
  out.push(
    table(
      ['peer', 'version', 'method', 'rows', 'load s', 'rows/s', 'then', 'on disk', 'bytes/row'],
      run.peers.map((p) => {
        if (p.load === null) return [p.name, p.version ?? '', `failed: ${p.failure ?? 'unknown'}`, '', '', '', '', '', ''];
        const l = p.load;
        return [
          p.name,
          p.version ?? '',
          l.method,
          count(l.rows),
          seconds(l.loadMs),
          count(l.rows / (l.loadMs / 1000)),
          l.prepareWhat ? `${l.prepareWhat}: ${seconds(l.prepareMs)} s` : '',
          p.diskBytes === null ? '' : mib(p.diskBytes),
          p.diskBytes === null || l.rows === 0 ? '' : (p.diskBytes / l.rows).toFixed(1),
        ];
      }),
    ),
  );
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
  out.push('', '## SQL', '');
  for (const query of run.queries) out.push(`- ${query.name}: \`${query.sql}\``);
  return out.join('\n') + '\n';
}
