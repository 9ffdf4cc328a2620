/**
 * The text codecs of every DataType: PostgreSQL 15's output and input functions, dispatched by
 * type. Settings (TimeZone, DateStyle, extra_float_digits) are resolved once and cached.
 */
import { assert, unreachable } from './errors.js';
import {
  applyTimestampPrecision,
  formatDate,
  formatTimestamp,
  formatTimestamptz,
  parseDate,
  parseTimestamp,
  parseTimestamptz,
} from './datetime.js';
import { decodeInterval } from './interval.js';
import { formatInterval, parseInterval, parseIntervalStyle } from './interval-text.js';
import { formatFloat4, formatFloat8, parseFloat4, parseFloat8 } from './float-format.js';
import { formatArray, parseArrayText } from './array-value.js';
import { parseJsonb } from './jsonb.js';
import { numericApplyTypmod, parseNumeric } from './numeric.js';
import { isArrayType, scalarTypeId, type DataType, type Value } from './types.js';
import { resolveSettings, type FormatSettings } from './value-codecs-settings.js';
import { applyVarcharTypmod, checkText, parseBool, parseInt2, parseInt4, parseInt8 } from './value-codecs-scalar.js';

/** The type's output function. `value` must not be null. */
export function formatText(type: DataType, value: Value, settings: FormatSettings | null): string {
  assert(value !== null, `formatText of NULL ${type.name}`);
  if (isArrayType(type)) return formatArray(value as string, type, (element, v) => formatText(element, v, settings));
  const id = scalarTypeId(type);
  switch (id) {
    case 'bool':
      return value === true || value === 1 ? 't' : 'f';
    case 'int2':
    case 'int4':
    case 'int8':
      return String(value);
    case 'float4':
      return formatFloat4(value as number, resolveSettings(settings).extraFloatDigits);
    case 'float8':
      return formatFloat8(value as number, resolveSettings(settings).extraFloatDigits);
    case 'numeric':
    case 'text':
    case 'varchar':
    case 'jsonb':
    case 'unknown':
      return value as string;
    case 'date':
      return formatDate(value as number, resolveSettings(settings).dateStyle);
    case 'timestamp':
      return formatTimestamp(value as number, resolveSettings(settings).dateStyle);
    case 'timestamptz': {
      const resolved = resolveSettings(settings);
      return formatTimestamptz(value as number, resolved.zone, resolved.dateStyle);
    }
    case 'interval':
      return formatInterval(decodeInterval(value as string), parseIntervalStyle(settings?.intervalStyle));
    default:
      return unreachable(id, 'type');
  }
}

/** The type's input function, with the type's modifier applied as PostgreSQL's input does. */
export function parseText(type: DataType, text: string, settings: FormatSettings | null): Value {
  if (isArrayType(type)) return parseArrayText(text, type, (element, t) => parseText(element, t, settings));
  const id = scalarTypeId(type);
  switch (id) {
    case 'bool':
      return parseBool(text);
    case 'int2':
      return parseInt2(text);
    case 'int4':
      return parseInt4(text);
    case 'int8':
      return parseInt8(text);
    case 'float4':
      return parseFloat4(text);
    case 'float8':
      return parseFloat8(text);
    case 'numeric': {
      const value = parseNumeric(text);
      return type.typmod >= 0 ? numericApplyTypmod(value, type.typmod) : value;
    }
    case 'text':
    case 'unknown':
      return checkText(text);
    case 'varchar':
      return applyVarcharTypmod(checkText(text), type.typmod, false);
    case 'jsonb':
      return parseJsonb(text);
    case 'date':
      return parseDate(text, resolveSettings(settings).decode);
    case 'timestamp':
      return applyTimestampPrecision(parseTimestamp(text, resolveSettings(settings).decode), type.typmod);
    case 'timestamptz':
      return applyTimestampPrecision(parseTimestamptz(text, resolveSettings(settings).decode), type.typmod);
    case 'interval':
      return parseInterval(text, settings?.intervalStyle === 'sql_standard');
    default:
      return unreachable(id, 'type');
  }
}
