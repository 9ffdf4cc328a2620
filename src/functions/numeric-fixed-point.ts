/**
 * Natural logarithm and exponential in fixed point over BigInt: a result X at scale S stands for
 * X × 10^-S (the work inside is binary fixed point). Each function works with guard digits beyond the scale asked for, so the result is
 * within a few units of its last place; callers ask for a few digits more than they keep and then
 * round half away from zero, as PostgreSQL's round_var does. That reproduces PostgreSQL's results
 * (which carry their own guard digits) except when the exact value lies within 10^-6 of a unit of
 * a rounding boundary, where PostgreSQL's own working precision decides.
 */
import { Special, pow10, roundUnscaled, type Decimal } from '../../storage/numeric-decimal.js';

/** Digits a caller asks for beyond the scale it rounds to. */
export const EXTRA_DIGITS = 6;

/** Guard digits against truncation in series and repeated square roots or squarings. */
const GUARD_DIGITS = 12;


/** Bits of binary fixed point that hold `digits` decimal digits, plus a few. */
function bitsFor(digits: number): number {
  return Math.ceil(digits * 3.3219280948873626) + 4;
}

/** A nonnegative binary fixed value (bits fraction bits) as decimal at `scale`, rounded half up. */
function binaryToDecimal(value: bigint, bits: number, scale: number): bigint {
  return ((value * pow10(scale) >> BigInt(bits - 1)) + 1n) >> 1n;
}

/** A binary fixed value (bits fraction bits) as decimal at `scale`, rounded half away from zero. */
function signedBinaryToDecimal(value: bigint, bits: number, scale: number): bigint {
  return value < 0n ? -binaryToDecimal(-value, bits, scale) : binaryToDecimal(value, bits, scale);
}

/** 2 · atanh(z) for a binary fixed |z| < 1: the odd power series z + z^3/3 + z^5/5 + ... */
function twiceAtanh(z: bigint, shift: bigint): bigint {
  const z2 = (z * z) >> shift;
  let sum = z;
  let power = z;
  for (let k = 3n; ; k += 2n) {
    power = (power * z2) >> shift;
    const term = power / k;
    if (term === 0n) break;
    sum += term;
  }
  return sum * 2n;
}

/** ln 2 = 2 · atanh(1/3) in binary fixed point, kept at the largest precision asked so far. */
let ln2Cache = { bits: 0, value: 0n };
function ln2Fixed(bits: number): bigint {
  if (ln2Cache.bits < bits) {
    const cacheBits = Math.max(bits + 64, 512);
    const shift = BigInt(cacheBits);
    ln2Cache = { bits: cacheBits, value: twiceAtanh((1n << shift) / 3n, shift) };
  }
  return ln2Cache.value >> BigInt(ln2Cache.bits - bits);
}

/** √2 in 53 bits, to choose the power of two that brings x nearest 1. */
const SQRT2_53 = 6369051672525773n;

/**
 * ln(x) × 10^scale for a finite x > 0, within a few units. The work is in binary fixed point
 * (shifts instead of divisions by powers of ten). x < 1 goes through ln(1/x); then x = m · 2^j with
 * m in [1/√2, √2], and ln(x) = j · ln 2 + 2 · atanh((m-1)/(m+1)). j reaches about 2^19 for the
 * largest numerics; 32 guard bits cover its multiple of the error in ln 2.
 */
export function lnFixed(x: Decimal, scale: number): bigint {
  const bits = bitsFor(Math.max(scale, 0) + GUARD_DIGITS) + 32;
  const shift = BigInt(bits);
  const one = 1n << shift;
  const invert = x.value < pow10(x.scale);
  const value = invert ? (pow10(x.scale) << shift) / x.value : (x.value << shift) / pow10(x.scale);
  let j = value.toString(2).length - 1 - bits;
  let m = value >> BigInt(j);
  if (m > SQRT2_53 << BigInt(bits - 52)) {
    j++;
    m = value >> BigInt(j);
  }
  const z = ((m - one) << shift) / (m + one);
  const result = signedBinaryToDecimal(twiceAtanh(z, shift) + BigInt(j) * ln2Fixed(bits), bits, scale);
  return invert ? -result : result;
}

/**
 * exp(x) × 10^scale for x = value × 10^-valueScale, within a few units. x is halved k times (one
 * shift) to below 0.001, the Taylor series sums e^r, and k squarings restore e^x; a negative x
 * takes the reciprocal of e^|x|, which keeps the absolute error. Callers bound |x| (PostgreSQL
 * refuses |x| >= 6000), so the result has at most a few thousand digits.
 */
export function expFixed(value: bigint, valueScale: number, scale: number): bigint {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const approx = approximateNumber(magnitude, valueScale);
  const halvings = approx > 0.001 ? Math.ceil(Math.log2(approx / 0.001)) : 0;
  const resultDigits = negative ? 0 : Math.ceil(approx * Math.LOG10E) + 1;
  const bits = bitsFor(Math.max(scale, 0) + resultDigits + GUARD_DIGITS + Math.ceil(halvings * 0.302));
  const shift = BigInt(bits);
  const one = 1n << shift;
  const r = (magnitude << shift) / pow10(valueScale) >> BigInt(halvings);
  let sum = one + r;
  let term = r;
  for (let k = 2n; ; k++) {
    term = ((term * r) >> shift) / k;
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0; i < halvings; i++) sum = (sum * sum) >> shift;
  if (negative) sum = (one << shift) / sum;
  return binaryToDecimal(sum, bits, scale);
}

/** A finite Decimal's magnitude compared with one: -1, 0 or 1. */
export function compareWithOne(x: Decimal): number {
  const unit = pow10(x.scale);
  return x.value < unit ? -1 : x.value > unit ? 1 : 0;
}

/** value × 10^-scale as the nearest double (to 17 digits), for estimates; huge values give Infinity. */
export function approximateNumber(value: bigint, scale: number): number {
  const text = value.toString();
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const kept = Math.min(digits.length, 17);
  const result = Number(`${digits.slice(0, kept)}e${digits.length - kept - scale}`);
  return negative ? -result : result;
}

/** log10(magnitude × 10^-scale) for magnitude > 0, without the double's range limits. */
export function approximateLog10(magnitude: bigint, scale: number): number {
  const text = magnitude.toString();
  const kept = Math.min(text.length, 17);
  return Math.log10(Number(text.slice(0, kept))) + text.length - kept - scale;
}

/** The NumericVar view PostgreSQL's estimates read: base-10000 weight and leading digits. */
export function nbaseDigits(x: Decimal): { weight: number; digits: number[] } {
  if (x.special !== Special.Finite || x.value === 0n) return { weight: 0, digits: [] };
  const magnitude = x.value < 0n ? -x.value : x.value;
  const paddedScale = Math.ceil(x.scale / 4) * 4;
  let text = (magnitude * pow10(paddedScale - x.scale)).toString();
  text = '0'.repeat((4 - (text.length % 4)) % 4) + text;
  const groups: number[] = [];
  for (let i = 0; i < text.length; i += 4) groups.push(Number(text.slice(i, i + 4)));
  let weight = groups.length - paddedScale / 4 - 1;
  let start = 0;
  while (groups[start] === 0) {
    start++;
    weight--;
  }
  let end = groups.length;
  while (end > start && groups[end - 1] === 0) end--;
  return { weight, digits: groups.slice(start, end) };
}

/** A value kept to a number of significant digits: mantissa × 10^exponent. */
export interface Floating {
  readonly mantissa: bigint;
  readonly exponent: number;
}

function truncateSignificant(mantissa: bigint, exponent: number, digits: number): Floating {
  const length = mantissa.toString().length;
  if (length <= digits) return { mantissa, exponent };
  const drop = length - digits;
  return { mantissa: mantissa / pow10(drop), exponent: exponent + drop };
}

/**
 * magnitude^count (magnitude × 10^-scale > 0, count >= 1) to `digits` significant digits, by
 * repeated squaring with each product truncated: the relative error stays below count × 10^-digits
 * (plus the multiplications), so callers add log10(count) and guard digits to what they need.
 */
export function powerSignificant(magnitude: bigint, scale: number, count: number, digits: number): Floating {
  const working = digits + GUARD_DIGITS;
  let base = truncateSignificant(magnitude, -scale, working);
  let result: Floating | null = null;
  for (let rest = count; ; ) {
    if (rest & 1) {
      result = result === null ? base : truncateSignificant(result.mantissa * base.mantissa, result.exponent + base.exponent, working);
    }
    rest = Math.floor(rest / 2);
    if (rest === 0) break;
    base = truncateSignificant(base.mantissa * base.mantissa, base.exponent * 2, working);
  }
  return result as Floating;
}
