/**
 * Mathematical functions with PostgreSQL's result types and errors: round, trunc, floor, ceil,
 * ceiling, sign over float8 (C's rint/trunc/floor/ceil) and numeric (exact decimal); abs over
 * every numeric type; mod over integers and numeric; power, sqrt, exp, ln, log, log10 over float8
 * and numeric (numeric-transcendental.ts); cbrt and pi over float8. Integer arguments reach the
 * float8 signatures, as float8 is the preferred numeric type.
 */
import { Types, type DataType } from '../../storage/types.js';
import { DbError, divisionByZero, numericOutOfRange } from '../../storage/errors.js';
import { numericAbs, numericMod, numericRound, numericTrunc } from '../../storage/numeric.js';
import { Special, decimalFromCanonical, finite, formatDecimal, pow10 } from '../../storage/numeric-decimal.js';
import type { FixedArray, Vector } from '../../storage/vector.js';
import type { FunctionSignature, ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, numbersOf, strictValidity, stringsOf, stringResult } from './function-vectors.js';
import { numericSqrt } from './numeric-sqrt.js';
import { numericExp, numericLn, numericLog, numericPower } from './numeric-transcendental.js';
import { float8Power, float8Unary, glibcCbrt } from './float-math.js';

const F8 = Types.float8;
const N = Types.numeric;
const I4 = Types.int4;

/** Applies `f` to each valid row of a float8 argument. */
function mapFloat8(args: readonly Vector[], n: number, f: (x: number) => number): Vector {
  const validity = strictValidity(args, n);
  const input = numbersOf(args[0]);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = f(input[i] as number);
  return fixedResult(F8, out, validity);
}

/** Applies `f` to each valid row of a numeric argument (and an optional int4 second argument). */
function mapNumeric(args: readonly Vector[], n: number, f: (x: string, k: number) => string): Vector {
  const validity = strictValidity(args, n);
  const input = stringsOf(args[0]);
  const second = args.length > 1 ? numbersOf(args[1]) : null;
  const out = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) {
    if (validity === null || validity[i] === 1) out[i] = f(input[i] as string, second === null ? 0 : (second[i] as number));
  }
  return stringResult(N, out, validity);
}

/** C's rint under the default rounding mode: halves go to the even neighbour. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** floor (direction -1) or ceil (+1) of a numeric, at scale 0. */
function numericToInteger(text: string, direction: -1 | 1): string {
  const d = decimalFromCanonical(text);
  if (d.special !== Special.Finite) return formatDecimal(d);
  const unit = pow10(d.scale);
  let q = d.value / unit;
  const r = d.value - q * unit;
  if (direction < 0 && r < 0n) q -= 1n;
  if (direction > 0 && r > 0n) q += 1n;
  return formatDecimal(finite(q, 0));
}

function numericSign(text: string): string {
  const d = decimalFromCanonical(text);
  if (d.special === Special.NaN) return 'NaN';
  if (d.special === Special.PositiveInfinity) return '1';
  if (d.special === Special.NegativeInfinity) return '-1';
  return d.value > 0n ? '1' : d.value < 0n ? '-1' : '0';
}

/** A function over float8 and numeric, as PostgreSQL defines round, trunc, floor, ceil, sign. */
function floatAndNumeric(name: string, onFloat: (x: number) => number, onNumeric: (x: string) => string): ScalarFunctionDef {
  return {
    name,
    signatures: [
      { argTypes: [F8], returnType: F8 },
      { argTypes: [N], returnType: N },
    ],
    strict: true,
    evaluate: (signature, args, n) => (signature === 0 ? mapFloat8(args, n, onFloat) : mapNumeric(args, n, onNumeric)),
  };
}

/** round/trunc: float8, numeric, and numeric with a scale. */
function roundLike(name: string, onFloat: (x: number) => number, onNumeric: (x: string, scale: number) => string): ScalarFunctionDef {
  return {
    name,
    signatures: [
      { argTypes: [F8], returnType: F8 },
      { argTypes: [N], returnType: N },
      { argTypes: [N, I4], returnType: N },
    ],
    strict: true,
    evaluate: (signature, args, n) => (signature === 0 ? mapFloat8(args, n, onFloat) : mapNumeric(args, n, onNumeric)),
  };
}

/** A function of float8 arguments and of numeric arguments (power, exp, ln, log, log10). */
function float8AndNumeric(
  name: string,
  arity: number,
  onFloat: (args: readonly Vector[], n: number) => Vector,
  onNumeric: (args: readonly string[]) => string,
): ScalarFunctionDef {
  return {
    name,
    signatures: [
      { argTypes: new Array<DataType>(arity).fill(F8), returnType: F8 },
      { argTypes: new Array<DataType>(arity).fill(N), returnType: N },
    ],
    strict: true,
    evaluate: (signature, args, n) => (signature === 0 ? onFloat(args, n) : mapNumericArgs(args, n, onNumeric)),
  };
}

/**
 * Applies `f` to each valid row of numeric arguments. The transcendental functions cost tens of
 * microseconds a row in BigInt, so a batch computes each distinct argument tuple once.
 */
function mapNumericArgs(args: readonly Vector[], n: number, f: (row: readonly string[]) => string): Vector {
  const validity = strictValidity(args, n);
  const inputs = args.map((arg) => stringsOf(arg));
  const row = new Array<string>(args.length).fill('');
  const out = new Array<string>(n).fill('');
  const seen = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    for (let a = 0; a < inputs.length; a++) row[a] = (inputs[a] as readonly string[])[i] as string;
    const key = row.length === 1 ? (row[0] as string) : row.join(' ');
    let result = seen.get(key);
    if (result === undefined) {
      result = f(row);
      seen.set(key, result);
    }
    out[i] = result;
  }
  return stringResult(N, out, validity);
}

function intAbs(type: DataType, min: number): (args: readonly Vector[], n: number) => Vector {
  return (args, n) => {
    const validity = strictValidity(args, n);
    const input = numbersOf(args[0]);
    const out = type.id === 'int2' ? new Int16Array(n) : new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const x = input[i] as number;
      if (x === min) throw numericOutOfRange(type.name);
      out[i] = Math.abs(x);
    }
    return fixedResult(type, out, validity);
  };
}

function int8Abs(args: readonly Vector[], n: number): Vector {
  const validity = strictValidity(args, n);
  const input = (args[0] as { values: BigInt64Array }).values;
  const out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const x = input[i] as bigint;
    if (x === -0x8000000000000000n) throw numericOutOfRange('bigint');
    out[i] = x < 0n ? -x : x;
  }
  return fixedResult(Types.int8, out, validity);
}

const absSignatures: FunctionSignature[] = [Types.int2, Types.int4, Types.int8, Types.float4, F8, N].map((t) => ({ argTypes: [t], returnType: t }));

function abs(signature: number, args: readonly Vector[], n: number): Vector {
  switch (signature) {
    case 0:
      return intAbs(Types.int2, -32768)(args, n);
    case 1:
      return intAbs(Types.int4, -2147483648)(args, n);
    case 2:
      return int8Abs(args, n);
    case 3: {
      const validity = strictValidity(args, n);
      const out = Float32Array.from(numbersOf(args[0]), Math.abs);
      return fixedResult(Types.float4, out, validity);
    }
    case 4:
      return mapFloat8(args, n, Math.abs);
    default:
      return mapNumeric(args, n, numericAbs);
  }
}

const modSignatures: FunctionSignature[] = [Types.int2, Types.int4, Types.int8, N].map((t) => ({ argTypes: [t, t], returnType: t }));

function mod(signature: number, args: readonly Vector[], n: number): Vector {
  const validity = strictValidity(args, n);
  const type = modSignatures[signature]?.returnType as DataType;
  if (type.id === 'numeric') {
    const a = stringsOf(args[0]);
    const b = stringsOf(args[1]);
    const out = new Array<string>(n).fill('');
    for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = numericMod(a[i] as string, b[i] as string);
    return stringResult(N, out, validity);
  }
  if (type.id === 'int8') {
    const a = (args[0] as { values: BigInt64Array }).values;
    const b = (args[1] as { values: BigInt64Array }).values;
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      if (b[i] === 0n) throw divisionByZero();
      out[i] = (a[i] as bigint) % (b[i] as bigint);
    }
    return fixedResult(type, out, validity);
  }
  const a = numbersOf(args[0]);
  const b = numbersOf(args[1]);
  const out: FixedArray = type.id === 'int2' ? new Int16Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    if (b[i] === 0) throw divisionByZero();
    out[i] = (a[i] as number) % (b[i] as number);
  }
  return fixedResult(type, out, validity);
}

function power(args: readonly Vector[], n: number): Vector {
  const validity = strictValidity(args, n);
  const a = numbersOf(args[0]);
  const b = numbersOf(args[1]);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = float8Power(a[i] as number, b[i] as number);
  return fixedResult(F8, out, validity);
}

const logOfZero = () => new DbError('2201E', 'cannot take logarithm of zero');
const logOfNegative = () => new DbError('2201E', 'cannot take logarithm of a negative number');
function checkedLog(log: (x: number) => number): (x: number) => number {
  return (x) => {
    if (x === 0) throw logOfZero();
    if (x < 0) throw logOfNegative();
    const result = log(x);
    // dlog1/dlog10: only ln(1) and log(1) may be exactly zero.
    if (result === 0 && x !== 1) throw new DbError('22003', 'value out of range: underflow');
    return float8Unary(result, 0);
  };
}

export const mathFunctions: readonly ScalarFunctionDef[] = [
  roundLike('round', rint, numericRound),
  roundLike('trunc', Math.trunc, numericTrunc),
  floatAndNumeric('floor', Math.floor, (x) => numericToInteger(x, -1)),
  floatAndNumeric('ceil', Math.ceil, (x) => numericToInteger(x, 1)),
  floatAndNumeric('ceiling', Math.ceil, (x) => numericToInteger(x, 1)),
  floatAndNumeric('sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), numericSign),
  { name: 'abs', signatures: absSignatures, strict: true, evaluate: (s, args, n) => abs(s, args, n) },
  { name: 'mod', signatures: modSignatures, strict: true, evaluate: (s, args, n) => mod(s, args, n) },
  float8AndNumeric('power', 2, power, ([x, y]) => numericPower(x as string, y as string)),
  float8AndNumeric('pow', 2, power, ([x, y]) => numericPower(x as string, y as string)),
  floatAndNumeric(
    'sqrt',
    (x) => {
      if (x < 0) throw new DbError('2201F', 'cannot take square root of a negative number');
      return Math.sqrt(x);
    },
    numericSqrt,
  ),
  {
    name: 'cbrt',
    signatures: [{ argTypes: [F8], returnType: F8 }],
    strict: true,
    evaluate: (_s, args, n) => mapFloat8(args, n, glibcCbrt),
  },
  float8AndNumeric(
    'exp',
    1,
    (args, n) => mapFloat8(args, n, (x) => (Number.isNaN(x) ? x : x === Infinity ? x : x === -Infinity ? 0 : float8Unary(Math.exp(x), x))),
    ([x]) => numericExp(x as string),
  ),
  float8AndNumeric('ln', 1, (args, n) => mapFloat8(args, n, checkedLog(Math.log)), ([x]) => numericLn(x as string)),
  {
    name: 'log',
    signatures: [
      { argTypes: [F8], returnType: F8 },
      { argTypes: [N], returnType: N },
      { argTypes: [N, N], returnType: N },
    ],
    strict: true,
    evaluate: (signature, args, n) => {
      if (signature === 0) return mapFloat8(args, n, checkedLog(Math.log10));
      if (signature === 1) return mapNumericArgs(args, n, ([x]) => numericLog('10', x as string));
      return mapNumericArgs(args, n, ([base, x]) => numericLog(base as string, x as string));
    },
  },
  float8AndNumeric('log10', 1, (args, n) => mapFloat8(args, n, checkedLog(Math.log10)), ([x]) => numericLog('10', x as string)),
  {
    name: 'pi',
    signatures: [{ argTypes: [], returnType: F8 }],
    strict: true,
    evaluate: (_s, _args, n) => fixedResult(F8, new Float64Array(n).fill(Math.PI), null),
  },
];
