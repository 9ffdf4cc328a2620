/**
 * The HTTP endpoint's fast paths against the reference implementations they must agree with:
 * the ISO 8601 reader against PostgreSQL's datetime input (storage/datetime.ts), the jsonb
 * printer against jsonb_in (storage/jsonb.ts) fed the same JSON text, and the body splitter's
 * line numbers against a plain split.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz, parseTimestamp } from '../../../storage/datetime.js';
import { DbError } from '../../../storage/errors.js';
import { parseJsonb } from '../../../storage/jsonb.js';
import { resolveSettings } from '../../../storage/value-codecs.js';
import { splitLines } from '../../../src/http/body-lines.js';
import { readIsoTimestamp, type IsoParts } from '../../../src/http/iso-timestamp.js';
import { jsonbText } from '../../../src/http/jsonb-text.js';

const utc = resolveSettings({ timeZone: 'UTC', dateStyle: 'ISO, YMD', extraFloatDigits: 1 }).decode;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const isoText = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
    separator: fc.constantFrom('T', ' ', 't'),
    time: fc.constantFrom('none', 'minutes', 'seconds'),
    offset: fc.oneof(fc.constant(''), fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom(':', '', 'hours')).map(([s, h, m, style]) => (style === 'hours' ? `${s}${pad(h, 2)}` : `${s}${pad(h, 2)}${style}${pad(m, 2)}`))),
  })
  .map((f) => {
    let text = `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}`;
    if (f.time !== 'none') {
      text += `${f.separator}${pad(f.hour, 2)}:${pad(f.minute, 2)}`;
      if (f.time === 'seconds') text += `:${pad(f.second, 2)}${f.fraction === undefined ? '' : `.${f.fraction}`}`;
      text += f.offset;
    }
    return text;
  });

function reference(parse: () => number): number | 'error' {
  try {
    return parse();
  } catch (error) {
    if (error instanceof DbError) return 'error';
    throw error;
  }
}

describe('readIsoTimestamp', () => {
  it('reads what PostgreSQL reads, to the microsecond, or leaves it to PostgreSQL', () => {
    const parts: IsoParts = { localMicros: 0, offsetSeconds: 0, hasOffset: false };
    fc.assert(
      fc.property(isoText, (text) => {
        const expected = reference(() => parseTimestamptz(text, utc));
        if (!readIsoTimestamp(text, parts)) return;
        expect(parts.localMicros - parts.offsetSeconds * 1e6, text).toBe(expected);
        expect(parts.localMicros, text).toBe(reference(() => parseTimestamp(text, utc)));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses the forms it leaves to PostgreSQL and text that is no timestamp', () => {
    const parts: IsoParts = { localMicros: 0, offsetSeconds: 0, hasOffset: false };
    for (const text of ['2023-02-29', '2023-06-01T24:00:00', '2023-06-01T16:12:60', '2023-06-01T16:12:14.1234567', '0000-01-01', '2023-06-01T16', '2023-06-01T16:12:14+16:00', 'June 1 2023', '2023-06-01T16:12:14.', '2023-06-01X', '']) {
      expect(readIsoTimestamp(text, parts), text).toBe(false);
    }
    expect(readIsoTimestamp('2023-06-01T16:12:14.721323Z', parts)).toBe(true);
    expect(parts.localMicros).toBe(Date.UTC(2023, 5, 1, 16, 12, 14, 721) * 1000 + 323);
  });
});

describe('jsonbText', () => {
  it('prints a parsed JSON value exactly as jsonb_in normalizes its text', () => {
    const safeJson = fc.jsonValue({ maxDepth: 4 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
    fc.assert(
      fc.property(safeJson, (value) => {
        const text = JSON.stringify(value);
        expect(jsonbText(JSON.parse(text))).toBe(parseJsonb(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses \\u0000 as jsonb does', () => {
    expect(() => jsonbText({ a: '\u0000' })).toThrow(expect.objectContaining({ code: '22P05' }));
  });
});

describe('splitLines', () => {
  it('numbers lines as a plain split does, across slices, with blank lines skipped', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(''), fc.constant('  '), fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.replace(/\n/g, ''))), { maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 64 }), (lines, trailing, sliceBytes) => {
        const text = lines.join('\n') + (trailing ? '\n' : '');
        const seen: [number, string][] = [];
        const count = splitLines(Buffer.from(text), { line: (t, n) => seen.push([n, t]), bad: (n) => seen.push([n, 'BAD']) }, sliceBytes);
        // A final newline ends the last line; it does not start another.
        const all = text.split('\n');
        if (all.at(-1) === '') all.pop();
        const expected = all.map((t, i): [number, string] => [i + 1, t]).filter(([, t]) => t.trim() !== '');
        expect(seen).toEqual(expected);
        expect(count).toBe(all.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('skips a byte order mark at the start of the body', () => {
    const seen: string[] = [];
    splitLines(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n{"b":2}\n')]), { line: (t, n) => seen.push(`${n}:${t}`), bad: () => undefined });
    expect(seen).toEqual(['1:{"a":1}', '2:{"b":2}']);
  });

  it('rejects only the lines that are not UTF-8', () => {
    const body = Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n{"b":2}')]);
    const seen: string[] = [];
    splitLines(body, { line: (t, n) => seen.push(`${n}:${t}`), bad: (n, e) => seen.push(`${n}:${e.code} ${e.message}`) });
    expect(seen).toEqual(['1:{"a":1}', '2:22021 invalid byte sequence for encoding "UTF8": 0xc3 0x28', '3:{"b":2}']);
  });
});
