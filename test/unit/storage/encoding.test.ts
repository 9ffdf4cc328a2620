import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pack, unpack } from '../../../storage/bit-pack.js';
import { decodeBlock, encodeBlock } from '../../../storage/block-codec.js';
import { ByteReader, ByteWriter } from '../../../storage/byte-buffer.js';
import { decodeIntegers, encodeIntegers } from '../../../storage/integer-codec.js';
import { type DataType, Types, type Value } from '../../../storage/types.js';
import { valueArbitrary } from './arbitraries.js';
import { getValue, vectorFromValues } from '../../../storage/vector.js';

const everyType: DataType[] = [
  Types.bool,
  Types.int2,
  Types.int4,
  Types.int8,
  Types.float4,
  Types.float8,
  Types.numeric,
  Types.text,
  Types.varchar,
  Types.date,
  Types.timestamp,
  Types.timestamptz,
  Types.jsonb,
];

/** Values read back must be identical, -0 and NaN included; NULL slots must stay NULL. */
function sameValue(a: Value, b: Value): boolean {
  return Object.is(a, b);
}

describe('bit packing', () => {
  test('round-trips every width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 32 }), fc.array(fc.nat(), { maxLength: 200 }), fc.nat(3), (width, raw, offset) => {
        const mask = width === 32 ? 0xffffffff : (1 << width) - 1;
        const values = Uint32Array.from(raw, (v) => (v & mask) >>> 0);
        const packed = pack(values, values.length, width);
        // Unpack from an unaligned copy, as blocks read from files are.
        const shifted = new Uint8Array(packed.length + offset);
        shifted.set(packed, offset);
        const out = new Uint32Array(values.length);
        unpack(shifted.subarray(offset), values.length, width, out);
        expect([...out]).toEqual([...values]);
      }),
    );
  });
});

describe('integer codec', () => {
  test('round-trips exact integers within ±2^52, sorted or not', () => {
    const safe = fc.oneof(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.integer({ min: -100, max: 100 }));
    fc.assert(
      fc.property(fc.array(safe, { maxLength: 300 }), fc.boolean(), (raw, sorted) => {
        const values = Float64Array.from(sorted ? [...raw].sort((a, b) => a - b) : raw);
        const out = new ByteWriter();
        if (!encodeIntegers(values, values.length, out)) return; // not encodable: the caller stores plain
        const decoded = decodeIntegers(new ByteReader(out.finish()), values.length);
        expect([...decoded]).toEqual([...values]);
      }),
    );
  });

  test('sorted timestamps cost a few bits each', () => {
    const values = Float64Array.from({ length: 65536 }, (_, i) => 1.7e15 + i * 1_000_000 + (i % 7));
    const out = new ByteWriter();
    expect(encodeIntegers(values, values.length, out)).toBe(true);
    expect(out.length).toBeLessThan(values.length * 3); // 8 bytes raw; delta needs ~20 bits
    expect([...decodeIntegers(new ByteReader(out.finish()), values.length)]).toEqual([...values]);
  });
});

describe('block codec', () => {
  for (const type of everyType) {
    test(`round-trips ${type.name} blocks with NULLs`, () => {
      fc.assert(
        fc.property(fc.array(valueArbitrary(type), { maxLength: 400 }), (values) => {
          const vector = vectorFromValues(type, values);
          const encoded = encodeBlock(vector);
          const decoded = decodeBlock(encoded.bytes, type, values.length);
          expect(decoded.length).toBe(values.length);
          for (let i = 0; i < values.length; i++) {
            const expected = getValue(vector, i);
            const actual = getValue(decoded, i);
            if (!sameValue(actual, expected)) throw new Error(`row ${i}: expected ${String(expected)}, got ${String(actual)}`);
          }
          expect(encoded.nullCount).toBe(values.filter((v) => v === null).length);
        }),
        { numRuns: 150 },
      );
    });
  }

  test('chooses the light encodings the data allows', () => {
    const many = 10_000;
    const enc = (type: DataType, values: Value[]) => encodeBlock(vectorFromValues(type, values)).encoding;
    expect(enc(Types.text, Array.from({ length: many }, (_, i) => ['web', 'ios', 'android'][i % 3]!))).toBe('dictionary');
    expect(enc(Types.text, Array.from({ length: many }, (_, i) => `user-${i}`))).toBe('strings');
    expect(enc(Types.timestamp, Array.from({ length: many }, (_, i) => 1.7e15 + i))).toBe('integers');
    expect(enc(Types.float8, Array.from({ length: many }, (_, i) => i + 0.5))).toBe('plain');
    expect(enc(Types.int8, [2n ** 62n, 1n])).toBe('plain');
    expect(enc(Types.int4, [null, null])).toBe('nulls');
    expect(enc(Types.bool, [true, false])).toBe('bits');
  });
});
