/**
 * Sections of the results report beyond the query table: the scan rates next to the
 * typed-array loop, and the first differing rows of every answer that did not match.
 */
import type { PeerRun, BenchRun } from './report.js';
import type { QueryTiming } from './query-runner.js';
import { normalizeResult, sameResult } from './result-compare.js';

export const count = (n: number) => Math.round(n).toLocaleString('en-US');

export function rate(rowsPerSecond: number): string {
  return rowsPerSecond >= 1e9 ? `${(rowsPerSecond / 1e9).toFixed(2)} G/s` : `${(rowsPerSecond / 1e6).toFixed(1)} M/s`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
  return lines.join('\n');
}

/** The phase of a peer the comparisons use: Eventide's last (segments), a peer's only one. */
export function measuredPhase(peer: PeerRun | undefined) {
  return peer?.phases[peer.phases.length - 1];
}

/** The reference answer: PostgreSQL's when it has one (its semantics are the spec), else DuckDB's. */
export function reference(run: BenchRun, index: number): { peer: string; timing: QueryTiming } | null {
  for (const name of ['postgres', 'duckdb'] as const) {
    const timing = run.peers.find((p) => p.name === name)?.phases[0]?.timings[index];
    if (timing?.result) return { peer: name, timing };
  }
  return null;
}

export function isWrong(run: BenchRun, timing: QueryTiming, index: number): boolean {
  const ref = reference(run, index);
  return ref !== null && ref.timing !== timing && timing.result !== null && !sameResult(ref.timing.result ?? [], timing.result, timing.query.ordered);
}

/** rows / CPU second of the peer's processes: rows per second per core used. */
function perCore(run: BenchRun, timing: QueryTiming | undefined): string {
  if (timing?.medianMs == null || timing.cpuMs == null || timing.cpuMs <= 0) return '';
  return rate(run.rows / (timing.cpuMs / 1000));
}

const SCAN_RATE_HEADER = [
  'query',
  'eventide',
  'eventide rows/s',
  'eventide CPU',
  'eventide rows/s per core',
  'duckdb rows/s per core',
  'postgres rows/s per core',
  'typed-array loop, 1 core',
  'loop / eventide per core',
];

export function scanRateSection(run: BenchRun): string[] {
  if (run.scanCeilings.length === 0) return [];
  const eventide = measuredPhase(run.peers.find((p) => p.name === 'eventide'));
  const duckdb = measuredPhase(run.peers.find((p) => p.name === 'duckdb'));
  const postgres = measuredPhase(run.peers.find((p) => p.name === 'postgres'));
  const rows = run.scanCeilings.flatMap((ceiling) => {
    const index = run.queries.findIndex((q) => q.scan === ceiling.kernel);
    if (index < 0) return [];
    const ours = eventide?.timings[index];
    const ourRate = ours?.medianMs == null ? null : run.rows / (ours.medianMs / 1000);
    const ourPerCore = ours?.cpuMs == null || ours.cpuMs <= 0 || ours.medianMs == null ? null : run.rows / (ours.cpuMs / 1000);
    return [
      [
        run.queries[index]?.name ?? '',
        ours === undefined ? '' : ours.medianMs === null ? `error: ${ours.error}` : `${ours.medianMs.toFixed(1)} ms`,
        ourRate === null ? '' : rate(ourRate),
        ours?.cpuMs == null ? '' : `${ours.cpuMs.toFixed(0)} ms`,
        ourPerCore === null ? '' : rate(ourPerCore),
        perCore(run, duckdb?.timings[index]),
        perCore(run, postgres?.timings[index]),
        `${rate(ceiling.rowsPerSecond)} (${ceiling.description})`,
        ourPerCore === null ? '' : (ceiling.rowsPerSecond / ourPerCore).toFixed(1),
      ],
    ];
  });
  const rowsText = count(Math.min(...run.scanCeilings.map((c) => c.rows)));
  return [
    '',
    '## Scan rate vs typed-array loop',
    '',
    "Single-column queries on Eventide (after CHECKPOINT) next to a plain typed-array loop doing the same work in the benchmark process, " +
      `on one core, in 64K-row chunks over ${rowsText} values. CPU is the server's user + system time per run (all threads), ` +
      "so rows/s per core is rows / CPU seconds (likewise for the peers: DuckDB's is the benchmark process's CPU, PostgreSQL's its cluster's); " +
      'the last column is how many times faster the loop is per core.',
    '',
    table(SCAN_RATE_HEADER, rows),
  ];
}

/** The first differing row of each wrong answer, so a mismatch can be looked into without a rerun. */
export function differencesSection(run: BenchRun): string[] {
  const lines: string[] = [];
  run.queries.forEach((query, index) => {
    const ref = reference(run, index);
    if (ref === null) return;
    for (const peer of run.peers) {
      for (const phase of peer.phases) {
        const timing = phase.timings[index];
        if (timing === undefined || !isWrong(run, timing, index)) continue;
        const expected = normalizeResult(ref.timing.result ?? [], query.ordered);
        const got = normalizeResult(timing.result ?? [], query.ordered);
        const at = expected.findIndex((line, i) => line !== got[i]);
        const row = at < 0 ? got.length : at;
        const show = (line: string | undefined) => (line === undefined ? 'no row' : `\`${line.replaceAll('\u0001', ', ').replaceAll('\u0000', 'NULL')}\``);
        const label = peer.phases.length > 1 ? `${peer.name} (${phase.label})` : peer.name;
        lines.push(`- ${query.name}, ${label}: ${got.length} rows vs ${expected.length}; row ${row + 1}: ${show(got[row])}, ${ref.peer} ${show(expected[row])}`);
      }
    }
  });
  return lines.length === 0 ? [] : ['', '## Wrong results', '', 'First differing row (values normalised as compared), against the reference peer.', '', ...lines];
}
