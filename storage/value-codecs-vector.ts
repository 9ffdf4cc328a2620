/**
 * Formats the live rows of a vector as text for the wire's DataRow path. The per-type loop is
 * chosen once per vector; settings are resolved once; each loop reads the typed array directly.
 */
import { assert } from './errors.js';
import { formatDate, formatTimestamp, formatTimestamptz } from './datetime.js';
import { formatFloat4, formatFloat8 } from './float-format.js';
import { isArrayType } from './types.js';
import { formatText } from './value-codecs-text.js';
import { decodeInterval } from './interval.js';
import { formatInterval, parseIntervalStyle } from './interval-text.js';
import type { Vector } from './vector.js';
import { resolveSettings, type FormatSettings } from './value-codecs-settings.js';

type Formatter = (value: number) => string;

/**
 * Per live row (all rows in order when `rows` is null, else the listed physical rows), null for
 * a NULL or the value's text.
 */
export function formatVectorText(vector: Vector, rows: Int32Array | null, settings: FormatSettings | null): (string | null)[] {
  const count = rows === null ? vector.length : rows.length;
  const out = new Array<string | null>(count);
  const validity = vector.validity;
  if (vector.kind === 'string' && vector.type.id === 'interval') {
    const style = parseIntervalStyle(settings?.intervalStyle);
    const values = vector.values;
    for (let i = 0; i < count; i++) {
      const row = rows === null ? i : (rows[i] as number);
      out[i] = validity !== null && validity[row] === 0 ? null : formatInterval(decodeInterval(values[row] as string), style);
    }
    return out;
  }
  if (vector.kind === 'string') {
    const values = vector.values;
    // Arrays are stored as JSON element lists; every other string type is its own text.
    const type = vector.type;
    const array = isArrayType(type);
    for (let i = 0; i < count; i++) {
      const row = rows === null ? i : (rows[i] as number);
      out[i] = validity !== null && validity[row] === 0 ? null : array ? formatText(type, values[row] as string, settings) : (values[row] as string);
    }
    return out;
  }
  const values = vector.values;
  if (values instanceof BigInt64Array) {
    for (let i = 0; i < count; i++) {
      const row = rows === null ? i : (rows[i] as number);
      out[i] = validity !== null && validity[row] === 0 ? null : (values[row] as bigint).toString();
    }
    return out;
  }
  const format = numberFormatter(vector, settings);
  for (let i = 0; i < count; i++) {
    const row = rows === null ? i : (rows[i] as number);
    out[i] = validity !== null && validity[row] === 0 ? null : format(values[row] as number);
  }
  return out;
}

function numberFormatter(vector: Vector, settings: FormatSettings | null): Formatter {
  switch (vector.type.id) {
    case 'bool':
      return (v) => (v !== 0 ? 't' : 'f');
    case 'int2':
    case 'int4':
      return (v) => String(v);
    case 'float4': {
      const digits = resolveSettings(settings).extraFloatDigits;
      return (v) => formatFloat4(v, digits);
    }
    case 'float8': {
      const digits = resolveSettings(settings).extraFloatDigits;
      return (v) => formatFloat8(v, digits);
    }
    case 'date': {
      const style = resolveSettings(settings).dateStyle;
      return (v) => formatDate(v, style);
    }
    case 'timestamp': {
      const style = resolveSettings(settings).dateStyle;
      return (v) => formatTimestamp(v, style);
    }
    case 'timestamptz': {
      const { zone, dateStyle } = resolveSettings(settings);
      return (v) => formatTimestamptz(v, zone, dateStyle);
    }
    default:
      assert(false, `no fixed-width text formatter for ${vector.type.name}`);
  }
}
