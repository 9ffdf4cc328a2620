/**
 * A minimal stand-in for storage's value codecs, used by the server tests only while the real
 * module is not available (see `mockValueCodecs`). It covers the types the test engine produces.
 */
import { DbError } from '../../../../storage/errors.js';
import type { DataType, Value } from '../../../../storage/types.js';

export interface FormatSettings {
  timeZone: string;
  dateStyle: string;
  extraFloatDigits: number;
  intervalStyle?: string;
}

export function formatText(type: DataType, value: Value, _settings: FormatSettings): string {
  if (value === null) throw new DbError('XX000', 'formatText of NULL');
  if (type.id === 'bool') return value === true || value === 1 ? 't' : 'f';
  if (type.id === 'float4' || type.id === 'float8') {
    const n = Number(value);
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    return String(n);
  }
  return String(value);
}

export function parseText(type: DataType, text: string, _settings: FormatSettings): Value {
  switch (type.id) {
    case 'int2':
    case 'int4': {
      const trimmed = text.trim();
      if (!/^[+-]?\d+$/.test(trimmed)) throw new DbError('22P02', `invalid input syntax for type ${type.name}: "${text}"`);
      const n = Number(trimmed);
      const limit = type.id === 'int2' ? 32767 : 2147483647;
      if (n > limit || n < -limit - 1) throw new DbError('22003', `value "${text}" is out of range for type ${type.name}`);
      return n;
    }
    case 'int8':
      if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new DbError('22P02', `invalid input syntax for type bigint: "${text}"`);
      return BigInt(text.trim());
    case 'float8':
    case 'float4':
      return Number(text);
    case 'bool':
      return /^(t|true|on|1|y|yes)$/i.test(text.trim());
    default:
      return text;
  }
}

export function encodeBinary(type: DataType, value: Value): Buffer {
  if (type.id === 'float8') {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(Number(value));
    return b;
  }
  return Buffer.from(String(value), 'utf8');
}

export function decodeBinary(type: DataType, bytes: Uint8Array): Value {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expect = (n: number) => {
    if (b.length !== n) throw new DbError('22P03', `incorrect binary data format`);
  };
  switch (type.id) {
    case 'int2':
      expect(2);
      return b.readInt16BE(0);
    case 'int4':
      expect(4);
      return b.readInt32BE(0);
    case 'int8':
      expect(8);
      return b.readBigInt64BE(0);
    case 'float8':
      expect(8);
      return b.readDoubleBE(0);
    case 'bool':
      expect(1);
      return b[0] !== 0;
    default:
      return b.toString('utf8');
  }
}
