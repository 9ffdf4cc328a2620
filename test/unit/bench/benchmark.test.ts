/**
 * A small benchmark run end to end against the peers that need no Eventide build: loads,
 * times every query, cross-checks the answers and reports a failing query as an error.
 */
import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../../../bench/benchmark.js';
import { parseBenchOptions, type BenchOptions } from '../../../bench/options.js';
import { findPostgresBinDir } from '../../../bench/peers/postgres-cluster.js';
import { BENCH_QUERIES } from '../../../bench/queries.js';
import { renderReport } from '../../../bench/report.js';

const peers = findPostgresBinDir() === null ? 'duckdb' : 'duckdb,postgres';

describe('benchmark run', () => {
  it('loads the peers, times the queries, agrees on the answers and reports errors', async () => {
    const options = parseBenchOptions(['--rows', '3000', '--repeat', '2', '--peers', peers]) as BenchOptions;
    const queries = [...BENCH_QUERIES, { name: 'broken', sql: 'SELECT no_such_column FROM events', ordered: false }];
    const run = await runBenchmark(options, 'test', () => undefined, queries);
    expect(run.peers.map((p) => p.name)).toEqual(peers.split(','));
    for (const peer of run.peers) {
      expect(peer.failure).toBeNull();
      expect(peer.load?.rows).toBe(3000);
      expect(peer.diskBytes).toBeGreaterThan(0);
      const timings = peer.phases[0]!.timings;
      expect(timings.slice(0, -1).every((t) => t.error === null && t.timesMs.length === 2)).toBe(true);
      expect(timings.at(-1)!.error).toMatch(/column/);
    }
    const count = run.peers[0]!.phases[0]!.timings[0]!.result;
    expect(count).toEqual([['3000']]);
    const report = renderReport(run);
    expect(report).toContain('| count by event_type |');
    expect(report).toMatch(/\| broken \| error: /);
    expect(report).not.toContain('wrong result');
  });
});
