/**
 * Numeric arithmetic on Decimals with PostgreSQL 15's result scales, special values (NaN,
 * ±Infinity) and errors. Rounding is half away from zero, as in PostgreSQL's round_var.
 *
 * Result scales: + and - take the larger scale, * the sum of scales (rounded to 16383 at most),
 * / uses select_div_scale (at least 16 significant digits, at least either input's scale, at most
 * 1000), % the larger scale.
 */
import { DbError, divisionByZero } from './errors.js';
import {
  checkLimits,
  finite,
  leadingDigitGroup,
  nanDecimal,
  negativeInfinity,
  NUMERIC_DSCALE_MAX,
  NUMERIC_MAX_DISPLAY_SCALE,
  NUMERIC_MAX_RESULT_SCALE,
  positiveInfinity,
  pow10,
  rescaleUp,
  roundUnscaled,
  Special,
  truncateUnscaled,
  type Decimal,
} from './numeric-decimal.js';

const NUMERIC_MIN_SIG_DIGITS = 16;

export function signOf(decimal: Decimal): number {
  if (decimal.special === Special.PositiveInfinity) return 1;
  if (decimal.special === Special.NegativeInfinity) return -1;
  return decimal.value > 0n ? 1 : decimal.value < 0n ? -1 : 0;
}

function isInfinite(decimal: Decimal): boolean {
  return decimal.special === Special.PositiveInfinity || decimal.special === Special.NegativeInfinity;
}

function infinityWithSign(sign: number): Decimal {
  return sign > 0 ? positiveInfinity : negativeInfinity;
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.special !== Special.Finite || b.special !== Special.Finite) {
    if (a.special === Special.NaN || b.special === Special.NaN) return nanDecimal;
    if (isInfinite(a) && isInfinite(b)) return a.special === b.special ? a : nanDecimal;
    return isInfinite(a) ? a : b;
  }
  const scale = Math.max(a.scale, b.scale);
  return checkLimits(finite(rescaleUp(a, scale) + rescaleUp(b, scale), scale));
}

export function negateDecimal(a: Decimal): Decimal {
  if (a.special === Special.NaN) return a;
  if (a.special === Special.PositiveInfinity) return negativeInfinity;
  if (a.special === Special.NegativeInfinity) return positiveInfinity;
  return finite(-a.value, a.scale);
}

export function multiplyDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.special !== Special.Finite || b.special !== Special.Finite) {
    if (a.special === Special.NaN || b.special === Special.NaN) return nanDecimal;
    const sign = signOf(a) * signOf(b);
    return sign === 0 ? nanDecimal : infinityWithSign(sign);
  }
  let value = a.value * b.value;
  let scale = a.scale + b.scale;
  if (scale > NUMERIC_DSCALE_MAX) {
    value = roundUnscaled(value, scale, NUMERIC_DSCALE_MAX);
    scale = NUMERIC_DSCALE_MAX;
  }
  return checkLimits(finite(value, scale));
}

/** select_div_scale: the result scale of numeric division. */
export function divisionScale(a: Decimal, b: Decimal): number {
  const first = leadingDigitGroup(a);
  const second = leadingDigitGroup(b);
  let quotientWeight = first.weight - second.weight;
  if (first.firstDigit <= second.firstDigit) quotientWeight--;
  let scale = NUMERIC_MIN_SIG_DIGITS - quotientWeight * 4;
  scale = Math.max(scale, a.scale, b.scale, 0);
  return Math.min(scale, NUMERIC_MAX_DISPLAY_SCALE);
}

/** Exact quotient a / b at `scale` digits, rounded half away from zero (or truncated). */
function quotientAt(a: Decimal, b: Decimal, scale: number, round: boolean): bigint {
  const shift = scale - a.scale + b.scale;
  let numerator = a.value;
  let denominator = b.value;
  if (shift >= 0) numerator *= pow10(shift);
  else denominator *= pow10(-shift);
  const negative = numerator < 0n !== denominator < 0n;
  if (numerator < 0n) numerator = -numerator;
  if (denominator < 0n) denominator = -denominator;
  let quotient = numerator / denominator;
  if (round && (numerator - quotient * denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

export function divideDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.special !== Special.Finite || b.special !== Special.Finite) {
    if (a.special === Special.NaN || b.special === Special.NaN) return nanDecimal;
    if (isInfinite(a)) {
      if (isInfinite(b)) return nanDecimal;
      const sign = signOf(b);
      if (sign === 0) throw divisionByZero();
      return infinityWithSign(signOf(a) * sign);
    }
    // finite / ±Infinity
    return finite(0n, 0);
  }
  if (b.value === 0n) throw divisionByZero();
  const scale = divisionScale(a, b);
  return checkLimits(finite(quotientAt(a, b, scale, true), scale));
}

export function moduloDecimal(a: Decimal, b: Decimal): Decimal {
  if (a.special !== Special.Finite || b.special !== Special.Finite) {
    if (a.special === Special.NaN || b.special === Special.NaN) return nanDecimal;
    if (isInfinite(a)) {
      if (signOf(b) === 0) throw divisionByZero();
      return nanDecimal;
    }
    return a;
  }
  if (b.value === 0n) throw divisionByZero();
  const scale = Math.max(a.scale, b.scale);
  return finite(rescaleUp(a, scale) % rescaleUp(b, scale), scale);
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  if (a.special !== Special.Finite || b.special !== Special.Finite) {
    const rank = (d: Decimal) =>
      d.special === Special.NaN ? 3 : d.special === Special.PositiveInfinity ? 2 : d.special === Special.Finite ? 1 : 0;
    const left = rank(a);
    const right = rank(b);
    return left < right ? -1 : left > right ? 1 : 0;
  }
  let left = a.value;
  let right = b.value;
  if (a.scale < b.scale) left *= pow10(b.scale - a.scale);
  else if (b.scale < a.scale) right *= pow10(a.scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** round(numeric, int): half away from zero; negative scales round to tens, hundreds, ... */
export function roundDecimal(a: Decimal, scale: number, truncate = false): Decimal {
  if (a.special !== Special.Finite) return a;
  const target = Math.min(Math.max(scale, -NUMERIC_MAX_RESULT_SCALE), NUMERIC_MAX_RESULT_SCALE);
  if (target >= a.scale) return checkLimits(finite(rescaleUp(a, target), target));
  const reduced = truncate ? truncateUnscaled(a.value, a.scale, target) : roundUnscaled(a.value, a.scale, target);
  if (target >= 0) return checkLimits(finite(reduced, target));
  return checkLimits(finite(reduced * pow10(-target), 0));
}

/** numeric(p,s) typmod: precision and scale, or null when the typmod is unconstrained. */
export function numericTypmodParts(typmod: number): { precision: number; scale: number } | null {
  if (typmod < 4) return null;
  const bits = typmod - 4;
  return { precision: (bits >> 16) & 0xffff, scale: ((bits & 0x7ff) ^ 1024) - 1024 };
}

/** Encodes numeric(precision, scale) as PostgreSQL's typmod. */
export function numericTypmod(precision: number, scale = 0): number {
  return ((precision << 16) | (scale & 0x7ff)) + 4;
}

/** apply_typmod: rounds to the scale of numeric(p,s); 22003 when the result needs more digits. */
export function applyTypmodDecimal(decimal: Decimal, typmod: number): Decimal {
  const parts = numericTypmodParts(typmod);
  if (parts === null || decimal.special === Special.NaN) return decimal;
  const { precision, scale } = parts;
  if (decimal.special !== Special.Finite) {
    throw new DbError('22003', 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
    });
  }
  const rounded = roundDecimal(decimal, scale);
  const maxDigits = precision - scale;
  if (rounded.value !== 0n) {
    const magnitude = rounded.value < 0n ? -rounded.value : rounded.value;
    const integerDigits = magnitude.toString().length - rounded.scale;
    if (integerDigits > maxDigits) {
      const limit = maxDigits !== 0 ? `10^${maxDigits}` : '1';
      throw new DbError('22003', 'numeric field overflow', {
        detail: `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${limit}.`,
      });
    }
  }
  return rounded;
}

