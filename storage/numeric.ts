/**
 * Exact decimal arithmetic on numeric's canonical text (what vectors hold), with PostgreSQL 15's
 * result scales, special values and errors. Values are parsed into an unscaled BigInt and a
 * display scale (numeric-decimal.ts), combined (numeric-arithmetic.ts) and printed back with
 * numeric_out.
 */
import { DbError, numericOutOfRange } from './errors.js';
import { formatG, parseFloat4, parseFloat8 } from './float-format.js';
import {
  addDecimal,
  applyTypmodDecimal,
  compareDecimal,
  divideDecimal,
  moduloDecimal,
  multiplyDecimal,
  negateDecimal,
  roundDecimal,
} from './numeric-arithmetic.js';
import {
  decimalFromCanonical,
  finite,
  formatDecimal,
  parseDecimalText,
  roundUnscaled,
  Special,
  type Decimal,
} from './numeric-decimal.js';

export { NumericAccumulator } from './numeric-accumulator.js';
export { numericTypmod, numericTypmodParts } from './numeric-arithmetic.js';

/** numeric_in: validates and canonicalizes ('  1.50 ' -> '1.50'; 22P02 on bad input). */
export function parseNumeric(text: string): string {
  return formatDecimal(parseDecimalText(text));
}

const binary = (operation: (a: Decimal, b: Decimal) => Decimal) => (a: string, b: string) =>
  formatDecimal(operation(decimalFromCanonical(a), decimalFromCanonical(b)));

export const numericAdd = binary(addDecimal);
export const numericSub = binary((a, b) => addDecimal(a, negateDecimal(b)));
export const numericMul = binary(multiplyDecimal);
/** Division with select_div_scale's result scale; 22012 on division by zero. */
export const numericDiv = binary(divideDecimal);
export const numericMod = binary(moduloDecimal);

export function numericCompare(a: string, b: string): -1 | 0 | 1 {
  return compareDecimal(decimalFromCanonical(a), decimalFromCanonical(b));
}

export function numericNegate(a: string): string {
  return formatDecimal(negateDecimal(decimalFromCanonical(a)));
}

export function numericAbs(a: string): string {
  const decimal = decimalFromCanonical(a);
  if (decimal.special === Special.NegativeInfinity) return 'Infinity';
  if (decimal.special !== Special.Finite || decimal.value >= 0n) return formatDecimal(decimal);
  return formatDecimal(finite(-decimal.value, decimal.scale));
}

export function numericRound(a: string, scale: number): string {
  return formatDecimal(roundDecimal(decimalFromCanonical(a), scale));
}

export function numericTrunc(a: string, scale: number): string {
  return formatDecimal(roundDecimal(decimalFromCanonical(a), scale, true));
}

/** float8 -> numeric as float8_numeric: `%.15g`, then numeric_in. */
export function numericFromNumber(n: number): string {
  return numericFromFloat(n, 15);
}

/** float4 -> numeric as float4_numeric: `%.6g`, then numeric_in. */
export function numericFromFloat4(n: number): string {
  return numericFromFloat(n, 6);
}

function numericFromFloat(n: number, digits: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return formatDecimal(parseDecimalText(formatG(n, digits)));
}

export function numericFromBigInt(n: bigint): string {
  return n.toString();
}

/** numeric -> float8 (numeric_float8): the nearest double; 22003 beyond the double range. */
export function numericToNumber(s: string): number {
  const first = s.charCodeAt(0);
  if (first === 78) return NaN;
  if (first === 73) return Infinity;
  if (first === 45 && s.charCodeAt(1) === 73) return -Infinity;
  return parseFloat8(s);
}

/** numeric -> float4 (numeric_float4). */
export function numericToFloat4(s: string): number {
  const first = s.charCodeAt(0);
  if (first === 78) return NaN;
  if (first === 73) return Infinity;
  if (first === 45 && s.charCodeAt(1) === 73) return -Infinity;
  return parseFloat4(s);
}

const integerRanges: Record<string, readonly [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/**
 * numeric -> smallint/integer/bigint: rounds half away from zero; 22003 out of range; NaN and
 * infinities cannot be converted (0A000).
 */
export function numericToBigInt(s: string, typeName: string): bigint {
  const decimal = decimalFromCanonical(s);
  if (decimal.special === Special.NaN) throw new DbError('0A000', `cannot convert NaN to ${typeName}`);
  if (decimal.special !== Special.Finite) throw new DbError('0A000', `cannot convert infinity to ${typeName}`);
  const rounded = roundUnscaled(decimal.value, decimal.scale, 0);
  const range = integerRanges[typeName] ?? integerRanges['bigint'];
  if (range !== undefined && (rounded < range[0] || rounded > range[1])) throw numericOutOfRange(typeName);
  return rounded;
}

/** numeric(p,s) rounding and overflow check on canonical text. */
export function numericApplyTypmod(s: string, typmod: number): string {
  if (typmod < 4) return s;
  return formatDecimal(applyTypmodDecimal(decimalFromCanonical(s), typmod));
}
