import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hashString, mix32, partitionOfValue, partitionsOf } from '../../../storage/partition-hash.js';
import { type DataType, Types } from '../../../storage/types.js';
import { getValue, vectorFromValues } from '../../../storage/vector.js';
import { valueArbitrary } from './arbitraries.js';

describe('partition hash', () => {
  const keyTypes: DataType[] = [Types.bool, Types.int2, Types.int4, Types.int8, Types.float4, Types.float8, Types.text, Types.date, Types.timestamptz];
  for (const type of keyTypes) {
    test(`the partition of a ${type.name} value is the same row by row and one value at a time`, () => {
      fc.assert(
        fc.property(fc.array(valueArbitrary(type), { maxLength: 50 }), fc.integer({ min: 1, max: 64 }), (values, count) => {
          const vector = vectorFromValues(type, values);
          const partitions = partitionsOf(vector, count);
          for (let i = 0; i < values.length; i++) {
            expect(partitions[i]).toBe(partitionOfValue(type.layout, getValue(vector, i), count));
            expect(partitions[i]).toBeGreaterThanOrEqual(0);
            expect(partitions[i]).toBeLessThan(count);
          }
        }),
      );
    });
  }

  test('NULL keys go to partition 0; -0 and 0 share a partition, as equal keys must', () => {
    expect([...partitionsOf(vectorFromValues(Types.int8, [null, null]), 16)]).toEqual([0, 0]);
    const zeros = partitionsOf(vectorFromValues(Types.float8, [0, -0]), 16);
    expect(zeros[0]).toBe(zeros[1]);
  });

  test('strings hash as FNV-1a over UTF-16 code units, then the murmur3 finalizer', () => {
    // FNV-1a 32-bit reference values: "" = 0x811c9dc5, "a" = 0xe40c292c, "foobar" = 0xbf9cf968.
    expect(hashString('')).toBe(mix32(0x811c9dc5));
    expect(hashString('a')).toBe(mix32(0xe40c292c));
    expect(hashString('foobar')).toBe(mix32(0xbf9cf968));
    // murmur3 fmix32 reference values.
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(0x514e28b7);
  });

  test('sequential user ids spread evenly over partitions', () => {
    const n = 80_000;
    const ids = vectorFromValues(Types.int8, Array.from({ length: n }, (_, i) => BigInt(i + 1)));
    const counts = new Array<number>(8).fill(0);
    for (const p of partitionsOf(ids, 8)) counts[p]!++;
    for (const c of counts) expect(Math.abs(c - n / 8)).toBeLessThan(n / 8 / 20);
  });
});
