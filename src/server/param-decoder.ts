/**
 * Bind parameters: raw bytes to Values through the type's input (text) or receive (binary)
 * function, with PostgreSQL's checks on counts and format codes.
 *
 * A multi-row INSERT binds thousands of short text parameters. Rather than validate and decode
 * each one natively (two calls per parameter), the bytes the text parameters span are decoded
 * once as latin1 (one character per byte) and each parameter that is plain ASCII, checked by a
 * loop over its bytes, is a substring of that; others take the UTF-8 path with its checks.
 */
import { DbError, protocolViolation } from '../../storage/errors.js';
import type { DataType, Value } from '../../storage/types.js';
import type { BindMessage } from './frontend-messages.js';
import { checkUtf8 } from './utf8.js';
import { decodeBinary, parseText, type FormatSettings } from './value-codecs.js';

export function decodeParams(
  message: BindMessage,
  types: readonly DataType[],
  statementName: string,
  settings: FormatSettings,
): Value[] {
  const { params, paramFormats } = message;
  if (params.length !== types.length) {
    throw protocolViolation(
      `bind message supplies ${params.length} parameters, but prepared statement "${statementName}" requires ${types.length}`,
    );
  }
  const texts = params.length > 1 ? textOfParams(params, paramFormats) : null;
  const values: Value[] = new Array<Value>(params.length);
  for (let i = 0; i < params.length; i++) {
    const bytes = params[i];
    if (bytes === null || bytes === undefined) {
      values[i] = null;
      continue;
    }
    const format = paramFormats.length === 0 ? 0 : paramFormats.length === 1 ? paramFormats[0] : paramFormats[i];
    const type = types[i] as DataType;
    if (format === 0) {
      values[i] = parseText(type, texts?.(i, bytes) ?? utf8Text(bytes), settings);
    } else if (format === 1) {
      values[i] = decodeBinary(type, bytes);
    } else {
      throw new DbError('22023', `unsupported format code: ${format}`);
    }
  }
  return values;
}

function utf8Text(bytes: Buffer): string {
  checkUtf8(bytes);
  return bytes.toString('utf8');
}

/**
 * When every parameter is a view of one message buffer (as decoded Bind messages are): a function
 * giving parameter i's text from one latin1 decoding of the span, or null otherwise.
 */
function textOfParams(params: readonly (Buffer | null)[], formats: readonly number[]): ((i: number, bytes: Buffer) => string) | null {
  let memory: ArrayBufferLike | null = null;
  let start = Infinity;
  let end = 0;
  for (const bytes of params) {
    if (bytes === null) continue;
    if (memory === null) memory = bytes.buffer;
    else if (bytes.buffer !== memory) return null;
    if (bytes.byteOffset < start) start = bytes.byteOffset;
    if (bytes.byteOffset + bytes.length > end) end = bytes.byteOffset + bytes.length;
  }
  if (memory === null || formats.some((f) => f !== 0)) return null;
  const span = Buffer.from(memory, start, end - start).toString('latin1');
  return (_i, bytes) => {
    const n = bytes.length;
    for (let k = 0; k < n; k++) {
      // Bytes 0x01-0x7f only: NUL and anything above ASCII go through the UTF-8 checks.
      if (((bytes[k] as number) - 1) >>> 0 >= 0x7f) return utf8Text(bytes);
    }
    const from = bytes.byteOffset - start;
    return span.substring(from, from + n);
  };
}
