import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareDecimalText } from '../../../storage/decimal-text-order.js';
import { compareCodePoints, compareNumbers } from '../../../storage/sort-order.js';
import { sortPermutation } from '../../../storage/sort-permutation.js';
import { Types } from '../../../storage/types.js';
import { getValue, vectorFromValues } from '../../../storage/vector.js';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('text order', () => {
  test('is UTF-8 byte order (PostgreSQL "C" collation)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('\uffff', '\u{10000}', '\ue000', ''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        // Lone surrogates have no UTF-8 form; compare only well-formed strings against bytes.
        if (!a.isWellFormed() || !b.isWellFormed()) return;
        expect(sign(compareCodePoints(a, b))).toBe(sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });
});

describe('numeric order', () => {
  const decimal = fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 25n }), fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }))
    .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`);
  const scaled = (s: string): bigint => {
    const negative = s.startsWith('-');
    const [i, f = ''] = s.replace('-', '').split('.');
    const v = BigInt(i!) * 10n ** 12n + BigInt(f.padEnd(12, '0'));
    return negative ? -v : v;
  };

  test('orders finite decimals by value', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const expected = scaled(a) < scaled(b) ? -1 : scaled(a) > scaled(b) ? 1 : 0;
        expect(sign(compareDecimalText(a, b))).toBe(expected);
      }),
    );
  });

  test('puts -Infinity first and NaN above Infinity, as PostgreSQL does', () => {
    const sorted = ['NaN', '1.5', '-Infinity', 'Infinity', '-2', '0', '1.50', '-0.001'].sort(compareDecimalText);
    expect(sorted).toEqual(['-Infinity', '-2', '-0.001', '0', '1.5', '1.50', 'Infinity', 'NaN']);
  });
});

describe('float order', () => {
  test('NaN sorts above Infinity and -0 equals 0', () => {
    expect(compareNumbers(Number.NaN, Infinity)).toBeGreaterThan(0);
    expect(compareNumbers(Number.NaN, Number.NaN)).toBe(0);
    expect(compareNumbers(-0, 0)).toBe(0);
  });
});

describe('sort permutation', () => {
  test('sorts by several keys with NULLs last and keeps ties in arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), fc.option(fc.bigInt({ min: -3n, max: 3n }), { nil: null })), {
          maxLength: 60,
        }),
        async (rows) => {
          const a = vectorFromValues(Types.int4, rows.map((r) => r[0]));
          const b = vectorFromValues(Types.int8, rows.map((r) => r[1]));
          const permutation = await sortPermutation([a, b], [0, 1], rows.length);
          const order = permutation === null ? rows.map((_, i) => i) : [...permutation];
          const key = (v: number | bigint | null) => (v === null ? Infinity : Number(v));
          const expected = rows
            .map((r, i) => ({ r, i }))
            .sort((x, y) => key(x.r[0]) - key(y.r[0]) || key(x.r[1]) - key(y.r[1]) || x.i - y.i)
            .map((x) => x.i);
          expect(order).toEqual(expected);
          expect(order.map((i) => getValue(a, i))).toEqual(expected.map((i) => rows[i]![0]));
        },
      ),
    );
  });

  test('merges sorted slices of a large input stably (the path flushes of big tails take)', async () => {
    const n = 100_000; // several 32K-row slices and merge passes
    const keys = Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    const vector = vectorFromValues(Types.int4, keys);
    const permutation = await sortPermutation([vector], [0], n);
    expect(permutation).not.toBeNull();
    const order = [...permutation!];
    const expected = keys.map((k, i) => ({ k, i })).sort((x, y) => x.k - y.k || x.i - y.i).map((x) => x.i);
    expect(order).toEqual(expected);
  });
});
