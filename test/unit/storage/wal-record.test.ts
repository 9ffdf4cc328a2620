/** The WAL record's payload: string columns encoded a column at a time, and records of the older layout still read. */
import { describe, expect, test } from 'vitest';
import { Types } from '../../../storage/types.js';
import { vectorFromValues } from '../../../storage/vector.js';
import { decodeWalPayload, encodeWalRecord, walHeaderBytes } from '../../../storage/wal-record.js';
import type { TableDef } from '../../../storage/table-def.js';
import { column, tableDef } from './helpers.js';

const def: TableDef = { ...tableDef('t', [column('s', Types.text), column('n', Types.int4)]), id: 7 };

function roundTrip(strings: (string | null)[]): (string | null)[] {
  const batch = {
    length: strings.length,
    columns: [vectorFromValues(Types.text, strings), vectorFromValues(Types.int4, strings.map((_, i) => i))],
    selection: null,
  };
  const record = encodeWalRecord([{ table: def, batch }]) as Uint8Array;
  const [write] = decodeWalPayload(record.subarray(walHeaderBytes));
  const decoded = write!.columns[0]!;
  expect(write!.rowCount).toBe(strings.length);
  return (decoded.values as string[]).map((v, i) => (decoded.validity !== null && decoded.validity[i] === 0 ? null : v));
}

describe('WAL record', () => {
  test('ASCII strings, empty strings and NULLs come back as written', () => {
    expect(roundTrip(['a', '', null, 'hello world', 'x'.repeat(1000)])).toEqual(['a', '', null, 'hello world', 'x'.repeat(1000)]);
  });

  test('non-ASCII strings keep their boundaries (byte lengths differ from string lengths)', () => {
    const values = ['é', 'naïve', '', '日本語', '🙂x', 'plain', null, 'Ωmega'];
    expect(roundTrip(values)).toEqual(values);
  });

  test('a record of the interleaved layout (kind 1: length then bytes per row) is still read', () => {
    const parts: number[] = [1, 1, 0, 0, 0, 7, 0, 0, 0, 2, 0, 0, 0, 1, 0];
    // column: layout code of string, no validity, then per row u32 length + UTF-8.
    const stringCode = encodeWalRecord([{ table: def, batch: { length: 1, columns: [vectorFromValues(Types.text, ['a']), vectorFromValues(Types.int4, [1])], selection: null } }])!;
    const layoutCode = stringCode[walHeaderBytes + 1 + 4 + 4 + 4 + 2] as number;
    parts.push(layoutCode, 0);
    for (const text of ['é', 'bc']) {
      const bytes = Buffer.from(text, 'utf8');
      parts.push(bytes.length, 0, 0, 0, ...bytes);
    }
    const [write] = decodeWalPayload(Uint8Array.from(parts));
    expect(write!.tableId).toBe(7);
    expect(write!.columns[0]!.values).toEqual(['é', 'bc']);
  });
});
