// What the .slt corpus cannot reach: limits that PostgreSQL does not share (so no recorded
// result exists), NULL rows whose value slots would be errors if read, and now().
import { describe, expect, it } from 'vitest';
import { builtinFunctions } from '../../../src/functions/registry.js';
import { DbError } from '../../../storage/errors.js';
import { Types, type DataType, type Value } from '../../../storage/types.js';
import { defaultFormatSettings } from '../../../storage/value-codecs.js';
import { getValue, vectorFromValues, type Vector } from '../../../storage/vector.js';

const context = { settings: defaultFormatSettings, statementTimeMicros: 1_700_000_000_000_000 };

function call(name: string, signature: number, columns: [DataType, Value[]][], length?: number): Value[] {
  const def = builtinFunctions.lookup(name);
  if (def === undefined) throw new Error(`no function ${name}`);
  const args: Vector[] = columns.map(([type, values]) => vectorFromValues(type, values));
  const n = length ?? args[0]?.length ?? 1;
  const result = def.evaluate(signature, args, n, context);
  return Array.from({ length: n }, (_, i) => getValue(result, i));
}

function sqlstate(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    return error instanceof DbError ? error.code : 'not a DbError';
  }
  return undefined;
}

describe('scalar functions outside the recorded corpus', () => {
  it('reports the number template patterns it does not format (roman numerals, ordinal suffixes)', () => {
    const value: [DataType, Value[]] = [Types.numeric, ['12']];
    const numeric = builtinFunctions.lookup('to_char')?.signatures.findIndex((s) => s.argTypes[0]?.id === 'numeric') ?? -1;
    for (const format of ['RN', 'rn', '99th', '99TH', 'FMRN']) {
      expect(sqlstate(() => call('to_char', numeric, [value, [Types.text, [format]]]))).toBe('0A000');
    }
    expect(call('to_char', numeric, [value, [Types.text, ['FM99.0']]])).toEqual(['12.0']);
  });

  it('never computes numeric exp, ln, log or power for a NULL row', () => {
    // A NULL row's slot holds no number: parsing it would raise an error.
    expect(call('ln', 1, [[Types.numeric, [null, '1']]])).toEqual([null, '0.0000000000000000']);
    expect(call('exp', 1, [[Types.numeric, [null, '0']]])).toEqual([null, '1.0000000000000000']);
    expect(call('power', 1, [[Types.numeric, ['0', '2']], [Types.numeric, [null, '3']]])).toEqual([null, '8.0000000000000000']);
    expect(call('log', 2, [[Types.numeric, [null, '2']], [Types.numeric, ['0', '8']]])).toEqual([null, '3.0000000000000000']);
  });

  it('reports to_char patterns it does not format instead of copying them', () => {
    const ts: [DataType, Value[]] = [Types.timestamp, [0]];
    expect(sqlstate(() => call('to_char', 0, [ts, [Types.text, ['DDTH']]]))).toBe('0A000');
    expect(sqlstate(() => call('to_char', 0, [ts, [Types.text, ['DDth']]]))).toBe('0A000');
    expect(sqlstate(() => call('to_char', 0, [ts, [Types.text, ['TMMonth']]]))).toBe('0A000');
    expect(call('to_char', 0, [ts, [Types.text, ['YYYY-MM-DD"T"HH24:MI:SS']]])).toEqual(['1970-01-01T00:00:00']);
  });

  it('never reads the value slot of a NULL row', () => {
    // A NULL row's slots hold zeros: field 0, length 0 and a zero divisor would all be errors.
    expect(call('split_part', 0, [[Types.text, [null, 'a,b']], [Types.text, [',', ',']], [Types.int4, [null, 2]]])).toEqual([null, 'b']);
    expect(call('mod', 1, [[Types.int4, [7, 7]], [Types.int4, [null, 3]]])).toEqual([null, 1]);
    expect(call('make_date', 0, [[Types.int4, [null, 2024]], [Types.int4, [1, 2]], [Types.int4, [1, 29]]])).toEqual([null, 19782]);
    expect(call('date_trunc', 0, [[Types.text, [null]], [Types.timestamp, [0]]])).toEqual([null]);
  });

  it('concat skips NULLs and is never NULL itself', () => {
    expect(call('concat', 0, [[Types.text, [null, 'a']], [Types.text, [null, null]]])).toEqual(['', 'a']);
  });

  it('now() is the statement time', () => {
    expect(call('now', 0, [], 2)).toEqual([context.statementTimeMicros, context.statementTimeMicros]);
  });
});
