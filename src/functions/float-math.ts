/**
 * PostgreSQL's float8 range checks and pow() special cases (float.c), for results computed with
 * JS Math, whose pow differs from C's for NaN and infinite operands.
 */
import { DbError } from '../../storage/errors.js';

const overflow = () => new DbError('22003', 'value out of range: overflow');
const underflow = () => new DbError('22003', 'value out of range: underflow');

/** A float8 result of a finite argument must be finite and, when the argument is not zero, nonzero. */
export function float8Unary(result: number, input: number): number {
  if (!Number.isFinite(result) && !Number.isNaN(result) && Number.isFinite(input)) throw overflow();
  if (result === 0 && input !== 0 && Number.isFinite(input)) throw underflow();
  return result;
}

/** dpow: C99 pow semantics for NaN and infinities, PostgreSQL's errors for the rest. */
export function float8Power(x: number, y: number): number {
  if (Number.isNaN(x)) return Number.isNaN(y) || y !== 0 ? NaN : 1;
  if (Number.isNaN(y)) return x === 1 ? 1 : NaN;
  if (x === 0 && y < 0) throw new DbError('2201F', 'zero raised to a negative power is undefined');
  if (x < 0 && Math.floor(y) !== y) throw new DbError('2201F', 'a negative number raised to a non-integer power yields a complex result');
  if (!Number.isFinite(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    if (y > 0) return ax > 1 ? y : 0;
    return ax > 1 ? 0 : -y;
  }
  if (!Number.isFinite(x)) {
    if (y === 0) return 1;
    if (x > 0) return y > 0 ? x : 0;
    const oddInteger = Math.floor(y) === y && Math.floor(y / 2) !== y / 2;
    if (y > 0) return oddInteger ? x : -x;
    return oddInteger ? -0 : 0;
  }
  const result = Math.pow(x, y);
  if (!Number.isFinite(result)) throw overflow();
  if (result === 0 && x !== 0) throw underflow();
  return result;
}

const CBRT2 = 1.2599210498948731648;
const SQR_CBRT2 = 1.5874010519681994748;
const cbrtFactor = [1 / SQR_CBRT2, 1 / CBRT2, 1, CBRT2, SQR_CBRT2] as const;
const bits = new DataView(new ArrayBuffer(8));
const MIN_NORMAL = 2.2250738585072014e-308;

/** C's frexp for a finite positive x: [mantissa in [0.5, 1), exponent]. */
function frexp(x: number): [number, number] {
  if (x < MIN_NORMAL) {
    const [m, e] = frexp(x * 2 ** 54);
    return [m, e - 54];
  }
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  bits.setUint32(0, (high & 0x800fffff) | (1022 << 20));
  return [bits.getFloat64(0), ((high >>> 20) & 0x7ff) - 1022];
}

/**
 * cbrt as glibc computes it (a polynomial guess and one rational correction step), so results
 * match PostgreSQL's dcbrt bit for bit: glibc's cbrt(27) is 3.0000000000000004, Math.cbrt's is 3.
 */
export function glibcCbrt(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x + x;
  const [xm, xe] = frexp(Math.abs(x));
  const u =
    0.35489576504391986 +
    (1.50819193781584896 +
      (-2.11499494167371287 + (2.4469312256353443 + (-1.83469277483613086 + (0.784932344976639262 - 0.145263899385486377 * xm) * xm) * xm) * xm) *
        xm) *
      xm;
  const t2 = u * u * u;
  const ym = ((u * (t2 + 2 * xm)) / (2 * t2 + xm)) * (cbrtFactor[2 + (xe % 3)] as number);
  return (x > 0 ? ym : -ym) * 2 ** Math.trunc(xe / 3);
}
