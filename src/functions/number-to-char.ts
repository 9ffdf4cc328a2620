/**
 * to_char(numeric | int4 | int8 | float4 | float8, text): the digit string each of PostgreSQL 15's
 * numeric_to_char, int4_to_char, int8_to_char, float4_to_char and float8_to_char hands to the
 * template (rounded to the template's decimals, scaled by V, '#'s when the integer part does not
 * fit, C's printf for floats), laid out by number-format.ts. RN and TH report 0A000.
 */
import { Types, type DataType } from '../../storage/types.js';
import { numericOutOfRange } from '../../storage/errors.js';
import { exactDecimal } from '../../storage/float-format.js';
import { Special, decimalFromCanonical, finite, formatDecimal, pow10, roundUnscaled, type Decimal } from '../../storage/numeric-decimal.js';
import type { FunctionSignature } from '../../planner/functions.js';
import type { Vector } from '../../storage/vector.js';
import { numbersOf, strictValidity, stringsOf, textResult } from './function-vectors.js';
import { applyNumberTemplate, isEeee, isMulti, parseNumberTemplate, type NumberTemplate } from './number-format.js';

export const numberToCharSignatures: readonly FunctionSignature[] = [Types.numeric, Types.int4, Types.int8, Types.float4, Types.float8].map(
  (type: DataType) => ({ argTypes: [type, Types.text], returnType: Types.text }),
);

/** Digits under the template: the string, the blank positions before it, and the sign. */
interface Laid {
  number: string;
  outPreSpaces: number;
  sign: '+' | '-';
}

/**
 * C's "%.*f": the exact binary value rounded half to even at `precision` decimals. NaN and the
 * infinities print as PostgreSQL's float output spells them, as float8_to_char lays them out.
 */
export function printFixed(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const negative = x < 0 || Object.is(x, -0);
  let unscaled = 0n;
  if (x !== 0) {
    const { digits, exponent } = exactDecimal(Math.abs(x));
    const fractionDigits = digits.length - 1 - exponent;
    unscaled = roundHalfEven(BigInt(digits), fractionDigits - precision);
  }
  const text = formatDecimal(finite(unscaled, precision));
  return negative ? '-' + text : text;
}

/** value / 10^drop rounded half to even (value × 10^-drop when drop < 0). */
function roundHalfEven(value: bigint, drop: number): bigint {
  if (drop <= 0) return value * pow10(-drop);
  const divisor = pow10(drop);
  let quotient = value / divisor;
  const twice = (value - quotient * divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient++;
  return quotient;
}

/** C's "%+.*e". */
export function printExponent(x: number, precision: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '+';
  if (x === 0) return `${sign}${formatDecimal(finite(0n, precision))}e+00`;
  const { digits, exponent } = exactDecimal(Math.abs(x));
  let significand = roundHalfEven(BigInt(digits), digits.length - 1 - precision);
  let power = exponent;
  if (significand.toString().length > precision + 1) {
    significand /= 10n;
    power++;
  }
  return `${sign}${formatDecimal(finite(significand, precision))}e${exponentText(power)}`;
}

/** printf's "%+03d" for exponents. */
function exponentText(power: number): string {
  return (power < 0 ? '-' : '+') + String(Math.abs(power)).padStart(2, '0');
}

/** numeric_out_sci: the significand rounded at `scale` (it may round up to 10) and the exponent. */
function numericOutSci(d: Decimal, scale: number): string {
  if (d.special !== Special.Finite) return formatDecimal(d);
  const magnitude = d.value < 0n ? -d.value : d.value;
  const power = d.value === 0n ? 0 : magnitude.toString().length - 1 - d.scale;
  const significand = roundUnscaled(d.value, d.scale + power, Math.max(scale, 0));
  return `${formatDecimal(finite(significand, Math.max(scale, 0)))}e${exponentText(power)}`;
}

/** '#' in every position, a point after the integer part. */
function overflowMarks(t: NumberTemplate): string {
  return '#'.repeat(t.pre) + '.' + '#'.repeat(t.post);
}

/** The sign-less digit string against the template's integer positions. */
function layOut(t: NumberTemplate, text: string): Laid {
  const sign = text.startsWith('-') ? '-' : '+';
  const number = sign === '-' ? text.slice(1) : text;
  const point = number.indexOf('.');
  const preLength = point < 0 ? number.length : point;
  if (preLength < t.pre) return { number, outPreSpaces: t.pre - preLength, sign };
  if (preLength > t.pre) return { number: overflowMarks(t), outPreSpaces: 0, sign };
  return { number, outPreSpaces: 0, sign };
}

/** EEEE output: a leading blank for positive values; '#'s for NaN and infinities. */
function scientific(t: NumberTemplate, text: string, special: boolean): Laid {
  if (special) return { number: ' ' + '#'.repeat(t.pre) + '.' + '#'.repeat(t.post + 4), outPreSpaces: 0, sign: '+' };
  return { number: text.startsWith('-') ? text : ' ' + text, outPreSpaces: 0, sign: '+' };
}

function numericDigits(t: NumberTemplate, text: string): Laid {
  let d = decimalFromCanonical(text);
  if (isEeee(t)) return scientific(t, numericOutSci(d, t.post), d.special !== Special.Finite);
  if (isMulti(t)) {
    if (d.special === Special.Finite) d = finite(d.value * pow10(t.multi), d.scale);
    t.pre += t.multi;
  }
  const rounded = d.special === Special.Finite ? formatDecimal(finite(roundUnscaled(d.value, d.scale, t.post), Math.max(t.post, 0))) : formatDecimal(d);
  return layOut(t, rounded);
}

function integerDigits(t: NumberTemplate, value: bigint, bits: 32 | 64): Laid {
  if (isEeee(t)) {
    const text = bits === 32 ? printExponent(Number(value), t.post) : numericOutSci(finite(value, 0), t.post);
    return scientific(t, bits === 32 && text.startsWith('+') ? text.slice(1) : text, false);
  }
  let scaled = value;
  if (isMulti(t)) {
    scaled = value * pow10(t.multi);
    if (bits === 32) scaled = BigInt.asIntN(32, scaled);
    else if (scaled !== BigInt.asIntN(64, scaled)) throw numericOutOfRange('bigint');
    t.pre += t.multi;
  }
  const text = scaled.toString();
  return layOut(t, t.post > 0 ? `${text}.${'0'.repeat(t.post)}` : text);
}

function floatDigits(t: NumberTemplate, value: number, significantDigits: 6 | 15): Laid {
  if (isEeee(t)) {
    const special = !Number.isFinite(value);
    return scientific(t, special ? '' : printExponent(value, t.post).replace(/^\+/, ''), special);
  }
  let scaled = value;
  if (isMulti(t)) {
    scaled = value * 10 ** t.multi;
    if (significantDigits === 6) scaled = Math.fround(scaled);
    t.pre += t.multi;
  }
  const integerLength = printFixed(Math.abs(scaled), 0).length;
  if (integerLength >= significantDigits) t.post = 0;
  else if (integerLength + t.post > significantDigits) t.post = significantDigits - integerLength;
  return layOut(t, printFixed(scaled, t.post));
}

/** to_char over one of numberToCharSignatures (0 numeric, 1 int4, 2 int8, 3 float4, 4 float8). */
export function numberToChar(signature: number, args: readonly Vector[], n: number): Vector {
  const validity = strictValidity(args, n) ?? new Uint8Array(n).fill(1);
  const formats = stringsOf(args[1]);
  const strings = signature === 0 ? stringsOf(args[0]) : null;
  const numbers = signature === 1 || signature >= 3 ? numbersOf(args[0]) : null;
  const bigints = signature === 2 ? (args[0] as { values: BigInt64Array }).values : null;
  const out = new Array<string>(n).fill('');
  let lastFormat: string | null = null;
  let parsed: NumberTemplate | null = null;
  for (let i = 0; i < n; i++) {
    if (validity[i] === 0) continue;
    const format = formats[i] as string;
    if (format === '') continue;
    if (format !== lastFormat) {
      parsed = parseNumberTemplate(format);
      lastFormat = format;
    }
    const t = { ...(parsed as NumberTemplate) };
    let laid: Laid;
    if (strings !== null) laid = numericDigits(t, strings[i] as string);
    else if (bigints !== null) laid = integerDigits(t, bigints[i] as bigint, 64);
    else if (signature === 1) laid = integerDigits(t, BigInt((numbers as ArrayLike<number>)[i] as number), 32);
    else laid = floatDigits(t, (numbers as ArrayLike<number>)[i] as number, signature === 3 ? 6 : 15);
    out[i] = applyNumberTemplate(t, laid.number, laid.outPreSpaces, laid.sign);
  }
  return textResult(out, validity);
}
