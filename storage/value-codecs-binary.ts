/**
 * Binary wire formats (typsend/typreceive) of every DataType: bool one byte; int2/4/8 and
 * float4/8 big-endian; numeric as ndigits/weight/sign/dscale/base-10000 digits; date int32 days
 * and timestamp(tz) int64 microseconds since 2000-01-01 (int extremes for the infinities);
 * interval int64 µs, int32 days, int32 months; text/varchar raw UTF-8; jsonb a version byte 1 then the text.
 */
import { DbError, unreachable } from './errors.js';
import {
  DATE_NEGATIVE_INFINITY,
  DATE_POSITIVE_INFINITY,
  END_TIMESTAMP_PG,
  isValidDateJulian,
  MIN_TIMESTAMP_PG,
  POSTGRES_EPOCH_DAYS,
  POSTGRES_EPOCH_JDATE,
  USECS_PER_DAY,
} from './datetime-calendar.js';
import { applyTimestampPrecision } from './datetime.js';
import { decodeArrayBinary, encodeArrayBinary } from './array-value.js';
import { decodeInterval, encodeInterval } from './interval.js';
import { parseJsonb } from './jsonb.js';
import { decodeNumericBinary, encodeNumericBinary } from './numeric-binary.js';
import { decimalFromCanonical, formatDecimal } from './numeric-decimal.js';
import { isArrayType, scalarTypeId, type DataType, type Value } from './types.js';
import { applyVarcharTypmod } from './value-codecs-scalar.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
const EPOCH_SHIFT_MICROS = BigInt(POSTGRES_EPOCH_DAYS * USECS_PER_DAY);

const utf8 = new TextDecoder('utf-8', { fatal: true });

function fixed(size: number, write: (view: DataView) => void): Buffer {
  const out = Buffer.alloc(size);
  write(new DataView(out.buffer, out.byteOffset, size));
  return out;
}

/** typsend. `value` must not be null. */
export function encodeBinary(type: DataType, value: Value): Buffer {
  if (isArrayType(type)) return encodeArrayBinary(value as string, type, encodeBinary);
  const id = scalarTypeId(type);
  switch (id) {
    case 'bool':
      return Buffer.from([value === true || value === 1 ? 1 : 0]);
    case 'int2':
      return fixed(2, (v) => v.setInt16(0, value as number));
    case 'int4':
      return fixed(4, (v) => v.setInt32(0, value as number));
    case 'int8':
      return fixed(8, (v) => v.setBigInt64(0, typeof value === 'bigint' ? value : BigInt(value as number)));
    case 'float4':
      return fixed(4, (v) => v.setFloat32(0, value as number));
    case 'float8':
      return fixed(8, (v) => v.setFloat64(0, value as number));
    case 'numeric':
      return encodeNumericBinary(decimalFromCanonical(value as string));
    case 'text':
    case 'varchar':
    case 'unknown':
      return Buffer.from(value as string, 'utf8');
    case 'jsonb':
      return Buffer.concat([Buffer.from([1]), Buffer.from(value as string, 'utf8')]);
    case 'date': {
      const days = value as number;
      const pg = days === DATE_POSITIVE_INFINITY || days === DATE_NEGATIVE_INFINITY ? days : days - POSTGRES_EPOCH_DAYS;
      return fixed(4, (v) => v.setInt32(0, pg));
    }
    case 'timestamp':
    case 'timestamptz': {
      const micros = value as number;
      const pg =
        micros === Infinity ? INT64_MAX : micros === -Infinity ? INT64_MIN : BigInt(Math.round(micros)) - EPOCH_SHIFT_MICROS;
      return fixed(8, (v) => v.setBigInt64(0, pg));
    }
    case 'interval': {
      // interval_send: int64 microseconds, int32 days, int32 months.
      const span = decodeInterval(value as string);
      return fixed(16, (v) => {
        v.setBigInt64(0, BigInt(span.micros));
        v.setInt32(8, span.days);
        v.setInt32(12, span.months);
      });
    }
    default:
      return unreachable(id, 'type');
  }
}

function expectLength(bytes: Uint8Array, size: number): DataView {
  if (bytes.length < size) throw new DbError('08P01', 'insufficient data left in message');
  if (bytes.length > size) throw new DbError('22P03', 'incorrect binary data format');
  return new DataView(bytes.buffer, bytes.byteOffset, size);
}

/** UTF-8 text from the wire: invalid sequences and NUL are 22021 as PostgreSQL reports them. */
function decodeText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new DbError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
  try {
    return utf8.decode(bytes);
  } catch {
    throw new DbError('22021', `invalid byte sequence for encoding "UTF8": ${badSequence(bytes)}`);
  }
}

/** The offending bytes as PostgreSQL prints them (0xc3 0x28). */
function badSequence(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    const width = lead < 0x80 ? 1 : lead >= 0xf0 && lead < 0xf5 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
    const chunk = bytes.subarray(i, i + Math.max(width, 1));
    let valid = width > 0 && chunk.length === width;
    if (valid && width > 1) {
      try {
        utf8.decode(chunk);
      } catch {
        valid = false;
      }
    }
    if (!valid) {
      return Array.from(bytes.subarray(i, i + Math.max(width, 1)), (b) => '0x' + b.toString(16).padStart(2, '0')).join(' ');
    }
    i += width;
  }
  return '';
}

/** typreceive, with the type's modifier applied as PostgreSQL's receive functions do. */
export function decodeBinary(type: DataType, bytes: Uint8Array): Value {
  if (isArrayType(type)) return decodeArrayBinary(bytes, type, decodeBinary);
  const id = scalarTypeId(type);
  switch (id) {
    case 'bool':
      return expectLength(bytes, 1).getUint8(0) !== 0;
    case 'int2':
      return expectLength(bytes, 2).getInt16(0);
    case 'int4':
      return expectLength(bytes, 4).getInt32(0);
    case 'int8':
      return expectLength(bytes, 8).getBigInt64(0);
    case 'float4':
      return expectLength(bytes, 4).getFloat32(0);
    case 'float8':
      return expectLength(bytes, 8).getFloat64(0);
    case 'numeric':
      return formatDecimal(decodeNumericBinary(bytes, type.typmod));
    case 'text':
    case 'unknown':
      return decodeText(bytes);
    case 'varchar':
      return applyVarcharTypmod(decodeText(bytes), type.typmod, false);
    case 'jsonb': {
      if (bytes.length < 1) throw new DbError('08P01', 'insufficient data left in message');
      const version = bytes[0] as number;
      if (version !== 1) throw new DbError('XX000', `unsupported jsonb version number ${version}`);
      return parseJsonb(decodeText(bytes.subarray(1)));
    }
    case 'date': {
      const pg = expectLength(bytes, 4).getInt32(0);
      if (pg === INT32_MAX || pg === INT32_MIN) return pg;
      if (!isValidDateJulian(pg + POSTGRES_EPOCH_JDATE)) throw new DbError('22008', 'date out of range');
      return pg + POSTGRES_EPOCH_DAYS;
    }
    case 'timestamp':
    case 'timestamptz': {
      const pg = expectLength(bytes, 8).getBigInt64(0);
      if (pg === INT64_MAX) return Infinity;
      if (pg === INT64_MIN) return -Infinity;
      if (pg < MIN_TIMESTAMP_PG || pg >= END_TIMESTAMP_PG) throw new DbError('22008', 'timestamp out of range');
      return applyTimestampPrecision(Number(pg + EPOCH_SHIFT_MICROS), type.typmod);
    }
    case 'interval': {
      const view = expectLength(bytes, 16);
      return encodeInterval(view.getInt32(12), view.getInt32(8), Number(view.getBigInt64(0)));
    }
    default:
      return unreachable(id, 'type');
  }
}
