/**
 * Numeric arithmetic, rounding, conversions and sum/avg against PostgreSQL 15 (numeric-ops.json),
 * plus algebraic properties of the exact arithmetic checked with fast-check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from '../../../storage/float-format.js';
import {
  NumericAccumulator,
  numericAbs,
  numericAdd,
  numericCompare,
  numericDiv,
  numericFromFloat4,
  numericFromNumber,
  numericMod,
  numericMul,
  numericNegate,
  numericRound,
  numericSub,
  numericToBigInt,
  numericToFloat4,
  numericToNumber,
  numericTrunc,
  parseNumeric,
} from '../../../storage/numeric.js';
import { parseInt8 } from '../../../storage/value-codecs-scalar.js';
import { loadFixture, mismatches, outcomeOf, type Recorded } from './fixtures.js';

interface OpCase extends Recorded {
  readonly op: string;
  readonly args: readonly string[];
}

const integerNames: Record<string, string> = { to_int2: 'smallint', to_int4: 'integer', to_int8: 'bigint' };

function run(c: OpCase): unknown {
  const [first = '', second = ''] = c.args;
  const a = () => parseNumeric(first);
  const b = () => parseNumeric(second);
  switch (c.op) {
    case 'add':
      return numericAdd(a(), b());
    case 'sub':
      return numericSub(a(), b());
    case 'mul':
      return numericMul(a(), b());
    case 'div':
      return numericDiv(a(), b());
    case 'mod':
      return numericMod(a(), b());
    case 'cmp':
      return String(numericCompare(a(), b()));
    case 'round':
      return numericRound(a(), Number(second));
    case 'trunc':
      return numericTrunc(a(), Number(second));
    case 'abs':
      return numericAbs(a());
    case 'neg':
      return numericNegate(a());
    case 'to_int2':
    case 'to_int4':
    case 'to_int8':
      return String(numericToBigInt(a(), integerNames[c.op] as string));
    case 'to_float4':
      return formatFloat4(numericToFloat4(a()), 1);
    case 'to_float8':
      return formatFloat8(numericToNumber(a()), 1);
    case 'from_float8':
      return numericFromNumber(parseFloat8(first));
    case 'from_float4':
      return numericFromFloat4(parseFloat4(first));
    case 'sum_avg': {
      const accumulator = new NumericAccumulator();
      for (const value of c.args) accumulator.add(parseNumeric(value));
      return [accumulator.sum(), accumulator.avg()];
    }
    case 'sum_avg_int8': {
      const accumulator = new NumericAccumulator();
      for (const value of c.args) accumulator.addBigInt(parseInt8(value));
      return [accumulator.sum(), accumulator.avg()];
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

describe('numeric operations', () => {
  it('match PostgreSQL for every recorded case', () => {
    const cases = loadFixture<OpCase>('numeric-ops.json');
    expect(cases.length).toBeGreaterThan(1000);
    const wrong = mismatches(cases, (c) => outcomeOf(() => run(c)));
    expect(wrong.slice(0, 40).join('\n'), `${wrong.length} of ${cases.length} differ`).toBe('');
  });
});

/** Finite decimals as canonical text, built from a BigInt and a scale. */
const decimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }))
  .map(([value, scale]) => {
    const negative = value < 0n;
    const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
    return parseNumeric((negative ? '-' : '') + text);
  });

describe('numeric arithmetic properties', () => {
  it('a + b - b == a, with the larger scale', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const back = numericSub(numericAdd(a, b), b);
        expect(numericCompare(back, a)).toBe(0);
      }),
    );
  });

  it('addition commutes and multiplication is exact', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(numericAdd(a, b)).toBe(numericAdd(b, a));
        expect(numericMul(a, b)).toBe(numericMul(b, a));
      }),
    );
  });

  it('a == trunc(a / b) * b + a % b for nonzero b', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        fc.pre(numericCompare(b, '0') !== 0);
        const quotient = numericTrunc(numericDiv(numericSub(a, numericMod(a, b)), b), 0);
        expect(numericCompare(numericAdd(numericMul(quotient, b), numericMod(a, b)), a)).toBe(0);
      }),
    );
  });

  it('compare agrees with subtraction and parsing keeps the value', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const difference = numericSub(a, b);
        const sign = difference.startsWith('-') ? -1 : /[1-9]/.test(difference) ? 1 : 0;
        expect(numericCompare(a, b)).toBe(sign);
        expect(parseNumeric(`  ${a}  `)).toBe(a);
      }),
    );
  });

  it('the accumulator merges partial sums exactly', () => {
    fc.assert(
      fc.property(fc.array(decimal, { maxLength: 20 }), fc.nat(20), (values, cut) => {
        const whole = new NumericAccumulator();
        const left = new NumericAccumulator();
        const right = new NumericAccumulator();
        values.forEach((v, i) => {
          whole.add(v);
          (i < cut ? left : right).add(v);
        });
        left.merge(right);
        expect(left.count).toBe(whole.count);
        expect(left.sum()).toBe(whole.sum());
        expect(left.avg()).toBe(whole.avg());
      }),
    );
  });
});
