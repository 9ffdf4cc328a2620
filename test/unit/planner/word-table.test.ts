import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { WordTable } from '../../../planner/physical/word-table.js';

describe('WordTable', () => {
  test('gives the same dense ids as a Map of the keys, through growth, for every width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 3000 }), (width, raw) => {
        const n = Math.floor(raw.length / width);
        const words = Int32Array.from(raw.slice(0, n * width));
        const table = new WordTable(width, 1);
        const ids = new Int32Array(n);
        const added = table.insert(words, n, ids);
        const seen = new Map<string, number>();
        const expectedAdded: number[] = [];
        for (let i = 0; i < n; i++) {
          const key = Array.from(words.subarray(i * width, (i + 1) * width)).join(',');
          if (!seen.has(key)) {
            seen.set(key, seen.size);
            expectedAdded.push(i);
          }
          expect(ids[i]).toBe(seen.get(key));
        }
        expect(added).toEqual(expectedAdded);
        expect(table.count).toBe(seen.size);
        const found = new Int32Array(n);
        table.find(words, n, found);
        expect(Array.from(found)).toEqual(Array.from(ids));
        const absent = new Int32Array(width).fill(99);
        const none = new Int32Array(1);
        table.find(absent, 1, none);
        expect(none[0]).toBe(-1);
      }),
      { numRuns: 200 },
    );
  });
});
