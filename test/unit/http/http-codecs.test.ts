/**
 * The HTTP endpoint's fast paths against the reference implementations they must agree with:
 * storage's ISO 8601 fast path (which HTTP timestamps take) against calendar arithmetic, the jsonb
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

/** The instant an ISO text names, by JS calendar arithmetic (an oracle independent of storage). */
function isoMicros(text: string): { local: number; offsetSeconds: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1) return null; // no such day: PostgreSQL's 22008
  const seconds = date.getTime() / 1000 + Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0);
  const fraction = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0'));
  const zone = m[8] ?? '';
  const signed = zone[0] === '+' || zone[0] === '-';
  const minutes = zone.length > 3 ? Number(zone.slice(-2)) : 0;
  const offsetSeconds = signed ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600 + minutes * 60) : 0;
  return { local: seconds * 1e6 + fraction, offsetSeconds };
}

describe('ISO 8601 timestamps (storage fast path, as HTTP ingest reads them)', () => {
  it('read to the microsecond what the calendar says; days that do not exist are errors', () => {
    fc.assert(
      fc.property(isoText, (text) => {
        const expected = isoMicros(text);
        if (expected === null) {
          expect(reference(() => parseTimestamptz(text, utc)), text).toBe('error');
          return;
        }
        expect(reference(() => parseTimestamptz(text, utc)), text).toBe(expected.local - expected.offsetSeconds * 1e6);
        expect(reference(() => parseTimestamp(text, utc)), text).toBe(expected.local);
      }),
      { numRuns: 3000 },
    );
    expect(parseTimestamptz('2023-06-01T16:12:14.721323Z', utc)).toBe(Date.UTC(2023, 5, 1, 16, 12, 14, 721) * 1000 + 323);
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
