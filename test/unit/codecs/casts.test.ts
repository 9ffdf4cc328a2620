/**
 * castValue against PostgreSQL 15: every pair of Eventide's types (allowed or not), on values
 * chosen at the edges of rounding and range, in several session time zones (casts.json).
 */
import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types.js';
import { castExists, castValue, formatText, parseText } from '../../../storage/value-codecs.js';
import { loadFixture, mismatches, outcomeOf, settingsOf, typeFromSql, type Recorded } from './fixtures.js';

interface CastCase extends Recorded {
  readonly from: string;
  readonly to: string;
  readonly input: string;
}

function run(c: CastCase): unknown {
  const from = typeFromSql(c.from);
  const to = typeFromSql(c.to);
  const settings = settingsOf(c.settings);
  const value = parseText(from, c.input, settings);
  return formatText(to, castValue(value, from, to, settings), settings);
}

describe('castValue', () => {
  it('matches PostgreSQL for every recorded cast', () => {
    const cases = loadFixture<CastCase>('casts.json');
    expect(cases.length).toBeGreaterThan(1000);
    const wrong = mismatches(cases, (c) => outcomeOf(() => run(c)));
    expect(wrong.slice(0, 40).join('\n'), `${wrong.length} of ${cases.length} differ`).toBe('');
  });

  it('knows exactly the pairs PostgreSQL can cast', () => {
    const cases = loadFixture<CastCase>('casts.json');
    for (const c of cases) {
      const rejected = c.error?.code === '42846';
      expect(castExists(typeFromSql(c.from).id, typeFromSql(c.to).id), `${c.from} -> ${c.to}`).toBe(!rejected);
    }
  });

  it('passes NULL through and treats an unknown literal like text', () => {
    expect(castValue(null, Types.int4, Types.text, null)).toBeNull();
    expect(castValue('1.50', Types.unknown, Types.numeric, null)).toBe('1.50');
    expect(castValue(' 42 ', Types.unknown, Types.int4, null)).toBe(42);
  });

  it('truncates varchar(n) only on an explicit cast', () => {
    const varchar3 = typeFromSql('character varying(3)');
    expect(castValue('abcd', Types.text, varchar3, null, 'explicit')).toBe('abc');
    expect(() => castValue('abcd', Types.text, varchar3, null, 'assignment')).toThrow(/value too long/);
    expect(castValue('abc  ', Types.text, varchar3, null, 'assignment')).toBe('abc');
  });
});
