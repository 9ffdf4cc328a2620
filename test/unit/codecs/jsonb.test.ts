/**
 * jsonb normalization properties beyond the recorded fixtures: normalizing is idempotent, keeps
 * the document's meaning, and orders keys as PostgreSQL does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareJsonbKeys, parseJsonb } from '../../../storage/jsonb.js';

/** Meaning of a document: numbers by value, objects with the last duplicate key. */
function meaning(text: string): unknown {
  return JSON.parse(text);
}

describe('parseJsonb', () => {
  it('is idempotent and keeps the meaning of any JSON document', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const normalized = parseJsonb(text);
        expect(parseJsonb(normalized)).toBe(normalized);
        expect(meaning(normalized)).toEqual(meaning(text));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts keys by UTF-8 length, then bytes', () => {
    const keys = ['b', 'aa', 'a', 'é', 'z', '😀', 'ab', ''];
    expect([...keys].sort(compareJsonbKeys)).toEqual(['', 'a', 'b', 'z', 'aa', 'ab', 'é', '😀']);
  });

  it('accepts nesting PostgreSQL accepts', () => {
    const deep = '['.repeat(9000) + ']'.repeat(9000);
    expect(parseJsonb(deep)).toBe(deep);
  });

  it('limits nesting instead of overflowing the stack', () => {
    expect(() => parseJsonb('['.repeat(100_000) + ']'.repeat(100_000))).toThrow(/stack depth limit exceeded/);
  });
});
