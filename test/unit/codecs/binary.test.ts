/**
 * Binary wire formats: PostgreSQL 15's send output byte for byte (binary-send.json), its receive
 * functions' answers to crafted parameters (binary-receive.json), round trips of random values
 * (fast-check), and node-postgres's own binary parsers reading what Eventide sends.
 */
import fc from 'fast-check';
import pgTypes from 'pg-types';
import { describe, expect, it } from 'vitest';
import { DATE_NEGATIVE_INFINITY, DATE_POSITIVE_INFINITY } from '../../../storage/datetime.js';
import { parseJsonb } from '../../../storage/jsonb.js';
import { parseNumeric } from '../../../storage/numeric.js';
import { Types, type DataType, type Value } from '../../../storage/types.js';
import { decodeBinary, encodeBinary, formatText, parseText } from '../../../storage/value-codecs.js';
import { loadFixture, mismatches, outcomeOf, typeFromSql, type Recorded } from './fixtures.js';

interface SendCase extends Recorded {
  readonly type: string;
  readonly input: string;
  readonly hex: string;
}

interface ReceiveCase extends Recorded {
  readonly type: string;
  readonly hex: string;
}

describe('binary send', () => {
  const cases = loadFixture<SendCase>('binary-send.json');

  it('produces PostgreSQL bytes for every recorded value', () => {
    expect(cases.length).toBeGreaterThan(100);
    const wrong = mismatches(
      cases.map((c) => ({ ...c, output: c.hex })),
      (c) => {
        const type = typeFromSql(c.type);
        return outcomeOf(() => encodeBinary(type, parseText(type, c.input, null)).toString('hex'));
      },
    );
    expect(wrong.join('\n'), `${wrong.length} differ`).toBe('');
  });

  it('reads PostgreSQL bytes back to the same value', () => {
    const wrong = mismatches(cases, (c) => {
      const type = typeFromSql(c.type);
      return outcomeOf(() => formatText(type, decodeBinary(type, Buffer.from(c.hex, 'hex')), null));
    });
    expect(wrong.join('\n'), `${wrong.length} differ`).toBe('');
  });
});

describe('binary receive', () => {
  it('normalizes or rejects crafted parameters as PostgreSQL does', () => {
    // The Bind handler, not the codec, names the parameter in PostgreSQL's message.
    const cases = loadFixture<ReceiveCase>('binary-receive.json').map((c) =>
      c.error === undefined ? c : { ...c, error: { ...c.error, message: c.error.message.replace(/ in bind parameter \d+$/, '') } },
    );
    expect(cases.length).toBeGreaterThan(20);
    const wrong = mismatches(cases, (c) => {
      const type = typeFromSql(c.type);
      return outcomeOf(() => formatText(type, decodeBinary(type, Buffer.from(c.hex, 'hex')), null));
    });
    expect(wrong.join('\n'), `${wrong.length} differ`).toBe('');
  });

  it('rejects values of the wrong length', () => {
    expect(() => decodeBinary(Types.int4, Buffer.from('0001', 'hex'))).toThrow(/insufficient data/);
    expect(() => decodeBinary(Types.int8, Buffer.alloc(9))).toThrow(/incorrect binary data format/);
    expect(() => decodeBinary(Types.numeric, Buffer.alloc(3))).toThrow(/insufficient data/);
  });
});

/** Random values of each type in its JS form, with the equality a round trip must keep. */
const arbitraries: [DataType, fc.Arbitrary<Value>][] = [
  [Types.bool, fc.boolean()],
  [Types.int2, fc.integer({ min: -32768, max: 32767 })],
  [Types.int4, fc.integer({ min: -2147483648, max: 2147483647 })],
  [Types.int8, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  [Types.float4, fc.float({ noDefaultInfinity: false }).map((v) => Math.fround(v))],
  [Types.float8, fc.double()],
  [
    Types.numeric,
    fc.oneof(
      fc.tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 30 })).map(([v, s]) => {
        const digits = (v < 0n ? -v : v).toString().padStart(s + 1, '0');
        const text = s === 0 ? digits : digits.slice(0, digits.length - s) + '.' + digits.slice(digits.length - s);
        return parseNumeric((v < 0n ? '-' : '') + text);
      }),
      fc.constantFrom('NaN', 'Infinity', '-Infinity', '0', '0.0000'),
    ),
  ],
  [Types.text, fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000'))],
  [
    Types.date,
    fc.oneof(
      fc.integer({ min: -2440588, max: 2145042905 }),
      fc.constantFrom(DATE_NEGATIVE_INFINITY, DATE_POSITIVE_INFINITY),
    ),
  ],
  [
    Types.timestamptz,
    fc.oneof(
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
      fc.constantFrom(Infinity, -Infinity),
    ),
  ],
  [Types.jsonb, fc.json().map((text) => parseJsonb(text))],
];

describe('binary round trips', () => {
  for (const [type, arbitrary] of arbitraries) {
    it(`${type.name}: decode(encode(v)) == v`, () => {
      fc.assert(
        fc.property(arbitrary, (value) => {
          const back = decodeBinary(type, encodeBinary(type, value));
          expect(Object.is(back, value) || back === value).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe("node-postgres's binary parsers", () => {
  const parse = (oid: number, bytes: Buffer) => (pgTypes.getTypeParser(oid, 'binary') as (b: Buffer) => unknown)(bytes);

  it('read integers, floats, booleans and text as Eventide sent them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -32768, max: 32767 }),
        fc.integer({ min: -2147483648, max: 2147483647 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        // node-postgres's float parsers flush subnormals to zero and drop the sign of zero.
        fc.double({ noNaN: true }).filter((v) => !Object.is(v, -0) && (v === 0 || !Number.isFinite(v) || Math.abs(v) >= 1.2e-38)),
        fc.float({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0) && (v === 0 || Math.abs(v) >= 1.2e-38)),
        fc.boolean(),
        fc.string(),
        (small, integer, big, double, single, flag, text) => {
          expect(parse(21, encodeBinary(Types.int2, small))).toBe(small);
          expect(parse(23, encodeBinary(Types.int4, integer))).toBe(integer);
          expect(parse(20, encodeBinary(Types.int8, big))).toBe(big.toString());
          expect(parse(701, encodeBinary(Types.float8, double))).toBe(double);
          expect(parse(700, encodeBinary(Types.float4, single))).toBe(single);
          expect(parse(16, encodeBinary(Types.bool, flag))).toBe(flag);
          expect(parse(25, encodeBinary(Types.text, text))).toBe(text);
        },
      ),
    );
  });

  it('read numerics of at least 1 to the nearest double', () => {
    // node-postgres reads the weight as unsigned, so values below 1 come out as Infinity there.
    for (const text of ['0', '1.5', '-1234.5678', '10000', '99999999.99', '123456789012', '1.0001']) {
      expect(parse(1700, encodeBinary(Types.numeric, text))).toBeCloseTo(Number(text), 10);
    }
  });

  it('read timestamps after 2000 to the millisecond', () => {
    // node-postgres decodes the int64 as sign and magnitude, so only positive values are comparable.
    fc.assert(
      fc.property(fc.integer({ min: 946684800000000, max: 4102444800000000 }), (micros) => {
        const date = parse(1184, encodeBinary(Types.timestamptz, micros)) as Date;
        expect(date.getTime()).toBe(Math.trunc(micros / 1000));
      }),
    );
  });

  it('read the text form of timestamptz to the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2208988800000000, max: 4102444800000000 }), (micros) => {
        const text = formatText(Types.timestamptz, micros, null);
        const date = (pgTypes.getTypeParser(1184, 'text') as (t: string) => Date)(text);
        expect(date.getTime()).toBe(Math.floor(micros / 1000));
      }),
    );
  });
});
