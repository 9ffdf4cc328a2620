/**
 * interval's codecs against PostgreSQL 15 (fixtures interval.json and interval-send.json): text
 * input and output in every IntervalStyle, errors, binary send byte for byte and receive; and
 * the span key's order agreeing with PostgreSQL's comparison on random values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIntervals, decodeInterval, encodeInterval, intervalSpanMicros } from '../../../storage/interval.js';
import { Types } from '../../../storage/types.js';
import { decodeBinary, encodeBinary, formatText, parseText } from '../../../storage/value-codecs.js';
import { loadFixture, mismatches, outcomeOf, settingsOf, type Recorded } from './fixtures.js';

interface TextCase extends Recorded {
  readonly type: string;
  readonly input: string;
}

interface SendCase extends TextCase {
  readonly hex: string;
}

const I = Types.interval;

describe('interval text', () => {
  it('reads and prints every recorded input as PostgreSQL does, in every IntervalStyle', () => {
    const cases = loadFixture<TextCase>('interval.json');
    expect(cases.length).toBeGreaterThan(300);
    const wrong = mismatches(cases, (c) => {
      const settings = settingsOf(c.settings);
      return outcomeOf(() => formatText(I, parseText(I, c.input, settings), settings));
    });
    expect(wrong.slice(0, 40).join('\n'), `${wrong.length} of ${cases.length} differ`).toBe('');
  });
});

describe('interval binary', () => {
  const cases = loadFixture<SendCase>('interval-send.json');

  it('sends PostgreSQL bytes (int64 µs, int32 days, int32 months)', () => {
    const wrong = mismatches(
      cases.map((c) => ({ ...c, output: c.hex })),
      (c) => outcomeOf(() => encodeBinary(I, parseText(I, c.input, null)).toString('hex')),
    );
    expect(wrong.join('\n')).toBe('');
  });

  it('receives PostgreSQL bytes back to the same value', () => {
    const wrong = mismatches(cases, (c) => outcomeOf(() => formatText(I, decodeBinary(I, Buffer.from(c.hex, 'hex')), null)));
    expect(wrong.join('\n')).toBe('');
  });

  it('rejects a message of the wrong length', () => {
    expect(() => decodeBinary(I, Buffer.alloc(12))).toThrow(/insufficient data/);
  });
});

describe('interval order', () => {
  const field = fc.record({
    months: fc.integer({ min: -1200, max: 1200 }),
    days: fc.integer({ min: -40000, max: 40000 }),
    micros: fc.integer({ min: -4e15, max: 4e15 }),
  });

  it('orders by the 30-day-month span, equal spans having equal keys', () => {
    fc.assert(
      fc.property(field, field, (a, b) => {
        const x = encodeInterval(a.months, a.days, a.micros);
        const y = encodeInterval(b.months, b.days, b.micros);
        const expected = Math.sign(intervalSpanMicros(a) - intervalSpanMicros(b));
        expect(compareIntervals(x, y)).toBe(expected);
        // Code point order of the whole value agrees wherever the spans differ.
        if (expected !== 0) expect(Math.sign(x < y ? -1 : 1)).toBe(expected);
        expect(decodeInterval(x)).toEqual(a);
      }),
    );
  });
});
