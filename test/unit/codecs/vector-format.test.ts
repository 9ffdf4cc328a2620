/**
 * formatVectorText must print exactly what formatText prints for each live row, NULLs as null,
 * honouring a selection vector, for every layout.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Types, type DataType, type Value } from '../../../storage/types.js';
import { formatText, formatVectorText, type FormatSettings } from '../../../storage/value-codecs.js';
import { vectorFromValues } from '../../../storage/vector.js';

const settingsVariants: FormatSettings[] = [
  { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 },
  { timeZone: 'America/New_York', dateStyle: 'SQL, DMY', extraFloatDigits: 0 },
  { timeZone: 'Asia/Kolkata', dateStyle: 'German', extraFloatDigits: -3 },
];

const columns: [DataType, fc.Arbitrary<Value>][] = [
  [Types.bool, fc.boolean()],
  [Types.int2, fc.integer({ min: -32768, max: 32767 })],
  [Types.int4, fc.integer({ min: -2147483648, max: 2147483647 })],
  [Types.int8, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  [Types.float4, fc.float().map((v) => Math.fround(v))],
  [Types.float8, fc.double()],
  [Types.numeric, fc.constantFrom('0', '1.50', '-3.25', 'NaN', 'Infinity', '123456789012345678901234567890.5')],
  [Types.text, fc.string()],
  [Types.date, fc.integer({ min: -800_000, max: 800_000 })],
  [Types.timestamp, fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 })],
  [Types.timestamptz, fc.oneof(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.constantFrom(Infinity, -Infinity))],
];

describe('formatVectorText', () => {
  for (const [type, value] of columns) {
    it(`${type.name}: the same text as formatText, row by row`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.option(value, { nil: null }), { maxLength: 40 }),
          fc.boolean(),
          fc.constantFrom(...settingsVariants),
          (values, select, settings) => {
            const vector = vectorFromValues(type, values);
            const rows = select ? Int32Array.from(values.keys()).filter((i) => i % 3 !== 1) : null;
            const live = rows === null ? [...values.keys()] : [...rows];
            const expected = live.map((i) => {
              const v = values[i] ?? null;
              return v === null ? null : formatText(type, v, settings);
            });
            expect(formatVectorText(vector, rows, settings)).toEqual(expected);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
