/**
 * float4/float8 text I/O exactly as PostgreSQL 15 prints and reads them.
 *
 * Output with extra_float_digits >= 1 is the shortest decimal that reads back to the same value
 * (PostgreSQL's Ryu; see float-shortest.ts), laid out like PostgreSQL: fixed notation when the decimal exponent is in
 * [-4, 15) for float8 and [-4, 6) for float4, else `d.ddde+XX`. With extra_float_digits <= 0
 * PostgreSQL prints `%.{15|6 + extra_float_digits}g`, which rounds the exact binary value half to
 * even; JS's toExponential rounds exact ties up, so ties are detected and fixed here.
 *
 * Input follows strtod/strtof: decimal and hex forms, inf/infinity/nan in any case, surrounding
 * whitespace; overflow and underflow to zero are 22003.
 */
import { DbError, invalidTextRepresentation } from './errors.js';
import { shortestFloat32Digits, shortestFloat64Digits } from './float-shortest.js';

const float8Name = 'double precision';
const float4Name = 'real';

/** float8out. */
export function formatFloat8(value: number, extraFloatDigits: number): string {
  if (!Number.isFinite(value)) return specialText(value);
  if (extraFloatDigits > 0) {
    if (value === 0) return Object.is(value, -0) ? '-0' : '0';
    // JS prints the same shortest digits in fixed notation over PostgreSQL's fixed range.
    const magnitude = Math.abs(value);
    if (magnitude >= 1e-4 && magnitude < 1e15) return String(value);
    const [digits, exponent] = shortestFloat64Digits(magnitude);
    return layoutShortest(value < 0, digits, exponent, 15);
  }
  return formatG(value, Math.max(1, 15 + extraFloatDigits));
}

/** float4out; `value` must already be a float32 value (Math.fround). */
export function formatFloat4(value: number, extraFloatDigits: number): string {
  if (!Number.isFinite(value)) return specialText(value);
  if (extraFloatDigits > 0) {
    if (value === 0) return Object.is(value, -0) ? '-0' : '0';
    const [digits, exponent] = shortestFloat32Digits(Math.abs(value));
    return layoutShortest(value < 0, digits, exponent, 6);
  }
  return formatG(value, Math.max(1, 6 + extraFloatDigits));
}

function specialText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** Ryu's layout: fixed notation for exponents in [-4, fixedLimit), else d.ddde±XX. */
function layoutShortest(negative: boolean, digits: string, exponent: number, fixedLimit: number): string {
  let body: string;
  if (exponent >= -4 && exponent < fixedLimit) {
    if (exponent < 0) body = '0.' + '0'.repeat(-exponent - 1) + digits;
    else if (digits.length <= exponent + 1) body = digits + '0'.repeat(exponent + 1 - digits.length);
    else body = digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1);
  } else {
    const mantissa = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    body = mantissa + exponentText(exponent);
  }
  return negative ? '-' + body : body;
}

function exponentText(exponent: number): string {
  const magnitude = Math.abs(exponent);
  return (exponent < 0 ? 'e-' : 'e+') + (magnitude < 10 ? '0' : '') + String(magnitude);
}

/**
 * C's `%.{precision}g` of a finite double (as glibc prints it: the exact binary value rounded
 * half to even, trailing zeros removed).
 */
export function formatG(value: number, precision: number): string {
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let digits: string;
  let exponent: number;
  if (magnitude === 0) {
    digits = '0'.repeat(precision);
    exponent = 0;
  } else {
    [digits, exponent] = roundedDigits(magnitude, precision);
  }
  let body: string;
  if (exponent < -4 || exponent >= precision) {
    const fraction = trimZeros(digits.slice(1));
    body = digits[0] + (fraction === '' ? '' : '.' + fraction) + exponentText(exponent);
  } else if (exponent < 0) {
    body = trimFraction('0.' + '0'.repeat(-exponent - 1) + digits);
  } else {
    body = trimFraction(digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1));
  }
  return negative ? '-' + body : body;
}

function trimZeros(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end--;
  return text.slice(0, end);
}

function trimFraction(text: string): string {
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  const trimmed = trimZeros(text);
  return trimmed.length === dot + 1 ? trimmed.slice(0, dot) : trimmed;
}

/** `precision` significant digits of a positive double, rounded half to even on the exact value. */
function roundedDigits(magnitude: number, precision: number): [string, number] {
  const rounded = splitExponential(magnitude.toExponential(precision - 1));
  // toExponential breaks exact ties upwards; an exact tie shows as a trailing 5 one digit later,
  // and only then is the exact expansion worth computing.
  const [longer, longerExponent] = splitExponential(magnitude.toExponential(precision));
  if (!longer.endsWith('5')) return rounded;
  const exact = exactDecimal(magnitude);
  if (exact.digits !== longer || exact.exponent !== longerExponent) return rounded;
  const kept = longer.slice(0, precision);
  if ((kept.charCodeAt(precision - 1) - 48) % 2 === 0) return [kept, longerExponent];
  return incrementDigits(kept, longerExponent);
}

function splitExponential(text: string): [string, number] {
  const e = text.indexOf('e');
  const mantissa = text.slice(0, e);
  return [mantissa.replace('.', ''), Number(text.slice(e + 1))];
}

function incrementDigits(digits: string, exponent: number): [string, number] {
  const next = (BigInt(digits) + 1n).toString();
  if (next.length > digits.length) return [next.slice(0, digits.length), exponent + 1];
  return [next, exponent];
}

/** The exact decimal expansion of a positive finite double: significant digits and exponent. */
export function exactDecimal(magnitude: number): { digits: string; exponent: number } {
  const [mantissa, binaryExponent] = decomposeDouble(magnitude);
  let digits: string;
  let pointShift: number;
  if (binaryExponent >= 0) {
    digits = (mantissa << BigInt(binaryExponent)).toString();
    pointShift = 0;
  } else {
    digits = (mantissa * 5n ** BigInt(-binaryExponent)).toString();
    pointShift = -binaryExponent;
  }
  const exponent = digits.length - 1 - pointShift;
  return { digits: trimZeros(digits), exponent };
}

const scratch = new DataView(new ArrayBuffer(8));

/** A positive finite double as integer mantissa × 2^exponent. */
export function decomposeDouble(magnitude: number): [bigint, number] {
  scratch.setFloat64(0, magnitude);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased === 0) return [mantissa, -1074];
  mantissa |= 1n << 52n;
  return [mantissa, biased - 1075];
}

const scratch32 = new DataView(new ArrayBuffer(4));

const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const hexPattern = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const specialPattern = /^([+-]?)(?:(inf|infinity)|(nan(?:\([0-9a-zA-Z_]*\))?))$/i;

/** strtod over a trimmed string: the double, or null when the text is not a number. */
function strtod(text: string): number | null {
  if (decimalPattern.test(text)) return Number(text.charCodeAt(0) === 43 ? text.slice(1) : text);
  const special = specialPattern.exec(text);
  if (special !== null) {
    if (special[3] !== undefined) return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const hex = hexPattern.exec(text);
  if (hex !== null) return parseHexFloat(hex[1] === '-', hex[2] as string, hex[3]);
  return null;
}

function parseHexFloat(negative: boolean, body: string, exponentText: string | undefined): number {
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const fraction = dot < 0 ? '' : body.slice(dot + 1);
  const mantissa = BigInt('0x' + (whole + fraction || '0'));
  const exponent = Number(exponentText ?? '0') - 4 * fraction.length;
  const magnitude = scaleBigIntByPowerOfTwo(mantissa, exponent);
  return negative ? -magnitude : magnitude;
}

/** mantissa × 2^exponent rounded once to the nearest double. */
function scaleBigIntByPowerOfTwo(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  const bits = mantissa.toString(2).length;
  // Keep 64 significant bits plus a sticky bit so the final rounding is a single correct one.
  if (bits > 64) {
    const drop = bits - 64;
    const sticky = (mantissa & ((1n << BigInt(drop)) - 1n)) !== 0n ? 1n : 0n;
    mantissa = (mantissa >> BigInt(drop)) | sticky;
    exponent += drop;
  }
  if (exponent > 2000) return Infinity;
  if (exponent < -2200) return 0;
  // Number(bigint) rounds to nearest even, then scaling by 2^k is exact unless it underflows.
  const top = bits > 64 ? 64 : bits;
  const targetExponent = exponent + top - 1;
  if (targetExponent >= -1022) return Number(mantissa) * 2 ** exponent;
  // Subnormal result: round at the subnormal precision directly.
  const shift = -1074 - exponent;
  if (shift <= 0) return Number(mantissa) * 2 ** exponent;
  const half = 1n << BigInt(shift - 1);
  const remainder = mantissa & ((1n << BigInt(shift)) - 1n);
  let units = mantissa >> BigInt(shift);
  if (remainder > half || (remainder === half && (units & 1n) === 1n)) units += 1n;
  return Number(units) * 2 ** -1074;
}

function trimSpace(text: string): string {
  return text.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
}

/** float8in. */
export function parseFloat8(text: string): number {
  const trimmed = trimSpace(text);
  const value = strtod(trimmed);
  if (value === null) throw invalidTextRepresentation(float8Name, text);
  if (Number.isFinite(value) || isSpecialWord(trimmed)) {
    if (value === 0 && !isZeroText(trimmed)) throw floatOutOfRange(text, float8Name);
    return value;
  }
  throw floatOutOfRange(text, float8Name);
}

/** float4in: rounds the decimal once, straight to float32, as strtof does. */
export function parseFloat4(text: string): number {
  const trimmed = trimSpace(text);
  const value = strtod(trimmed);
  if (value === null) throw invalidTextRepresentation(float4Name, text);
  if (!Number.isFinite(value)) {
    if (isSpecialWord(trimmed)) return value;
    throw floatOutOfRange(text, float4Name);
  }
  const result = roundToFloat32(value, () => decimalTextAbove(trimmed, value));
  if (!Number.isFinite(result)) throw floatOutOfRange(text, float4Name);
  if (result === 0 && !isZeroText(trimmed)) throw floatOutOfRange(text, float4Name);
  return result;
}

function isSpecialWord(trimmed: string): boolean {
  return specialPattern.test(trimmed);
}

/** Whether a numeric text denotes exactly zero (so a zero result is not an underflow). */
function isZeroText(trimmed: string): boolean {
  const mantissa = /^[+-]?0[xX]/.test(trimmed)
    ? trimmed.replace(/^[+-]?0[xX]/, '').replace(/[pP].*$/, '')
    : trimmed.replace(/[eE].*$/, '');
  return !/[1-9a-fA-F]/.test(mantissa.replace(/^[+-]/, ''));
}

function floatOutOfRange(text: string, typeName: string): DbError {
  return new DbError('22003', `"${text}" is out of range for type ${typeName}`);
}

/**
 * Rounds a double that approximates an exact quantity to the nearest float32, as a single rounding
 * of the exact quantity would. Only when the double sits exactly on a float32 midpoint can the two
 * differ; `exactAbove` then says whether the exact quantity is above (1), below (-1) or equal to
 * the double (0).
 */
export function roundToFloat32(approx: number, exactAbove: () => number): number {
  const rounded = Math.fround(approx);
  if (rounded === approx || !Number.isFinite(approx)) return rounded;
  const other = nextFloat32Toward(rounded, approx);
  if ((rounded + other) / 2 !== approx) return rounded;
  const direction = exactAbove();
  if (direction === 0) return rounded;
  const upper = Math.max(Math.abs(rounded), Math.abs(other)) * Math.sign(approx);
  const lower = Math.min(Math.abs(rounded), Math.abs(other)) * Math.sign(approx);
  const awayFromZero = approx > 0 ? direction > 0 : direction < 0;
  return awayFromZero ? upper : lower;
}

/** The float32 adjacent to `f` in the direction of `target`. */
function nextFloat32Toward(f: number, target: number): number {
  scratch32.setFloat32(0, f);
  let bits = scratch32.getUint32(0);
  if (f === 0) {
    bits = target > 0 ? 1 : 0x80000001;
  } else if (target > f === f > 0) {
    bits += 1;
  } else {
    bits -= 1;
  }
  scratch32.setUint32(0, bits >>> 0);
  return scratch32.getFloat32(0);
}

/** Compares the exact value of a decimal or hex text with a double: 1 above, -1 below, 0 equal. */
function decimalTextAbove(trimmed: string, approx: number): number {
  const negative = trimmed.startsWith('-');
  const body = trimmed.replace(/^[+-]/, '');
  const magnitude = Math.abs(approx);
  const [mantissa, exponent] = decomposeDouble(magnitude);
  let numerator: bigint;
  let denominator: bigint;
  if (/^0[xX]/.test(body)) {
    const match = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(body);
    if (match === null) return 0;
    const digits = BigInt('0x' + ((match[1] ?? '') + (match[2] ?? '') || '0'));
    const binary = Number(match[3] ?? '0') - 4 * (match[2] ?? '').length;
    [numerator, denominator] = binary >= 0 ? [digits << BigInt(binary), 1n] : [digits, 1n << BigInt(-binary)];
  } else {
    const match = /^(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(body);
    if (match === null) return 0;
    const digits = BigInt((match[1] ?? '') + (match[2] ?? '') || '0');
    const power = Number(match[3] ?? '0') - (match[2] ?? '').length;
    [numerator, denominator] = power >= 0 ? [digits * 10n ** BigInt(power), 1n] : [digits, 10n ** BigInt(-power)];
  }
  // exact = numerator / denominator; approx = mantissa × 2^exponent.
  let left = numerator;
  let right = mantissa * denominator;
  if (exponent >= 0) right <<= BigInt(exponent);
  else left <<= BigInt(-exponent);
  const sign = left > right ? 1 : left < right ? -1 : 0;
  return negative ? -sign : sign;
}
