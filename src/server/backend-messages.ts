/**
 * Encoders for the backend messages other than DataRow (see row-encoder.ts). Each appends one
 * complete message to an OutputBuffer.
 */
import type { ResultColumn } from '../engine.js';
import type { DbError } from '../../storage/errors.js';
import type { DataType } from '../../storage/types.js';
import type { OutputBuffer } from './output-buffer.js';

export type TransactionStatus = 'I' | 'T' | 'E';

function empty(out: OutputBuffer, type: number): void {
  out.end(out.begin(type));
}

export const writeParseComplete = (out: OutputBuffer) => empty(out, 0x31);
export const writeBindComplete = (out: OutputBuffer) => empty(out, 0x32);
export const writeCloseComplete = (out: OutputBuffer) => empty(out, 0x33);
export const writeNoData = (out: OutputBuffer) => empty(out, 0x6e);
export const writePortalSuspended = (out: OutputBuffer) => empty(out, 0x73);
export const writeEmptyQueryResponse = (out: OutputBuffer) => empty(out, 0x49);

export function writeAuthenticationOk(out: OutputBuffer): void {
  const start = out.begin(0x52);
  out.int32(0);
  out.end(start);
}

export function writeParameterStatus(out: OutputBuffer, name: string, value: string): void {
  const start = out.begin(0x53);
  out.cstring(name);
  out.cstring(value);
  out.end(start);
}

export function writeBackendKeyData(out: OutputBuffer, processId: number, secretKey: number): void {
  const start = out.begin(0x4b);
  out.int32(processId);
  out.int32(secretKey);
  out.end(start);
}

export function writeNegotiateProtocolVersion(out: OutputBuffer, newestMinor: number, unrecognized: readonly string[]): void {
  const start = out.begin(0x76);
  out.int32((3 << 16) | newestMinor);
  out.int32(unrecognized.length);
  for (const option of unrecognized) out.cstring(option);
  out.end(start);
}

export function writeReadyForQuery(out: OutputBuffer, status: TransactionStatus): void {
  const start = out.begin(0x5a);
  out.byte(status.charCodeAt(0));
  out.end(start);
}

export function writeCommandComplete(out: OutputBuffer, tag: string): void {
  const start = out.begin(0x43);
  out.cstring(tag);
  out.end(start);
}

export function writeParameterDescription(out: OutputBuffer, types: readonly DataType[]): void {
  const start = out.begin(0x74);
  out.int16(types.length);
  for (const type of types) out.int32(type.oid | 0);
  out.end(start);
}

/** `formats[i]` is the format code of column i (0 text, 1 binary); missing entries mean text. */
export function writeRowDescription(out: OutputBuffer, columns: readonly ResultColumn[], formats: ArrayLike<number> | null): void {
  const start = out.begin(0x54);
  out.int16(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as ResultColumn;
    out.cstring(column.name);
    out.int32(column.tableOid | 0);
    out.int16(column.columnNumber);
    out.int32(column.type.oid | 0);
    out.int16(column.type.typlen);
    out.int32(column.type.typmod);
    out.int16(formats === null ? 0 : (formats[i] ?? 0));
  }
  out.end(start);
}

function writeField(out: OutputBuffer, code: string, value: string | number | undefined): void {
  if (value === undefined) return;
  out.byte(code.charCodeAt(0));
  out.cstring(String(value));
}

/** ErrorResponse: S and V (the non-localized severity), C, M, then the optional fields. */
export function writeErrorResponse(out: OutputBuffer, error: DbError): void {
  const start = out.begin(0x45);
  writeField(out, 'S', error.severity);
  writeField(out, 'V', error.severity);
  writeField(out, 'C', error.code);
  writeField(out, 'M', error.message);
  const f = error.fields;
  writeField(out, 'D', f.detail);
  writeField(out, 'H', f.hint);
  writeField(out, 'P', f.position);
  writeField(out, 'W', f.where);
  writeField(out, 's', f.schema);
  writeField(out, 't', f.table);
  writeField(out, 'c', f.column);
  writeField(out, 'd', f.dataType);
  writeField(out, 'n', f.constraint);
  out.byte(0);
  out.end(start);
}

export function writeNoticeResponse(
  out: OutputBuffer,
  notice: { code: string; message: string; severity?: string; detail?: string; hint?: string },
): void {
  const start = out.begin(0x4e);
  const severity = notice.severity ?? 'NOTICE';
  writeField(out, 'S', severity);
  writeField(out, 'V', severity);
  writeField(out, 'C', notice.code);
  writeField(out, 'M', notice.message);
  writeField(out, 'D', notice.detail);
  writeField(out, 'H', notice.hint);
  out.byte(0);
  out.end(start);
}

/** CopyInResponse / CopyOutResponse: overall format, then every column's format (all the same). */
function writeCopyResponse(out: OutputBuffer, type: number, binary: boolean, columnCount: number): void {
  const start = out.begin(type);
  out.byte(binary ? 1 : 0);
  out.int16(columnCount);
  for (let i = 0; i < columnCount; i++) out.int16(binary ? 1 : 0);
  out.end(start);
}

export const writeCopyInResponse = (out: OutputBuffer, binary: boolean, columnCount: number) => writeCopyResponse(out, 0x47, binary, columnCount);
export const writeCopyOutResponse = (out: OutputBuffer, binary: boolean, columnCount: number) => writeCopyResponse(out, 0x48, binary, columnCount);
export const writeCopyDone = (out: OutputBuffer) => empty(out, 0x63);

export function writeCopyData(out: OutputBuffer, bytes: Uint8Array): void {
  const start = out.begin(0x64);
  out.bytes(bytes);
  out.end(start);
}
