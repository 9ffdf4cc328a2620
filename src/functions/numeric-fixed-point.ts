/**
 * Natural logarithm and exponential in fixed point over BigInt: a value X at scale S stands for
 * X × 10^-S. Each function works with guard digits beyond the scale asked for, so the result is
 * within a few units of its last place; callers ask for a few digits more than they keep and then
 * round half away from zero, as PostgreSQL's round_var does. That reproduces PostgreSQL's results
 * (which carry their own guard digits) except when the exact value lies within 10^-6 of a unit of
 * a rounding boundary, where PostgreSQL's own working precision decides.
 */
import { Special, pow10, type Decimal } from '../../storage/numeric-decimal.js';

/** Digits a caller asks for beyond the scale it rounds to. */
export const EXTRA_DIGITS = 6;

/** Guard digits against truncation in series and repeated square roots or squarings. */
const GUARD_DIGITS = 12;

/** floor(sqrt(n)) for n >= 0: Newton's iteration from a float estimate above the root. */
export function integerSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  const bits = n.toString(2).length;
  let x: bigint;
  if (bits < 1000) {
    x = BigInt(Math.ceil(Math.sqrt(Number(n)) * (1 + 1e-12))) + 1n;
  } else {
    // Keep the top 52 bits for the estimate; the rest is a power of two.
    const shift = (bits - 52) & ~1;
    x = (BigInt(Math.ceil(Math.sqrt(Number(n >> BigInt(shift))) * (1 + 1e-12))) + 1n) << BigInt(shift / 2);
  }
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/** Rescales a nonnegative-or-signed fixed value from one scale to another, truncating. */
function rescale(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * pow10(toScale - fromScale);
  return value / pow10(fromScale - toScale);
}

/** Rounds a fixed value down to a smaller scale, half away from zero. */
export function roundFixed(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * pow10(toScale - fromScale);
  const divisor = pow10(fromScale - toScale);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let quotient = magnitude / divisor;
  if ((magnitude - quotient * divisor) * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * ln(x) × 10^scale for a finite x > 0, within a few units. x < 1 goes through ln(1/x); square
 * roots bring x below 1.01, then ln(x) = 2^(k+1) · atanh((x-1)/(x+1)) by its power series. The
 * 2^(k+1) factor (k <= 20 for any numeric) multiplies the working error, hence the guard digits.
 */
export function lnFixed(x: Decimal, scale: number): bigint {
  const working = Math.max(scale, 0) + GUARD_DIGITS + 8;
  const one = pow10(working);
  let invert = false;
  let value: bigint;
  if (x.value >= pow10(x.scale)) {
    value = rescale(x.value, x.scale, working);
  } else {
    invert = true;
    value = (pow10(x.scale) * one) / x.value;
  }
  const limit = one + one / 100n;
  let doublings = 1;
  while (value > limit) {
    value = integerSqrt(value * one);
    doublings++;
  }
  const z = ((value - one) * one) / (value + one);
  const z2 = (z * z) / one;
  let sum = z;
  let power = z;
  for (let k = 3n; ; k += 2n) {
    power = (power * z2) / one;
    const term = power / k;
    if (term === 0n) break;
    sum += term;
  }
  sum <<= BigInt(doublings);
  const result = roundFixed(sum, working, scale);
  return invert ? -result : result;
}

/**
 * exp(x) × 10^scale for x = value × 10^-valueScale, within a few units. x is halved k times (one
 * division by 2^k) to below 0.001, the Taylor series sums e^r, and k squarings restore e^x; a
 * negative x takes the reciprocal of e^|x|, which keeps the absolute error. Callers bound |x|
 * (PostgreSQL refuses |x| >= 6000), so the result has at most a few thousand digits.
 */
export function expFixed(value: bigint, valueScale: number, scale: number): bigint {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const approxOrZero = approximateNumber(magnitude, valueScale);
  const halvings = approxOrZero > 0.001 ? Math.ceil(Math.log2(approxOrZero / 0.001)) : 0;
  const resultDigits = negative ? 0 : Math.ceil(approxOrZero * Math.LOG10E) + 1;
  const working = Math.max(scale, 0) + resultDigits + GUARD_DIGITS + Math.ceil(halvings * 0.302);
  const one = pow10(working);
  const r = rescale(magnitude, valueScale, working) >> BigInt(halvings);
  let sum = one + r;
  let term = r;
  for (let k = 2n; ; k++) {
    term = (term * r) / (one * k);
    if (term === 0n) break;
    sum += term;
  }
  for (let i = 0; i < halvings; i++) sum = (sum * sum) / one;
  if (negative) sum = (one * one) / sum;
  return roundFixed(sum, working, scale);
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

/** A finite Decimal's magnitude compared with one: -1, 0 or 1. */
export function compareWithOne(x: Decimal): number {
  const unit = pow10(x.scale);
  return x.value < unit ? -1 : x.value > unit ? 1 : 0;
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
