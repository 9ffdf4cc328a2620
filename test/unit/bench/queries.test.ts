/** The workload's query list: big enough, uniquely named, each scan kernel used once, same text for every peer. */
import { describe, expect, it } from 'vitest';
import { BENCH_QUERIES } from '../../../bench/queries.js';
import { SCAN_KERNELS } from '../../../bench/scan-ceiling.js';

describe('benchmark queries', () => {
  it('has at least 30 queries with unique names', () => {
    expect(BENCH_QUERIES.length).toBeGreaterThanOrEqual(30);
    const names = BENCH_QUERIES.map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('orders every LIMIT and marks ordered results', () => {
    for (const query of BENCH_QUERIES) {
      if (/\bLIMIT\b/i.test(query.sql)) expect(query.sql, query.name).toMatch(/ORDER BY/i);
      // A trailing ORDER BY makes the order part of the answer; a subquery's does not.
      expect(query.ordered, query.name).toBe(/ORDER BY [^)]*$/i.test(query.sql));
    }
  });

  it('covers the kinds of query the workload promises', () => {
    const all = BENCH_QUERIES.map((q) => q.sql).join('\n');
    for (const feature of ['JOIN users', 'percentile_cont(0.99)', "date_trunc('hour'", "->>'plan'", "->>'ab_group'", 'count(DISTINCT', 'WITH ', ' LIKE ', ' IN (']) {
      expect(all).toContain(feature);
    }
  });

  it('has one query per scan kernel', () => {
    for (const kernel of SCAN_KERNELS) expect(BENCH_QUERIES.filter((q) => q.scan === kernel)).toHaveLength(1);
  });
});
