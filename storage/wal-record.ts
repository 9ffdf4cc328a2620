/**
 * The WAL record: framing and the columnar payload of one commit.
 *
 * Frame (16-byte header, little-endian):
 *   u32 payload length | u32 CRC32 of (length bytes + LSN bytes + payload) | u32 LSN low | u32 LSN high
 * Payload, kind 2 (writes; kind 1, still read, interleaved each string's length with its bytes):
 *   u8 kind | u32 write count | per write:
 *     u32 table id | u32 row count | u16 column count | per column:
 *       u8 layout code | u8 flags (1 = has validity) | [validity bitmap] | values
 *   values: fixed layouts as raw little-endian bytes (bool 1 byte, int8 8 bytes);
 *           strings as u32 byte length per row, then the UTF-8 bytes of all rows, so a column
 *           is encoded (and, when ASCII, decoded) in one call instead of one per row.
 * Partitioning is not stored: it is recomputed from the rows and the LSN when the record is
 * applied, so replay lands every row in the same partition as the first time.
 */
import { isAscii } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { ByteReader, ByteWriter } from './byte-buffer.js';
import { DbError, dataCorrupted } from './errors.js';
import { layoutCode, layoutOfCode, layoutWidth } from './layout-code.js';
import type { TableDef } from './table-def.js';
import { bitmapBytes, nullCount, packValidity, unpackValidity } from './validity-bitmap.js';
import { type Batch, type FixedArray, type Vector, compactBatch } from './vector.js';
import { fixedFromBytes } from './fixed-bytes.js';

export const walHeaderBytes = 16;
/** A record larger than this is refused at commit and treated as corruption at replay. */
export const maxWalPayloadBytes = 1 << 30;
const kindWritesInterleaved = 1;
const kindWrites = 2;

export interface TableWrite {
  readonly table: TableDef;
  readonly batch: Batch;
}

/** A decoded write: the table id and the rows, typed by the table definition at replay. */
export interface RecordWrite {
  readonly tableId: number;
  readonly rowCount: number;
  readonly columns: readonly DecodedColumn[];
}

export interface DecodedColumn {
  readonly layout: string;
  readonly values: FixedArray | string[];
  readonly validity: Uint8Array | null;
}

function checkBatch(table: TableDef, batch: Batch): void {
  if (batch.columns.length !== table.columns.length) {
    throw new DbError(
      'XX000',
      `internal error: batch for table "${table.name}" has ${batch.columns.length} columns, the table has ${table.columns.length}`,
    );
  }
  for (let c = 0; c < batch.columns.length; c++) {
    const vector = batch.columns[c] as Vector;
    const column = table.columns[c]!;
    if (vector.type.layout !== column.type.layout) {
      throw new DbError(
        'XX000',
        `internal error: column "${column.name}" of table "${table.name}" is of type ${column.type.name} but the batch holds ${vector.type.name}`,
      );
    }
    if (vector.length !== batch.length) {
      throw new DbError('XX000', `internal error: vector length ${vector.length} differs from batch length ${batch.length}`);
    }
  }
}

function writeColumn(out: ByteWriter, vector: Vector, rows: number): void {
  out.u8(layoutCode(vector.type.layout));
  const nulls = nullCount(vector.validity, rows);
  out.u8(nulls > 0 ? 1 : 0);
  if (nulls > 0) out.bytesOf(packValidity(vector.validity as Uint8Array, rows));
  if (vector.kind === 'string') {
    writeStrings(out, vector.values, rows);
  } else {
    out.typed(vector.values.subarray(0, rows));
  }
}

function writeStrings(out: ByteWriter, values: readonly string[], rows: number): void {
  if (rows <= 16) {
    // A few rows (single-row INSERTs): write each string and patch its length in.
    const at = out.length;
    for (let i = 0; i < rows; i++) out.u32(0);
    for (let i = 0; i < rows; i++) out.setU32(at + 4 * i, out.utf8(values[i] as string));
    return;
  }
  const lengths = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) lengths[i] = (values[i] as string).length;
  const joined = (rows === values.length ? values : values.slice(0, rows)).join('');
  // Byte lengths equal string lengths only when every character is ASCII (the common case).
  if (Buffer.byteLength(joined, 'utf8') !== joined.length) {
    for (let i = 0; i < rows; i++) lengths[i] = Buffer.byteLength(values[i] as string, 'utf8');
  }
  out.typed(lengths);
  out.utf8(joined);
}

/**
 * Encodes the writes of one commit into a framed record whose header is filled in later by
 * `sealWalRecord` (the LSN is assigned when the record is queued). Writes with no rows are left
 * out; returns null when nothing is left.
 */
export function encodeWalRecord(writes: readonly TableWrite[]): Uint8Array | null {
  let estimate = walHeaderBytes + 16;
  for (const write of writes) estimate += 16 + write.batch.columns.length * (8 + write.batch.length * 12);
  const out = new ByteWriter(Math.min(estimate, 1 << 20));
  for (let i = 0; i < walHeaderBytes; i++) out.u8(0);
  out.u8(kindWrites);
  const countAt = out.length;
  out.u32(0);
  let count = 0;
  for (const write of writes) {
    const batch = compactBatch(write.batch);
    checkBatch(write.table, batch);
    if (batch.length === 0) continue;
    out.u32(write.table.id);
    out.u32(batch.length);
    out.u16(batch.columns.length);
    for (const vector of batch.columns) writeColumn(out, vector, batch.length);
    count++;
  }
  if (count === 0) return null;
  out.setU32(countAt, count);
  if (out.length - walHeaderBytes > maxWalPayloadBytes) {
    throw new DbError('54000', `commit of ${out.length} bytes exceeds the maximum write-ahead log record size`);
  }
  return out.finish();
}

/** Fills in length, LSN and CRC of a record produced by `encodeWalRecord`. */
export function sealWalRecord(record: Uint8Array, lsn: number): void {
  const view = new DataView(record.buffer, record.byteOffset, walHeaderBytes);
  view.setUint32(0, record.length - walHeaderBytes, true);
  view.setUint32(8, lsn >>> 0, true);
  view.setUint32(12, Math.floor(lsn / 0x1_0000_0000), true);
  view.setUint32(4, recordCrc(record, record.length - walHeaderBytes), true);
}

/** CRC of a framed record whose payload has `payloadLength` bytes (header CRC field excluded). */
export function recordCrc(frame: Uint8Array, payloadLength: number): number {
  const head = crc32(frame.subarray(0, 4));
  return crc32(frame.subarray(8, walHeaderBytes + payloadLength), head);
}

function readStrings(reader: ByteReader, rows: number): string[] {
  const values = new Array<string>(rows);
  const lengths = new Uint32Array(reader.copyOf(rows * 4).buffer);
  let total = 0;
  for (let i = 0; i < rows; i++) total += lengths[i] as number;
  const bytes = Buffer.from(reader.bytesOf(total));
  if (isAscii(bytes)) {
    const text = bytes.toString('latin1');
    for (let i = 0, at = 0; i < rows; at += lengths[i] as number, i++) values[i] = text.substring(at, at + (lengths[i] as number));
  } else {
    for (let i = 0, at = 0; i < rows; at += lengths[i] as number, i++) values[i] = bytes.toString('utf8', at, at + (lengths[i] as number));
  }
  return values;
}

function readColumn(reader: ByteReader, rows: number, kind: number): DecodedColumn {
  const layout = layoutOfCode(reader.u8());
  const flags = reader.u8();
  const validity = (flags & 1) !== 0 ? unpackValidity(reader.bytesOf(bitmapBytes(rows)), rows) : null;
  if (layout === 'string') {
    if (kind === kindWrites) return { layout, values: readStrings(reader, rows), validity };
    const values = new Array<string>(rows);
    for (let i = 0; i < rows; i++) values[i] = reader.string();
    return { layout, values, validity };
  }
  return { layout, values: fixedFromBytes(layout, reader.bytesOf(rows * layoutWidth(layout)), rows), validity };
}

/** Decodes the payload of a record whose CRC has been checked. */
export function decodeWalPayload(payload: Uint8Array): RecordWrite[] {
  const reader = new ByteReader(payload, 0, 'write-ahead log record');
  const kind = reader.u8();
  if (kind !== kindWrites && kind !== kindWritesInterleaved) throw dataCorrupted(`unknown write-ahead log record kind ${kind}`);
  const count = reader.u32();
  const writes: RecordWrite[] = [];
  for (let w = 0; w < count; w++) {
    const tableId = reader.u32();
    const rowCount = reader.u32();
    const columnCount = reader.u16();
    const columns: DecodedColumn[] = [];
    for (let c = 0; c < columnCount; c++) columns.push(readColumn(reader, rowCount, kind));
    writes.push({ tableId, rowCount, columns });
  }
  return writes;
}
