import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { groupRuns, kthSmallest, percentileOfRun } from '../../../planner/physical/order-statistics.js';

describe('order statistics by quickselect', () => {
  test('kthSmallest agrees with a full sort for every k', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }), (raw) => {
        const sorted = [...raw].sort((a, b) => a - b);
        for (let k = 0; k < raw.length; k++) expect(kthSmallest(Float64Array.from(raw), 0, raw.length, k)).toBe(sorted[k]);
      }),
    );
  });

  test('percentiles per group match the sorted definition, both directions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v + 0)), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (rows, fraction, descending) => {
          const groups = rows.map((r) => r[0]);
          const runs = groupRuns(rows.map((r) => r[1]), groups, 4);
          expect(runs).not.toBeNull();
          for (let g = 0; g < 4; g++) {
            const values = rows.filter((r) => r[0] === g).map((r) => r[1]).sort((a, b) => (descending ? b - a : a - b));
            if (values.length === 0) continue;
            const n = values.length;
            const disc = values[Math.max(Math.ceil(fraction * n), 1) - 1];
            const position = fraction * (n - 1);
            const low = values[Math.floor(position)] as number;
            const high = values[Math.ceil(position)] as number;
            const cont = Math.floor(position) === Math.ceil(position) ? low : low + (position - Math.floor(position)) * (high - low);
            expect(percentileOfRun(runs!, g, fraction, false, descending)).toBe(disc);
            expect(percentileOfRun(runs!, g, fraction, true, descending)).toBe(cont);
          }
        },
      ),
    );
  });

  test('a NaN leaves the values to the comparator path', () => {
    expect(groupRuns([1, Number.NaN], [0, 0], 1)).toBeNull();
  });
});
