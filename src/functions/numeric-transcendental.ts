/**
 * exp, ln, log and power over numeric as PostgreSQL 15's numeric.c defines them: the result
 * scales of numeric_exp, numeric_ln, log_var and power_var/power_var_int (at least 16 significant
 * digits, never fewer decimals than the inputs, at most 1000), their special values and errors.
 * The digits come from numeric-fixed-point.ts, rounded half away from zero at that scale.
 */
import { DbError, divisionByZero } from '../../storage/errors.js';
import {
  Special,
  decimalFromCanonical,
  finite,
  formatDecimal,
  nanDecimal,
  negativeInfinity,
  NUMERIC_MAX_DISPLAY_SCALE,
  overflowsNumericFormat,
  positiveInfinity,
  pow10,
  roundUnscaled,
  checkLimits,
  type Decimal,
} from '../../storage/numeric-decimal.js';
import { compareDecimal } from '../../storage/numeric-arithmetic.js';
import { approximateLog10, approximateNumber, compareWithOne, EXTRA_DIGITS, expFixed, lnFixed, nbaseDigits, powerSignificant } from './numeric-fixed-point.js';

const NUMERIC_MIN_SIG_DIGITS = 16;
const NUMERIC_MAX_RESULT_SCALE = 2000;
/** exp_var refuses arguments of this magnitude: e^6000 is near numeric's largest weight. */
const EXP_ARGUMENT_LIMIT = NUMERIC_MAX_RESULT_SCALE * 3;
const LOG10_E = 0.434294481903252;

const zeroAt = (scale: number) => finite(0n, scale);
const one = finite(1n, 0);
const logOfZero = () => new DbError('2201E', 'cannot take logarithm of zero');
const logOfNegative = () => new DbError('2201E', 'cannot take logarithm of a negative number');
const zeroToNegative = () => new DbError('2201F', 'zero raised to a negative power is undefined');
const complexResult = () => new DbError('2201F', 'a negative number raised to a non-integer power yields a complex result');

/** Clamps a result scale between NUMERIC_MIN_DISPLAY_SCALE (0) and NUMERIC_MAX_DISPLAY_SCALE. */
function clampScale(scale: number, ...atLeast: number[]): number {
  return Math.min(Math.max(scale, ...atLeast, 0), NUMERIC_MAX_DISPLAY_SCALE);
}

function signOf(x: Decimal): number {
  if (x.special === Special.PositiveInfinity) return 1;
  if (x.special === Special.NegativeInfinity) return -1;
  return x.value > 0n ? 1 : x.value < 0n ? -1 : 0;
}

/** numeric_is_integral: infinities count as integral, NaN does not. */
function isIntegral(x: Decimal): boolean {
  if (x.special !== Special.Finite) return x.special !== Special.NaN;
  return x.value % pow10(x.scale) === 0n;
}

function toNumber(x: Decimal): number {
  return approximateNumber(x.value, x.scale);
}

/** estimate_ln_dweight: the decimal weight of ln(x) for x > 0, from x's leading digits. */
export function estimateLnDweight(x: Decimal): number {
  if (x.value <= 0n) return 0;
  if (compareDecimal(x, finite(9n, 1)) >= 0 && compareDecimal(x, finite(11n, 1)) <= 0) {
    const delta = x.value - pow10(x.scale);
    if (delta === 0n) return 0;
    const magnitude = delta < 0n ? -delta : delta;
    return magnitude.toString().length - 1 - x.scale;
  }
  const { weight, digits } = nbaseDigits(x);
  let leading = digits[0] as number;
  let dweight = weight * 4;
  if (digits.length > 1) {
    leading = leading * 10000 + (digits[1] as number);
    dweight -= 4;
  }
  const ln = Math.log(leading) + dweight * 2.302585092994046;
  return Math.trunc(Math.log10(Math.abs(ln)));
}

/** ln(x) rounded to `scale` for a finite x > 0. */
function lnAt(x: Decimal, scale: number): Decimal {
  return finite(roundUnscaled(lnFixed(x, scale + EXTRA_DIGITS), scale + EXTRA_DIGITS, scale), scale);
}

/** exp_var: e^x rounded to `scale`; 22003 for x >= 6000, zero for x <= -6000. */
function expAt(value: bigint, valueScale: number, scale: number): Decimal {
  const approx = approximateNumber(value, valueScale);
  if (Math.abs(approx) >= EXP_ARGUMENT_LIMIT) {
    if (approx > 0) throw overflowsNumericFormat();
    return zeroAt(scale);
  }
  const fixed = expFixed(value, valueScale, scale + EXTRA_DIGITS);
  return checkLimits(finite(roundUnscaled(fixed, scale + EXTRA_DIGITS, scale), scale));
}

export function numericExp(text: string): string {
  const x = decimalFromCanonical(text);
  if (x.special === Special.NegativeInfinity) return '0';
  if (x.special !== Special.Finite) return formatDecimal(x);
  const weight = Math.min(Math.max(toNumber(x) * LOG10_E, -NUMERIC_MAX_RESULT_SCALE), NUMERIC_MAX_RESULT_SCALE);
  const scale = clampScale(NUMERIC_MIN_SIG_DIGITS - Math.trunc(weight), x.scale);
  return formatDecimal(expAt(x.value, x.scale, scale));
}

function checkLogArgument(x: Decimal): void {
  const sign = signOf(x);
  if (sign === 0) throw logOfZero();
  if (sign < 0) throw logOfNegative();
}

export function numericLn(text: string): string {
  const x = decimalFromCanonical(text);
  if (x.special === Special.NaN || x.special === Special.PositiveInfinity) return formatDecimal(x);
  checkLogArgument(x);
  const scale = clampScale(NUMERIC_MIN_SIG_DIGITS - estimateLnDweight(x), x.scale);
  return formatDecimal(lnAt(x, scale));
}

/** numeric_log/log_var: log of `num` to base `base`; log(x) is log(10, x). */
export function numericLog(baseText: string, numText: string): string {
  const base = decimalFromCanonical(baseText);
  const num = decimalFromCanonical(numText);
  if (base.special !== Special.Finite || num.special !== Special.Finite) {
    if (base.special === Special.NaN || num.special === Special.NaN) return 'NaN';
    if (signOf(base) < 0 || signOf(num) < 0) throw logOfNegative();
    if (signOf(base) === 0 || signOf(num) === 0) throw logOfZero();
    if (base.special === Special.PositiveInfinity) return num.special === Special.PositiveInfinity ? 'NaN' : '0';
    return 'Infinity';
  }
  checkLogArgument(base);
  checkLogArgument(num);
  const baseDweight = estimateLnDweight(base);
  const numDweight = estimateLnDweight(num);
  const resultDweight = numDweight - baseDweight;
  const scale = clampScale(NUMERIC_MIN_SIG_DIGITS - resultDweight, base.scale, num.scale);
  if (compareWithOne(base) === 0) throw divisionByZero();
  // Both logarithms carry enough digits that their quotient is good to EXTRA_DIGITS past `scale`;
  // the dweight estimates can be off by one, which the extra 4 digits absorb.
  const baseScale = Math.max(scale + resultDweight - baseDweight + EXTRA_DIGITS + 4, EXTRA_DIGITS);
  const numScale = Math.max(scale + resultDweight - numDweight + EXTRA_DIGITS + 4, EXTRA_DIGITS);
  const lnBase = lnFixed(base, baseScale);
  const lnNum = lnFixed(num, numScale);
  // lnNum × 10^-numScale / (lnBase × 10^-baseScale), at scale + EXTRA_DIGITS.
  const shift = scale + EXTRA_DIGITS + baseScale - numScale;
  const quotient = shift >= 0 ? (lnNum * pow10(shift)) / lnBase : lnNum / (lnBase * pow10(-shift));
  return formatDecimal(finite(roundUnscaled(quotient, scale + EXTRA_DIGITS, scale), scale));
}

/** The exact quotient 1 / x at `scale`, rounded half away from zero (div_var with round). */
function reciprocalAt(x: Decimal, scale: number): Decimal {
  const numerator = pow10(scale + x.scale) * 10n;
  const tenfold = numerator / x.value;
  return finite(roundUnscaled(tenfold, scale + 1, scale), scale);
}

/** Largest exact intermediate power computed with BigInt, in digits; beyond it ln/exp take over. */
const EXACT_POWER_DIGITS = 250_000;

/** |x|^y · sign rounded at `scale`, as exp(y · ln|x|): power_var's non-integer exponents. */
function powerThroughLogarithm(absolute: Decimal, exponent: Decimal, negative: boolean, scale: number, approxWeight: number): Decimal {
  const exponentDigits = Math.max(Math.ceil(Math.log10(Math.abs(toNumber(exponent)) + 1)), 0);
  const lnScale = scale + EXTRA_DIGITS + 4 + Math.max(Math.ceil(approxWeight), 0) + exponentDigits;
  const product = lnFixed(absolute, lnScale) * exponent.value;
  const result = expAt(product, lnScale + exponent.scale, scale);
  return negative && result.value !== 0n ? finite(-result.value, result.scale) : result;
}

/** power_var_int: x^n for an int32 n, at scale max(16, x's scale). */
function powerInteger(x: Decimal, n: number): Decimal {
  const scale = clampScale(NUMERIC_MIN_SIG_DIGITS, x.scale);
  if (n === 0) return finite(pow10(scale), scale);
  if (n === -1) return reciprocalAt(x, scale);
  if (x.value === 0n) return zeroAt(scale);
  const magnitude = x.value < 0n ? -x.value : x.value;
  const weight = n * approximateLog10(magnitude, x.scale);
  if (weight > 4 * 32768 + 4) throw overflowsNumericFormat();
  if (weight + 1 < -scale) return zeroAt(scale);
  const count = Math.abs(n);
  const exactDigits = count * approximateLog10(magnitude, 0) + 1;
  if (exactDigits <= EXACT_POWER_DIGITS) {
    const power = finite(x.value ** BigInt(count), x.scale * count);
    if (n > 0) return checkLimits(finite(roundUnscaled(power.value, power.scale, scale), scale));
    return reciprocalAt(power, scale);
  }
  // Too long to compute exactly: keep the significant digits the scale needs, as power_var_int.
  const digits = Math.max(Math.ceil(weight) + scale, 0) + EXTRA_DIGITS + Math.ceil(Math.log10(count)) + 4;
  const { mantissa, exponent } = powerSignificant(magnitude, x.scale, count, digits);
  let value: bigint;
  if (n > 0) {
    value = roundUnscaled(mantissa, -exponent, scale);
  } else {
    const shift = scale - exponent + EXTRA_DIGITS;
    value = shift < 0 ? 0n : roundUnscaled(pow10(shift) / mantissa, scale + EXTRA_DIGITS, scale);
  }
  const negative = x.value < 0n && count % 2 === 1;
  return checkLimits(finite(negative ? -value : value, scale));
}

/** numeric_power's NaN and infinity rules (POSIX pow), after its error checks. */
function powerOfSpecial(base: Decimal, exponent: Decimal): Decimal {
  if (base.special === Special.NaN) return exponent.special === Special.Finite && exponent.value === 0n ? one : nanDecimal;
  if (exponent.special === Special.NaN) return base.special === Special.Finite && compareDecimal(base, one) === 0 ? one : nanDecimal;
  const baseSign = signOf(base);
  const exponentSign = signOf(exponent);
  if (baseSign === 0 && exponentSign < 0) throw zeroToNegative();
  if (baseSign < 0 && !isIntegral(exponent)) throw complexResult();
  if (base.special === Special.Finite && compareDecimal(base, one) === 0) return one;
  if (exponentSign === 0) return one;
  if (baseSign === 0 && exponentSign > 0) return finite(0n, 0);
  if (exponent.special !== Special.Finite) {
    let absGreaterThanOne = true;
    if (base.special === Special.Finite) {
      if (compareDecimal(base, finite(-1n, 0)) === 0) return one;
      absGreaterThanOne = compareWithOne(finite(base.value < 0n ? -base.value : base.value, base.scale)) > 0;
    }
    return absGreaterThanOne === exponentSign > 0 ? positiveInfinity : finite(0n, 0);
  }
  if (base.special === Special.PositiveInfinity) return exponentSign > 0 ? positiveInfinity : finite(0n, 0);
  if (exponentSign < 0) return finite(0n, 0);
  const odd = isIntegral(exponent) && (exponent.value / pow10(exponent.scale)) % 2n !== 0n;
  return odd ? negativeInfinity : positiveInfinity;
}

export function numericPower(baseText: string, exponentText: string): string {
  const base = decimalFromCanonical(baseText);
  const exponent = decimalFromCanonical(exponentText);
  if (base.special !== Special.Finite || exponent.special !== Special.Finite) return formatDecimal(powerOfSpecial(base, exponent));
  if (base.value === 0n && exponent.value < 0n) throw zeroToNegative();
  if (isIntegral(exponent)) {
    const n = exponent.value / pow10(exponent.scale);
    if (n >= -2147483648n && n <= 2147483647n) return formatDecimal(powerInteger(base, Number(n)));
  }
  if (base.value === 0n) return formatDecimal(zeroAt(NUMERIC_MIN_SIG_DIGITS));
  let negative = false;
  let absolute = base;
  if (base.value < 0n) {
    if (!isIntegral(exponent)) throw complexResult();
    negative = (exponent.value / pow10(exponent.scale)) % 2n !== 0n;
    absolute = finite(-base.value, base.scale);
  }
  // The result scale comes from a low-precision exp · ln(base), as power_var estimates it.
  const lnDweight = estimateLnDweight(absolute);
  const roughScale = Math.max(8 - lnDweight, 0);
  const roughLn = lnAt(absolute, roughScale);
  const roughProduct = roundUnscaled(roughLn.value * exponent.value, roughScale + exponent.scale, roughScale);
  let estimate = approximateNumber(roughProduct, roughScale);
  if (Math.abs(estimate) > NUMERIC_MAX_RESULT_SCALE * 3.01) {
    if (estimate > 0) throw overflowsNumericFormat();
    return formatDecimal(zeroAt(NUMERIC_MAX_DISPLAY_SCALE));
  }
  estimate *= LOG10_E;
  const scale = clampScale(NUMERIC_MIN_SIG_DIGITS - Math.trunc(estimate), absolute.scale, exponent.scale);
  return formatDecimal(powerThroughLogarithm(absolute, exponent, negative, scale, estimate));
}
