/**
 * Decimal: the working form of a numeric value (an unscaled BigInt and a display scale, or one of
 * NaN/Infinity/-Infinity), with PostgreSQL's numeric_in and numeric_out.
 *
 * The canonical text form (what vectors hold) is numeric_out's output: no exponent, exactly
 * `scale` fractional digits, no sign on zero. Limits are PostgreSQL's storage limits: a display
 * scale of at most 16383 and a base-10000 weight of at most 32767, else 22003 "value overflows
 * numeric format".
 */
import { DbError, invalidTextRepresentation } from './errors.js';

export const enum Special {
  Finite = 0,
  NaN = 1,
  PositiveInfinity = 2,
  NegativeInfinity = 3,
}

export interface Decimal {
  readonly special: Special;
  /** Signed unscaled value: the number is value × 10^-scale. Zero for specials. */
  readonly value: bigint;
  /** Display scale (digits after the decimal point), >= 0. */
  readonly scale: number;
}

export const NUMERIC_MAX_DISPLAY_SCALE = 1000;
export const NUMERIC_MAX_RESULT_SCALE = 2000;
export const NUMERIC_DSCALE_MAX = 0x3fff;
const NUMERIC_WEIGHT_MAX = 0x7fff;

export const nanDecimal: Decimal = { special: Special.NaN, value: 0n, scale: 0 };
export const positiveInfinity: Decimal = { special: Special.PositiveInfinity, value: 0n, scale: 0 };
export const negativeInfinity: Decimal = { special: Special.NegativeInfinity, value: 0n, scale: 0 };

export function finite(value: bigint, scale: number): Decimal {
  return { special: Special.Finite, value, scale };
}

export const overflowsNumericFormat = () => new DbError('22003', 'value overflows numeric format');

const powersOfTen: bigint[] = [1n];
export function pow10(n: number): bigint {
  if (n < 256) {
    for (let i = powersOfTen.length; i <= n; i++) powersOfTen.push((powersOfTen[i - 1] as bigint) * 10n);
    return powersOfTen[n] as bigint;
  }
  return 10n ** BigInt(n);
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function startsWithIgnoreCase(text: string, at: number, word: string): boolean {
  return text.slice(at, at + word.length).toLowerCase() === word;
}

const specialWords: readonly [string, Decimal][] = [
  ['nan', nanDecimal],
  ['infinity', positiveInfinity],
  ['+infinity', positiveInfinity],
  ['-infinity', negativeInfinity],
  ['inf', positiveInfinity],
  ['+inf', positiveInfinity],
  ['-inf', negativeInfinity],
];

/** numeric_in: validates and parses any accepted input text. */
export function parseDecimalText(text: string): Decimal {
  let at = 0;
  const length = text.length;
  while (at < length && isSpace(text.charCodeAt(at))) at++;
  for (const [word, value] of specialWords) {
    if (startsWithIgnoreCase(text, at, word)) {
      expectOnlySpace(text, at + word.length);
      return value;
    }
  }
  let negative = false;
  const signCode = text.charCodeAt(at);
  if (signCode === 43 || signCode === 45) {
    negative = signCode === 45;
    at++;
  }
  let haveDot = false;
  if (text.charCodeAt(at) === 46) {
    haveDot = true;
    at++;
  }
  if (!isDigit(text.charCodeAt(at))) throw invalidTextRepresentation('numeric', text);
  const digitsStart = at;
  let digits = '';
  let scale = 0;
  let dotAt = -1;
  if (haveDot) dotAt = at - 1;
  for (; at < length; at++) {
    const code = text.charCodeAt(at);
    if (isDigit(code)) {
      if (haveDot) scale++;
    } else if (code === 46) {
      if (haveDot) throw invalidTextRepresentation('numeric', text);
      haveDot = true;
      dotAt = at;
    } else {
      break;
    }
  }
  digits = dotAt < 0 ? text.slice(digitsStart, at) : text.slice(digitsStart, dotAt) + text.slice(dotAt + 1, at);
  let unscaled = BigInt(digits);
  const code = text.charCodeAt(at);
  if (code === 101 || code === 69) {
    // strtol: optional whitespace and sign, then digits.
    let cursor = at + 1;
    while (cursor < length && isSpace(text.charCodeAt(cursor))) cursor++;
    let exponentNegative = false;
    const exponentSign = text.charCodeAt(cursor);
    if (exponentSign === 43 || exponentSign === 45) {
      exponentNegative = exponentSign === 45;
      cursor++;
    }
    const exponentStart = cursor;
    while (cursor < length && isDigit(text.charCodeAt(cursor))) cursor++;
    if (cursor === exponentStart) throw invalidTextRepresentation('numeric', text);
    const magnitude = Number(text.slice(exponentStart, cursor));
    if (magnitude >= 1073741823) throw overflowsNumericFormat();
    const exponent = exponentNegative ? -magnitude : magnitude;
    at = cursor;
    // dscale -= exponent, floored at zero; digits below the new scale move into the value.
    const newScale = scale - exponent;
    // Reject before building a huge BigInt: more integer digits than the format can hold.
    const significant = digits.length - (/^0*/.exec(digits) as RegExpExecArray)[0].length;
    if (significant > 0 && significant - newScale > 4 * (NUMERIC_WEIGHT_MAX + 1)) throw overflowsNumericFormat();
    if (newScale > NUMERIC_DSCALE_MAX) throw overflowsNumericFormat();
    if (newScale < 0) {
      unscaled *= pow10(-newScale);
      scale = 0;
    } else {
      scale = newScale;
    }
  }
  expectOnlySpace(text, at);
  return checkLimits(finite(negative ? -unscaled : unscaled, scale));
}

function expectOnlySpace(text: string, at: number): void {
  for (let i = at; i < text.length; i++) {
    if (!isSpace(text.charCodeAt(i))) throw invalidTextRepresentation('numeric', text);
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Enforces PostgreSQL's storage limits on a finite result. */
export function checkLimits(decimal: Decimal): Decimal {
  if (decimal.special !== Special.Finite) return decimal;
  if (decimal.scale > NUMERIC_DSCALE_MAX) throw overflowsNumericFormat();
  if (decimal.value !== 0n) {
    // Decimal digits before the point, as base-10000 weight: (integerDigits - 1) div 4.
    const magnitude = decimal.value < 0n ? -decimal.value : decimal.value;
    const integerDigits = magnitude.toString().length - decimal.scale;
    if (integerDigits > 0 && Math.floor((integerDigits - 1) / 4) > NUMERIC_WEIGHT_MAX) throw overflowsNumericFormat();
  }
  return decimal;
}

/** numeric_out. */
export function formatDecimal(decimal: Decimal): string {
  switch (decimal.special) {
    case Special.NaN:
      return 'NaN';
    case Special.PositiveInfinity:
      return 'Infinity';
    case Special.NegativeInfinity:
      return '-Infinity';
    case Special.Finite:
      break;
  }
  const { value, scale } = decimal;
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString();
  if (scale === 0) return negative ? '-' + digits : digits;
  const padded = digits.length <= scale ? '0'.repeat(scale - digits.length + 1) + digits : digits;
  const point = padded.length - scale;
  const body = padded.slice(0, point) + '.' + padded.slice(point);
  return negative ? '-' + body : body;
}

/**
 * Parses canonical text (numeric_out's form, as vectors hold it) without validation beyond what
 * BigInt does; falls back to full numeric_in for anything else.
 */
export function decimalFromCanonical(text: string): Decimal {
  const first = text.charCodeAt(0);
  if (first === 78) return nanDecimal; // 'N'
  if (first === 73) return positiveInfinity; // 'I'
  if (first === 45 && text.charCodeAt(1) === 73) return negativeInfinity;
  const dot = text.indexOf('.');
  if (dot < 0) {
    if (/^-?\d+$/.test(text)) return finite(BigInt(text), 0);
    return parseDecimalText(text);
  }
  const joined = text.slice(0, dot) + text.slice(dot + 1);
  if (!/^-?\d+$/.test(joined)) return parseDecimalText(text);
  return finite(BigInt(joined), text.length - dot - 1);
}

/** Base-10000 weight and first digit of a nonzero magnitude, as PostgreSQL's NumericVar holds it. */
export function leadingDigitGroup(decimal: Decimal): { weight: number; firstDigit: number } {
  const magnitude = decimal.value < 0n ? -decimal.value : decimal.value;
  if (magnitude === 0n) return { weight: 0, firstDigit: 0 };
  const digits = magnitude.toString();
  // Position of the leading digit relative to the point: 10^exponent.
  const exponent = digits.length - 1 - decimal.scale;
  const weight = Math.floor(exponent / 4);
  // The group holds the digits for 10^(4w+3) .. 10^(4w); take the leading ones that fall in it.
  const inGroup = exponent - 4 * weight + 1;
  const firstDigit = Number(digits.slice(0, inGroup).padEnd(inGroup, '0'));
  return { weight, firstDigit };
}

/** value rescaled to `scale` (>= decimal.scale): exact. */
export function rescaleUp(decimal: Decimal, scale: number): bigint {
  return decimal.value * pow10(scale - decimal.scale);
}

/** Rounds an unscaled value from `fromScale` down to `toScale` digits, half away from zero. */
export function roundUnscaled(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * pow10(toScale - fromScale);
  const divisor = pow10(fromScale - toScale);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let quotient = magnitude / divisor;
  const remainder = magnitude - quotient * divisor;
  if (remainder * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Truncates an unscaled value from `fromScale` to `toScale` digits, toward zero. */
export function truncateUnscaled(value: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return value * pow10(toScale - fromScale);
  return value / pow10(fromScale - toScale);
}

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
