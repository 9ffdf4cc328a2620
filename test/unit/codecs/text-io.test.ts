/**
 * Text input and output of every type against PostgreSQL 15: each fixture case feeds a string to
 * the type's input function and compares the printed value (or the error) with what PostgreSQL
 * printed for the same string under the same settings.
 */
import { describe, expect, it } from 'vitest';
import { formatText, parseText } from '../../../storage/value-codecs.js';
import { loadFixture, mismatches, outcomeOf, settingsOf, typeFromSql, type Recorded } from './fixtures.js';

interface TextCase extends Recorded {
  readonly type: string;
  readonly input: string;
}

function roundTrip(c: TextCase) {
  const type = typeFromSql(c.type);
  const settings = settingsOf(c.settings);
  return outcomeOf(() => formatText(type, parseText(type, c.input, settings), settings));
}

describe.each([
  'integers.json',
  'floats.json',
  'numeric-input.json',
  'text.json',
  'assignments.json',
  'datetime-input.json',
  'datetime-output.json',
])('%s', (file) => {
  it('matches PostgreSQL for every recorded input', () => {
    const cases = loadFixture<TextCase>(file);
    expect(cases.length).toBeGreaterThan(20);
    const wrong = mismatches(cases, roundTrip);
    expect(wrong.slice(0, 40).join('\n'), `${wrong.length} of ${cases.length} differ`).toBe('');
  });
});
