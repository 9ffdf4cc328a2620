/** DataRow, RowDescription and ErrorResponse encoders, read back with pg-protocol's client parser. */
import fc from 'fast-check';
import type { BackendMessage, DatabaseError, DataRowMessage, RowDescriptionMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import { describe, expect, test } from 'vitest';
import { DbError } from '../../../storage/errors.js';
import { Types, withTypmod, type DataType, type Value } from '../../../storage/types.js';
import { makeBatch, vectorFromValues, type Batch } from '../../../storage/vector.js';
import { writeErrorResponse, writeNoticeResponse, writeRowDescription } from '../../../src/server/backend-messages.js';
import { OutputBuffer } from '../../../src/server/output-buffer.js';
import { batchEncoder, encodeDataRows, writeIntegerText } from '../../../src/server/row-encoder.js';

const settings = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1, intervalStyle: 'postgres' };

function parse(bytes: Buffer): BackendMessage[] {
  const messages: BackendMessage[] = [];
  new Parser().parse(bytes, (m) => messages.push(m));
  return messages;
}

function encodeAll(batch: Batch, types: DataType[], formats: number[], stopBytes = 1 << 30): { out: OutputBuffer; rows: number } {
  const out = new OutputBuffer();
  const encoder = batchEncoder(batch, types, formats, settings);
  const live = batch.selection ? batch.selection.length : batch.length;
  let row = 0;
  while (row < live) row = encodeDataRows(out, encoder, row, live, stopBytes);
  return { out, rows: row };
}

/** Cells of each DataRow as raw bytes (null for NULL), read straight from the frames. */
function rawCells(bytes: Buffer): (Buffer | null)[][] {
  const rows: (Buffer | null)[][] = [];
  let at = 0;
  while (at < bytes.length) {
    expect(String.fromCharCode(bytes[at] as number)).toBe('D');
    const end = at + 1 + bytes.readInt32BE(at + 1);
    const count = bytes.readInt16BE(at + 5);
    let p = at + 7;
    const cells: (Buffer | null)[] = [];
    for (let i = 0; i < count; i++) {
      const length = bytes.readInt32BE(p);
      p += 4;
      cells.push(length === -1 ? null : bytes.subarray(p, p + length));
      if (length > 0) p += length;
    }
    expect(p).toBe(end);
    rows.push(cells);
    at = end;
  }
  return rows;
}

const int8Edges = [0n, -1n, 1n, 9007199254740991n, -9007199254740992n, 9007199254740993n, -9007199254740993n, 9223372036854775807n, -9223372036854775808n];

describe('DataRow', () => {
  const types = [Types.bool, Types.int2, Types.int4, Types.int8, Types.text, Types.varchar];
  const columns: Value[][] = [
    [true, false, null, true, false, true, false, true, null],
    [0, -32768, 32767, null, 5, -5, 10, 100, 1],
    [0, -2147483648, 2147483647, 7, null, -10, 99999, 1000000, -1],
    int8Edges,
    ['', 'plain', 'ünïcødé ✓ 𝄞', 'x'.repeat(100), null, 'a\tb\nc', 'quote"\'', '\\', '🙂'.repeat(30)],
    ['v', null, 'w', '', 'longer than twenty-four chars ✓', 'y', 'z', 'ab', 'é'],
  ];
  const batch = makeBatch(types.map((type, c) => vectorFromValues(type, columns[c] as Value[])));
  const expectedText = (c: number, r: number): string | null => {
    const v = (columns[c] as Value[])[r] as Value;
    if (v === null) return null;
    if (typeof v === 'boolean') return v ? 't' : 'f';
    return String(v);
  };

  test('text format matches what the client parser reads', () => {
    const { out } = encodeAll(batch, types, [0, 0, 0, 0, 0, 0]);
    const rows = parse(out.buffer.subarray(0, out.length)) as DataRowMessage[];
    expect(rows).toHaveLength(batch.length);
    rows.forEach((row, r) => {
      expect(row.name).toBe('dataRow');
      expect(row.fields).toEqual(types.map((_, c) => expectedText(c, r)));
    });
  });

  test('binary format follows each type\'s send function', () => {
    const { out } = encodeAll(batch, types, [1, 1, 1, 1, 1, 1]);
    const rows = rawCells(out.buffer.subarray(0, out.length));
    rows.forEach((cells, r) => {
      const v = (c: number) => (columns[c] as Value[])[r];
      expect(cells).toHaveLength(6);
      const [bool, int2, int4, int8, text, varchar] = cells as (Buffer | null)[];
      expect(bool ? [...bool] : null).toEqual(v(0) === null ? null : [v(0) ? 1 : 0]);
      expect(int2 ? int2.readInt16BE(0) : null).toEqual(v(1));
      expect(int2 ? int2.length : 2).toBe(2);
      expect(int4 ? int4.readInt32BE(0) : null).toEqual(v(2));
      expect(int8?.length).toBe(8);
      expect(int8?.readBigInt64BE(0)).toEqual(v(3));
      expect(text ? text.toString('utf8') : null).toEqual(v(4));
      expect(varchar ? varchar.toString('utf8') : null).toEqual(v(5));
    });
  });

  test('float columns in binary are IEEE big-endian', () => {
    const values = [0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -1e-310, 1.7976931348623157e308];
    const b = makeBatch([vectorFromValues(Types.float8, values), vectorFromValues(Types.float4, values)]);
    const rows = rawCells(encodeAll(b, [Types.float8, Types.float4], [1, 1]).out.take());
    expect(rows).toHaveLength(values.length);
    rows.forEach(([f8, f4], r) => {
      expect(Object.is(f8?.readDoubleBE(0), values[r])).toBe(true);
      expect(Object.is(f4?.readFloatBE(0), Math.fround(values[r] as number))).toBe(true);
    });
  });

  test('honours the selection vector and mixed formats', () => {
    const selected = { ...batch, selection: Int32Array.from([8, 2, 5]) };
    const { out } = encodeAll(selected, types, [0, 1, 0, 1, 0, 1]);
    const rows = rawCells(out.buffer.subarray(0, out.length));
    expect(rows.map((cells) => cells[2]?.toString() ?? null)).toEqual(['-1', '2147483647', '-10']);
    expect(rows.map((cells) => cells[3]?.readBigInt64BE(0))).toEqual([int8Edges[8], int8Edges[2], int8Edges[5]]);
  });

  test('stops at the byte threshold and resumes where it stopped', () => {
    const many = makeBatch([vectorFromValues(Types.int4, Array.from({ length: 5000 }, (_, i) => i))]);
    const out = new OutputBuffer();
    const encoder = batchEncoder(many, [Types.int4], [0], settings);
    const stops: number[] = [];
    let row = 0;
    while (row < many.length) {
      row = encodeDataRows(out, encoder, row, many.length, 1000);
      stops.push(row);
      const rows = parse(out.take()) as DataRowMessage[];
      expect(rows.length).toBe(row - ((stops.at(-2) ?? 0) as number));
    }
    expect(stops.length).toBeGreaterThan(10);
    expect(stops.at(-1)).toBe(5000);
  });

  test('rejects format codes other than text and binary', () => {
    expect(() => batchEncoder(batch, types, [0, 2, 0, 0, 0, 0], settings)).toThrow('unsupported format code: 2');
  });

  test('integer text matches String() for any safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        const out = new OutputBuffer();
        writeIntegerText(out, n);
        const text = String(n);
        expect(out.buffer.readInt32BE(0)).toBe(text.length);
        expect(out.buffer.toString('latin1', 4, out.length)).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  test('int8 text matches BigInt for random 64-bit values', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 20 }), (values) => {
        const { out } = encodeAll(makeBatch([vectorFromValues(Types.int8, values)]), [Types.int8], [0]);
        const rows = parse(out.buffer.subarray(0, out.length)) as DataRowMessage[];
        expect(rows.map((r) => r.fields[0])).toEqual(values.map(String));
      }),
      { numRuns: 300 },
    );
  });
});

describe('RowDescription', () => {
  test('carries name, table, attribute, type, size, modifier and format', () => {
    const out = new OutputBuffer();
    writeRowDescription(
      out,
      [
        { name: 'n', type: Types.int4, tableOid: 16384, columnNumber: 2 },
        { name: 'état', type: withTypmod(Types.varchar, 24), tableOid: 0, columnNumber: 0 },
        { name: '?column?', type: Types.unknown, tableOid: 0, columnNumber: 0 },
      ],
      Int16Array.from([1, 0, 0]),
    );
    const [message] = parse(out.take()) as RowDescriptionMessage[];
    expect(message?.fields.map((f) => [f.name, f.tableID, f.columnID, f.dataTypeID, f.dataTypeSize, f.dataTypeModifier, f.format])).toEqual([
      ['n', 16384, 2, 23, 4, -1, 'binary'],
      ['état', 0, 0, 1043, -1, 24, 'text'],
      ['?column?', 0, 0, 705, -2, -1, 'text'],
    ]);
  });
});

describe('ErrorResponse', () => {
  test('carries S, V, C, M and the optional fields', () => {
    const out = new OutputBuffer();
    const error = new DbError('23502', 'null value in column "a"', {
      detail: 'Failing row contains (null).',
      hint: 'a hint',
      position: 12,
      schema: 'public',
      table: 't',
      column: 'a',
      dataType: 'integer',
      constraint: 'c',
    });
    writeErrorResponse(out, error);
    const bytes = out.take();
    const [message] = parse(bytes) as DatabaseError[];
    expect(message).toMatchObject({
      name: 'error',
      severity: 'ERROR',
      code: '23502',
      message: 'null value in column "a"',
      detail: 'Failing row contains (null).',
      hint: 'a hint',
      position: '12',
      schema: 'public',
      table: 't',
      column: 'a',
      dataType: 'integer',
      constraint: 'c',
    });
    // The non-localized severity field, which pg-protocol does not expose.
    expect(bytes.includes(Buffer.from('\0VERROR\0'))).toBe(true);
  });

  test('FATAL errors say so in both severity fields', () => {
    const out = new OutputBuffer();
    writeErrorResponse(out, new DbError('08P01', 'invalid message length', {}, 'FATAL'));
    const bytes = out.take();
    expect((parse(bytes)[0] as DatabaseError).severity).toBe('FATAL');
    expect(bytes.includes(Buffer.from('\0VFATAL\0'))).toBe(true);
  });
});

describe('NoticeResponse', () => {
  test('is a NOTICE unless the engine says otherwise', () => {
    const out = new OutputBuffer();
    writeNoticeResponse(out, { code: '42P07', message: 'relation "t" already exists, skipping' });
    writeNoticeResponse(out, { code: '25P01', message: 'there is no transaction in progress', severity: 'WARNING', hint: 'h' });
    const bytes = out.take();
    const [notice, warning] = parse(bytes);
    expect(notice).toMatchObject({ name: 'notice', severity: 'NOTICE', code: '42P07', message: 'relation "t" already exists, skipping' });
    expect(warning).toMatchObject({ name: 'notice', severity: 'WARNING', code: '25P01', hint: 'h' });
    expect(bytes.includes(Buffer.from('\0VWARNING\0'))).toBe(true);
  });
});
