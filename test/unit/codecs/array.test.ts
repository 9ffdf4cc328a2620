/**
 * Array codecs: text input and output round trips, binary send read back by node-postgres's own
 * array parsers (and by text parsers of the same driver), binary receive of what Eventide sends,
 * and the errors of malformed input. PostgreSQL's own answers for the text forms are recorded in
 * test/sql/arrays.slt.
 */
import fc from 'fast-check';
import pgTypes from 'pg-types';
import { describe, expect, it } from 'vitest';
import { decodeArray, encodeArray } from '../../../storage/array-value.js';
import { DbError } from '../../../storage/errors.js';
import { Types, type DataType, type Value } from '../../../storage/types.js';
import { decodeBinary, encodeBinary, formatText, parseText } from '../../../storage/value-codecs.js';

const binaryParse = (oid: number, bytes: Buffer) => (pgTypes.getTypeParser(oid, 'binary') as (b: Buffer) => unknown)(bytes);
const textParse = (oid: number, text: string) => (pgTypes.getTypeParser(oid, 'text') as (t: string) => unknown)(text);

function stored(type: DataType, values: readonly Value[]): string {
  return encodeArray(values, Types[type.id.slice(1) as 'int4']);
}

describe('array codecs', () => {
  it('sends int4[], bool[] and text[] as node-postgres reads them', () => {
    const int4 = stored(Types._int4, [1, null, 3]); // pg-types reads array int4 elements unsigned
    expect(binaryParse(1007, encodeBinary(Types._int4, int4))).toEqual([1, null, 3]);
    const text = stored(Types._text, ['a', 'b c', null, '', 'q"\\']);
    expect(binaryParse(1009, encodeBinary(Types._text, text))).toEqual(['a', 'b c', null, '', 'q"\\']);
    const bool = stored(Types._bool, [true, false]);
    // pg-types has no binary bool element parser: read it back with Eventide's receive.
    expect(decodeBinary(Types._bool, encodeBinary(Types._bool, bool))).toBe(bool);
    const empty = stored(Types._int4, []);
    expect(binaryParse(1007, encodeBinary(Types._int4, empty))).toEqual([]);
  });

  it('round trips text arrays through the text form node-postgres parses', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null }), { maxLength: 8 }), (values) => {
        const clean = values.map((v) => (v === null ? null : v.replace(/\u0000/g, '')));
        const value = stored(Types._text, clean);
        const text = formatText(Types._text, value, null);
        expect(textParse(1009, text)).toEqual(clean);
        expect(parseText(Types._text, text, null)).toBe(value);
        expect(decodeBinary(Types._text, encodeBinary(Types._text, value))).toBe(value);
      }),
    );
  });

  it('round trips numbers, floats and timestamps', () => {
    const floats = stored(Types._float8, [1.5, -0, NaN, Infinity, null]);
    expect(formatText(Types._float8, floats, null)).toBe('{1.5,-0,NaN,Infinity,NULL}');
    expect(decodeBinary(Types._float8, encodeBinary(Types._float8, floats))).toBe(floats);
    const int8 = parseText(Types._int8, '{9223372036854775807,-1}', null) as string;
    expect(decodeArray(int8, Types.int8)).toEqual([9223372036854775807n, -1n]);
    expect(decodeBinary(Types._int8, encodeBinary(Types._int8, int8))).toBe(int8);
    const numeric = parseText(Types._numeric, '{1.50,NaN}', null) as string;
    expect(decodeBinary(Types._numeric, encodeBinary(Types._numeric, numeric))).toBe(numeric);
    const stamps = parseText(Types._timestamptz, '{"2024-01-02 03:04:05+00",infinity}', null) as string;
    expect(decodeBinary(Types._timestamptz, encodeBinary(Types._timestamptz, stamps))).toBe(stamps);
  });

  it('refuses malformed input with 22P02 and nested arrays with 0A000', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as DbError).code;
      }
      return 'ok';
    };
    for (const bad of ['{1,2', '1,2', '{1,,2}', '{1}}', '{"a}', '{,}']) expect(code(() => parseText(Types._int4, bad, null))).toBe('22P02');
    expect(code(() => parseText(Types._int4, '{{1},{2}}', null))).toBe('0A000');
    const wrongElement = encodeBinary(Types._int4, stored(Types._int4, [1]));
    expect(code(() => decodeBinary(Types._int8, wrongElement))).toBe('42804');
  });
});
