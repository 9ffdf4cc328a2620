/**
 * The Markdown report: Eventide's two phases, wrong answers flagged with their first differing
 * row, ratios and their geometric mean, peak memory, and scan rates next to the typed-array loop.
 */
import { describe, expect, it } from 'vitest';
import type { QueryTiming } from '../../../bench/query-runner.js';
import type { BenchQuery } from '../../../bench/queries.js';
import { renderReport, type BenchRun, type PeerRun } from '../../../bench/report.js';

const queries: BenchQuery[] = [
  { name: 'count', sql: 'SELECT count(*) FROM events', ordered: false, scan: 'count-true-uint8' },
  { name: 'by type', sql: 'SELECT event_type, count(*) FROM events GROUP BY event_type', ordered: false },
  { name: 'distinct', sql: 'SELECT count(DISTINCT user_id) FROM events', ordered: false },
];

function timing(query: BenchQuery, medianMs: number | null, result: string[][] | null, error: string | null = null, cpuMs: number | null = null): QueryTiming {
  return { query, medianMs, timesMs: medianMs === null ? [] : [medianMs], result, error, cpuMs };
}

const load = { rows: 1_000_000, loadMs: 10_000, usersRows: 20_000, usersLoadMs: 500, method: 'm', prepareMs: 0, prepareWhat: '' };
const [count, byType, distinct] = queries as [BenchQuery, BenchQuery, BenchQuery];

function peer(name: PeerRun['name'], phases: PeerRun['phases']): PeerRun {
  const memory = { method: `${name} memory`, loadPeakBytes: 300 * 2 ** 20, queryPeakBytes: 500 * 2 ** 20 };
  return { name, version: name, load, diskBytes: 50_000_000, memory, phases, failure: null };
}

const run: BenchRun = {
  machine: { cpu: 'cpu', cores: 2, memoryGiB: 24, os: 'linux', node: 'v20', commit: 'abc', date: '2024-07-01T00:00:00.000Z', loadAverage: 0.5 },
  loadAverageAtEnd: 0.7,
  command: 'npm run bench',
  rows: 1_000_000,
  seed: 1,
  repeat: 5,
  queries,
  csv: null,
  peers: [
    peer('eventide', [
      { label: 'tail', timings: [timing(count, 20, [['1000000']]), timing(byType, 40, [['a', '1']]), timing(distinct, null, null, '0A000: not supported')] },
      { label: 'segments', timings: [timing(count, 10, [['1000000']], null, 20), timing(byType, 20, [['a', '2']]), timing(distinct, null, null, '0A000: not supported')] },
    ]),
    peer('postgres', [{ label: 'loaded', timings: [timing(count, 40, [['1000000']]), timing(byType, 80, [['a', '1']]), timing(distinct, 100, [['7']])] }]),
  ],
  scanCeilings: [{ kernel: 'count-true-uint8', rows: 1_000_000, rowsPerSecond: 500_000_000, description: 'count loop' }],
};

describe('report', () => {
  const report = renderReport(run);
  const line = (name: string) => report.split('\n').find((l) => l.startsWith(`| ${name} |`)) ?? '';

  it('shows both Eventide phases and the peer, with rows scanned per second', () => {
    expect(report).toContain('| query | eventide (tail) | eventide (segments) | postgres | eventide / postgres |');
    expect(line('count')).toBe('| count | 20.0 ms (50.0 M/s) | 10.0 ms (100.0 M/s) | 40.0 ms (25.0 M/s) | 0.25 |');
  });

  it('flags an answer that differs from PostgreSQL', () => {
    expect(line('by type')).toMatch(/^\| by type \| 40\.0 ms \(25\.0 M\/s\) \| 20\.0 ms \(50\.0 M\/s\) \*\*wrong result\*\* \| 80\.0 ms/);
  });

  it('reports a failing query and leaves it out of the geometric mean', () => {
    expect(line('distinct')).toContain('error: 0A000: not supported');
    // geometric mean of 10/40 and 20/80 over the two queries both ran.
    expect(line('**geometric mean**')).toContain('0.25 (2 queries)');
    expect(line('**sum of medians**')).toBe('| **sum of medians** | 0.06 s (2 queries) | 0.03 s (2 queries) | 0.22 s (3 queries) |  |');
  });

  it('reports load rate and on-disk size per row', () => {
    expect(line('eventide')).toBe('| eventide | eventide | m | 1,000,000 | 10.0 | 100,000 | 0.5 |  | 48 MiB | 50.0 | 300 MiB | 500 MiB |');
    expect(report).toContain('1,000,000 events and 20,000 users');
    expect(report).toContain('eventide: eventide memory; postgres: postgres memory');
  });

  it('shows the first differing row of a wrong answer', () => {
    expect(report).toContain('- by type, eventide (segments): 1 rows vs 1; row 1: `a, 2`, postgres `a, 1`');
    expect(report).not.toContain('by type, eventide (tail)');
  });

  it('puts the scan rate per core next to the typed-array loop', () => {
    // 1M rows in 20 ms of CPU: 50 M/s per core, against a 500 M/s loop.
    const scanLine = report.split('\n').filter((l) => l.startsWith('| count |')).at(-1);
    expect(report).toContain('## Scan rate vs typed-array loop');
    expect(scanLine).toBe('| count | 10.0 ms | 100.0 M/s | 20 ms | 50.0 M/s |  |  | 500.0 M/s (count loop) | 10.0 |');
  });
});
