/**
 * numeric's binary wire format (numeric_send / numeric_recv): int16 ndigits, int16 weight,
 * uint16 sign, int16 dscale, then ndigits base-10000 digits, big-endian. Digits are stripped of
 * leading and trailing zero groups as PostgreSQL stores them; zero has no digits and weight 0.
 */
import { DbError } from './errors.js';
import { applyTypmodDecimal } from './numeric-arithmetic.js';
import {
  checkLimits,
  finite,
  nanDecimal,
  negativeInfinity,
  NUMERIC_DSCALE_MAX,
  positiveInfinity,
  pow10,
  Special,
  type Decimal,
} from './numeric-decimal.js';

const SIGN_POSITIVE = 0x0000;
const SIGN_NEGATIVE = 0x4000;
const SIGN_NAN = 0xc000;
const SIGN_POSITIVE_INFINITY = 0xd000;
const SIGN_NEGATIVE_INFINITY = 0xf000;

export function encodeNumericBinary(decimal: Decimal): Buffer {
  if (decimal.special !== Special.Finite) {
    const out = Buffer.alloc(8);
    const sign =
      decimal.special === Special.NaN
        ? SIGN_NAN
        : decimal.special === Special.PositiveInfinity
          ? SIGN_POSITIVE_INFINITY
          : SIGN_NEGATIVE_INFINITY;
    out.writeUInt16BE(sign, 4);
    // PostgreSQL reads the dscale of an infinity out of its header bits: it sends 32.
    if (decimal.special !== Special.NaN) out.writeUInt16BE(0x20, 6);
    return out;
  }
  const negative = decimal.value < 0n;
  const magnitude = negative ? -decimal.value : decimal.value;
  if (magnitude === 0n) {
    const out = Buffer.alloc(8);
    out.writeUInt16BE(decimal.scale, 6);
    return out;
  }
  // Align the fraction to whole base-10000 groups, then split the digits into groups of four.
  const padding = (4 - (decimal.scale % 4)) % 4;
  let digits = (magnitude * pow10(padding)).toString();
  const fractionGroups = (decimal.scale + padding) / 4;
  digits = '0'.repeat((4 - (digits.length % 4)) % 4) + digits;
  const groups: number[] = [];
  for (let i = 0; i < digits.length; i += 4) groups.push(Number(digits.slice(i, i + 4)));
  const weight = groups.length - 1 - fractionGroups;
  let count = groups.length;
  while (count > 0 && groups[count - 1] === 0) count--;
  const out = Buffer.alloc(8 + 2 * count);
  out.writeInt16BE(count, 0);
  out.writeInt16BE(weight, 2);
  out.writeUInt16BE(negative ? SIGN_NEGATIVE : SIGN_POSITIVE, 4);
  out.writeUInt16BE(decimal.scale, 6);
  for (let i = 0; i < count; i++) out.writeUInt16BE(groups[i] as number, 8 + 2 * i);
  return out;
}

const invalidBinary = (what: string) => new DbError('22P03', `invalid ${what} in external "numeric" value`);

/** numeric_recv: digits hidden by dscale are truncated away, as PostgreSQL does. */
export function decodeNumericBinary(bytes: Uint8Array, typmod = -1): Decimal {
  if (bytes.length < 8) throw new DbError('08P01', 'insufficient data left in message');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(0);
  const weight = view.getInt16(2);
  const sign = view.getUint16(4);
  const scale = view.getUint16(6);
  if (count > 0x7fff || bytes.length < 8 + 2 * count) throw new DbError('08P01', 'insufficient data left in message');
  if (bytes.length > 8 + 2 * count) throw new DbError('22P03', 'incorrect binary data format');
  if (sign === SIGN_NAN) return nanDecimal;
  if (sign === SIGN_POSITIVE_INFINITY || sign === SIGN_NEGATIVE_INFINITY) {
    const infinity = sign === SIGN_POSITIVE_INFINITY ? positiveInfinity : negativeInfinity;
    return applyTypmodDecimal(infinity, typmod);
  }
  if (sign !== SIGN_POSITIVE && sign !== SIGN_NEGATIVE) throw invalidBinary('sign');
  if ((scale & 0x3fff) !== scale || scale > NUMERIC_DSCALE_MAX) throw invalidBinary('scale');
  let groups = 0n;
  for (let i = 0; i < count; i++) {
    const digit = view.getUint16(8 + 2 * i);
    if (digit >= 10000) throw invalidBinary('digit');
    groups = groups * 10000n + BigInt(digit);
  }
  // value = groups × 10000^(weight - count + 1); express it at `scale` fractional digits.
  const power = 4 * (weight - count + 1) + scale;
  const unscaled = power >= 0 ? groups * pow10(power) : groups / pow10(-power);
  const decimal = checkLimits(finite(sign === SIGN_NEGATIVE ? -unscaled : unscaled, scale));
  return applyTypmodDecimal(decimal, typmod);
}
