/**
 * COPY TO STDOUT: the rows of a query turned into CopyData payloads in text, CSV or binary format,
 * as PostgreSQL 15's copyto.c writes them (text: backslash escapes, NULL as the null string; CSV:
 * quoting only where needed or forced; binary: PGCOPY header, tuples, trailer). Payloads hold whole
 * rows and are cut at about 64 KiB, so the server can stream them with backpressure.
 */
import type { DataType } from '../../../storage/types.js';
import { encodeBinary, formatVectorText, type FormatSettings } from '../../../storage/value-codecs.js';
import { getValue, type Batch } from '../../../storage/vector.js';
import type { CopyFormat } from './copy-options.js';

const chunkBytes = 64 * 1024;
const binarySignature = Uint8Array.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);

export interface CopyToOptions {
  readonly format: CopyFormat;
  readonly names: readonly string[];
  readonly types: readonly DataType[];
  readonly forceQuote: readonly boolean[];
  readonly settings: FormatSettings;
}

/** Yields CopyData payloads; `counted(n)` is told the rows as they go. */
export async function* copyToChunks(batches: AsyncIterable<Batch>, options: CopyToOptions, counted: (rows: number) => void): AsyncIterable<Uint8Array> {
  if (options.format.kind === 'binary') {
    yield* binaryChunks(batches, options, counted);
    return;
  }
  const line = options.format.kind === 'csv' ? csvField(options.format, options.types.length === 1) : textField(options.format);
  const delimiter = options.format.delimiter;
  let pending: string[] = [];
  let pendingLength = 0;
  if (options.format.header === true) {
    pending.push(options.names.map((name) => line(name, false)).join(delimiter) + '\n');
  }
  for await (const batch of batches) {
    const rows = batch.selection;
    const count = rows === null ? batch.length : rows.length;
    if (count === 0) continue;
    const columns = batch.columns.map((vector) => formatVectorText(vector, rows, options.settings));
    for (let r = 0; r < count; r++) {
      let text = '';
      for (let c = 0; c < columns.length; c++) {
        if (c > 0) text += delimiter;
        text += line(columns[c]![r] as string | null, options.forceQuote[c] === true);
      }
      text += '\n';
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= chunkBytes) {
        yield Buffer.from(pending.join(''), 'utf8');
        pending = [];
        pendingLength = 0;
      }
    }
    counted(count);
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''), 'utf8');
}

/** A text-format field: NULL as the null string, else backslash escapes. */
function textField(format: CopyFormat): (value: string | null, force: boolean) => string {
  const delimiter = format.delimiter;
  const needs = new RegExp(`[\\\\\\n\\r\\t\\b\\f\\v${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
  return (value) => {
    if (value === null) return format.nullText;
    if (!needs.test(value)) return value;
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as string;
      switch (c) {
        case '\b': out += '\\b'; break;
        case '\f': out += '\\f'; break;
        case '\n': out += '\\n'; break;
        case '\r': out += '\\r'; break;
        case '\t': out += '\\t'; break;
        case '\v': out += '\\v'; break;
        case '\\': out += '\\\\'; break;
        default: out += c === delimiter ? `\\${c}` : c;
      }
    }
    return out;
  };
}

/**
 * A CSV field: quoted when forced, when it holds the delimiter, quote, CR or LF, when it could be
 * read as NULL, or (single-column output) when it is `\.`, which would end the data.
 */
function csvField(format: CopyFormat, singleColumn: boolean): (value: string | null, force: boolean) => string {
  const { delimiter, quote, escape, nullText } = format;
  return (value, force) => {
    if (value === null) return nullText;
    const needsQuote =
      force ||
      value === nullText ||
      (singleColumn && value === '\\.') ||
      value.includes(delimiter) ||
      value.includes(quote) ||
      value.includes('\n') ||
      value.includes('\r');
    if (!needsQuote) return value;
    let out = quote;
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as string;
      if (c === quote || c === escape) out += escape;
      out += c;
    }
    return out + quote;
  };
}

async function* binaryChunks(batches: AsyncIterable<Batch>, options: CopyToOptions, counted: (rows: number) => void): AsyncIterable<Uint8Array> {
  // Tuples are written big-endian straight into one chunk buffer, handed out at about 64 KiB.
  let buffer = Buffer.allocUnsafe(2 * chunkBytes);
  let at = 0;
  const room = (n: number) => {
    if (at + n <= buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * buffer.length, at + n));
    buffer.copy(next, 0, 0, at);
    buffer = next;
  };
  buffer.set(binarySignature);
  buffer.fill(0, binarySignature.length, 19); // flags and header extension length: 0
  at = 19;
  const n = options.types.length;
  for await (const batch of batches) {
    const rows = batch.selection;
    const count = rows === null ? batch.length : rows.length;
    for (let r = 0; r < count; r++) {
      const row = rows === null ? r : (rows[r] as number);
      room(2);
      at = buffer.writeInt16BE(n, at);
      for (let c = 0; c < n; c++) {
        const value = getValue(batch.columns[c]!, row);
        if (value === null) {
          room(4);
          at = buffer.writeInt32BE(-1, at);
          continue;
        }
        const bytes = encodeBinary(options.types[c] as DataType, value);
        room(4 + bytes.length);
        at = buffer.writeInt32BE(bytes.length, at);
        buffer.set(bytes, at);
        at += bytes.length;
      }
      if (at >= chunkBytes) {
        yield buffer.subarray(0, at);
        buffer = Buffer.allocUnsafe(2 * chunkBytes);
        at = 0;
      }
    }
    counted(count);
  }
  room(2);
  at = buffer.writeInt16BE(-1, at);
  yield buffer.subarray(0, at);
}
