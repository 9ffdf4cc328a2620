/** The benchmark's command line and its result comparison across peers. */
import { describe, expect, it } from 'vitest';
import { parseBenchOptions, parseCount } from '../../../bench/options.js';
import { geometricMean, median } from '../../../bench/query-runner.js';
import { normalizeValue, sameResult } from '../../../bench/result-compare.js';

describe('bench options', () => {
  it('defaults to 10M rows, every peer, 5 repeats and the results file', () => {
    expect(parseBenchOptions([])).toMatchObject({
      rows: 10_000_000,
      peers: ['eventide', 'duckdb', 'postgres'],
      repeat: 5,
      loadMethod: 'insert',
      connections: 4,
      batchRows: 1_000,
      resultsPath: 'bench/RESULTS.md',
    });
  });

  it('has a smoke mode that writes no results file', () => {
    expect(parseBenchOptions(['--smoke'])).toMatchObject({ rows: 20_000, repeat: 1, resultsPath: null });
    expect(parseBenchOptions(['--rows', '100k', '--results', '/tmp/r.md'])).toMatchObject({ rows: 100_000, resultsPath: '/tmp/r.md' });
  });

  it('reads peers, counts with suffixes and --flag=value', () => {
    expect(parseBenchOptions(['--peers', 'duckdb,postgres', '--rows=1.5M', '--load', 'copy'])).toMatchObject({
      peers: ['duckdb', 'postgres'],
      rows: 1_500_000,
      loadMethod: 'copy',
    });
    expect(parseCount('--rows', '10_000_000')).toBe(10_000_000);
    expect(parseBenchOptions(['--help'])).toBe('help');
    expect((parseBenchOptions(['--queries', 'PERCENTILE|count by']) as { queryFilter: RegExp }).queryFilter.test('duration percentiles')).toBe(true);
    expect(parseBenchOptions([])).toMatchObject({ queryFilter: null });
  });

  it('rejects mistakes with the usage', () => {
    expect(() => parseBenchOptions(['--peers', 'mysql'])).toThrow(/unknown peer "mysql"[\s\S]*usage/);
    expect(() => parseBenchOptions(['--rows', 'many'])).toThrow(/--rows must be a non-negative count/);
    expect(() => parseBenchOptions(['--repeat', '0'])).toThrow(/--repeat must be at least 1/);
    expect(() => parseBenchOptions(['--batch-rows', '5000'])).toThrow(/parameters/);
    expect(() => parseBenchOptions(['--rows'])).toThrow(/--rows needs a value/);
    expect(() => parseBenchOptions(['--frobnicate'])).toThrow(/unknown option/);
    expect(() => parseBenchOptions(['--queries', '('])).toThrow(/regular expression/);
  });
});

describe('result comparison', () => {
  it('treats numeric and double forms of the same average as equal', () => {
    expect(normalizeValue('31985.123456789012345')).toBe(normalizeValue('31985.12345678901'));
    expect(sameResult([['mobile', '31985.123456789012345']], [['mobile', '31985.12345678901']], false)).toBe(true);
    expect(sameResult([['mobile', '31985.5']], [['mobile', '31985.6']], false)).toBe(false);
  });

  it('treats timestamp text forms of the same instant as equal', () => {
    expect(normalizeValue('2024-04-02 00:00:23.908+00')).toBe(normalizeValue('2024-04-02T00:00:23.908Z'));
    expect(normalizeValue('2024-04-02 02:00:23.908+02:00')).toBe(normalizeValue('2024-04-02 00:00:23.908+00'));
  });

  it('ignores row order unless the query orders its result, and tells NULL from text', () => {
    const a = [['US', '10.00'], [null, '1.00']];
    const b = [[null, '1.00'], ['US', '10.00']];
    expect(sameResult(a, b, false)).toBe(true);
    expect(sameResult(a, b, true)).toBe(false);
    expect(sameResult([[null]], [['NULL']], false)).toBe(false);
    expect(sameResult([['x']], [['x'], ['x']], false)).toBe(false);
  });

  it('computes medians and geometric means', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(geometricMean([2, 8])).toBeCloseTo(4, 12);
  });
});
