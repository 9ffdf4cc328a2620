/**
 * Bind parameters: raw bytes to Values through the type's input (text) or receive (binary)
 * function, with PostgreSQL's checks on counts and format codes.
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
      checkUtf8(bytes);
      values[i] = parseText(type, bytes.toString('utf8'), settings);
    } else if (format === 1) {
      values[i] = decodeBinary(type, bytes);
    } else {
      throw new DbError('22023', `unsupported format code: ${format}`);
    }
  }
  return values;
}
