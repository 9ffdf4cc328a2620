/**
 * Small building blocks shared by the function families: the validity of a strict call (rows
 * where every argument is valid, so kernels skip NULL rows and never raise errors on their
 * unspecified value slots), result vector constructors, and code-point string access.
 */
import { Types, type DataType } from '../../storage/types.js';
import type { FixedArray, StringVector, Vector } from '../../storage/vector.js';

/** Rows where every argument is valid (1), or null when no argument has a NULL. */
export function strictValidity(args: readonly Vector[], length: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const arg of args) {
    const v = arg.validity;
    if (v === null) continue;
    if (out === null) out = new Uint8Array(v.subarray(0, length));
    else for (let i = 0; i < length; i++) out[i] = (out[i] as number) & (v[i] as number);
  }
  return out;
}

export function stringsOf(vector: Vector | undefined): readonly string[] {
  return (vector as StringVector).values;
}

export function numbersOf(vector: Vector | undefined): ArrayLike<number> {
  return (vector as { values: ArrayLike<number> }).values;
}

export function stringResult(type: DataType, values: string[], validity: Uint8Array | null): Vector {
  return { kind: 'string', type, length: values.length, values, validity };
}

export function textResult(values: string[], validity: Uint8Array | null): Vector {
  return stringResult(Types.text, values, validity);
}

export function fixedResult(type: DataType, values: FixedArray, validity: Uint8Array | null): Vector {
  return { kind: 'fixed', type, length: values.length, values, validity };
}

const surrogate = /[\ud800-\udfff]/;

/** PostgreSQL counts characters (code points); JS strings index UTF-16 units. */
export function codePoints(s: string): readonly string[] | string {
  return surrogate.test(s) ? Array.from(s) : s;
}

export function charCount(s: string): number {
  return surrogate.test(s) ? Array.from(s).length : s.length;
}

/** Characters [from, to) of s, counted in code points (0-based, clamped). */
export function charSlice(s: string, from: number, to: number): string {
  const chars = codePoints(s);
  if (typeof chars === 'string') return chars.slice(Math.max(0, from), Math.max(0, to));
  return chars.slice(Math.max(0, from), Math.max(0, to)).join('');
}

/** Maps each row where every argument is valid to a text result (a strict text function). */
export function mapText(args: readonly Vector[], n: number, f: (row: number) => string): Vector {
  const validity = strictValidity(args, n);
  const out = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = f(i);
  return textResult(out, validity);
}
