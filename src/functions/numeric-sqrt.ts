/**
 * sqrt(numeric) as PostgreSQL's numeric_sqrt: at least 16 significant digits, never fewer
 * decimals than the input, rounded half away from zero (computed exactly with an integer root).
 */
import { DbError } from '../../storage/errors.js';
import { Special, decimalFromCanonical, finite, formatDecimal, integerSqrt, leadingDigitGroup, NUMERIC_MAX_DISPLAY_SCALE, pow10 } from '../../storage/numeric-decimal.js';

const NUMERIC_MIN_SIG_DIGITS = 16;


export function numericSqrt(text: string): string {
  const d = decimalFromCanonical(text);
  if (d.special === Special.NaN || d.special === Special.PositiveInfinity) return formatDecimal(d);
  if (d.special === Special.NegativeInfinity || d.value < 0n) throw new DbError('2201F', 'cannot take square root of a negative number');
  const sweight = leadingDigitGroup(d).weight * 2 + 1;
  const scale = Math.min(Math.max(NUMERIC_MIN_SIG_DIGITS - sweight, d.scale, 0), NUMERIC_MAX_DISPLAY_SCALE);
  // floor(sqrt(x) * 10^(scale+1)), then round the extra digit half up.
  const root = integerSqrt(d.value * pow10(2 * scale + 2 - d.scale));
  const rounded = root / 10n + (root % 10n >= 5n ? 1n : 0n);
  return formatDecimal(finite(rounded, scale));
}
