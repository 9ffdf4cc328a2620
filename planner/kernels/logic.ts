/** Three-valued boolean logic over bool vectors (values 0/1 + validity), as SQL defines it. */
import { Types } from '../../storage/types.js';
import type { FixedVector, Vector } from '../../storage/vector.js';

export function boolVector(values: Uint8Array, validity: Uint8Array | null): FixedVector {
  return { kind: 'fixed', type: Types.bool, length: values.length, values, validity };
}

/** AND: false wins over NULL; OR: true wins over NULL. */
export function andOr(isAnd: boolean, inputs: readonly Vector[], length: number): FixedVector {
  const values = new Uint8Array(length).fill(isAnd ? 1 : 0);
  let unknown: Uint8Array | null = null; // 1 where some input is NULL
  for (const input of inputs) {
    const v = input.values as Uint8Array;
    const valid = input.validity;
    if (valid === null) {
      if (isAnd) for (let i = 0; i < length; i++) values[i] = (values[i] as number) & (v[i] as number);
      else for (let i = 0; i < length; i++) values[i] = (values[i] as number) | (v[i] as number);
      continue;
    }
    unknown ??= new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      if (valid[i] === 0) unknown[i] = 1;
      else if (isAnd) values[i] = (values[i] as number) & (v[i] as number);
      else values[i] = (values[i] as number) | (v[i] as number);
    }
  }
  if (unknown === null) return boolVector(values, null);
  // A NULL input leaves the result NULL unless a decisive value (false for AND, true for OR) exists.
  const validity = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const decided = isAnd ? values[i] === 0 : values[i] === 1;
    validity[i] = decided || unknown[i] === 0 ? 1 : 0;
  }
  return boolVector(values, validity);
}

export function not(input: Vector, length: number): FixedVector {
  const v = input.values as Uint8Array;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (v[i] as number) ^ 1;
  return boolVector(out, input.validity);
}

export function isNull(input: Vector, negated: boolean, length: number): FixedVector {
  const out = new Uint8Array(length);
  const valid = input.validity;
  if (valid === null) out.fill(negated ? 1 : 0);
  else for (let i = 0; i < length; i++) out[i] = negated ? (valid[i] as number) : (valid[i] as number) ^ 1;
  return boolVector(out, null);
}

/** IS [NOT] TRUE / FALSE / UNKNOWN: never NULL. */
export function isBool(input: Vector, test: 'true' | 'false' | 'unknown', negated: boolean, length: number): FixedVector {
  const v = input.values as Uint8Array;
  const valid = input.validity;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const isValid = valid === null || valid[i] === 1;
    const r = test === 'unknown' ? !isValid : isValid && (v[i] === 1) === (test === 'true');
    out[i] = r !== negated ? 1 : 0;
  }
  return boolVector(out, null);
}

/** Folds per-item equality results into IN: true if any is true, else NULL if any NULL, else false. */
export function inList(argValidity: Uint8Array | null, matches: readonly FixedVector[], negated: boolean, length: number): FixedVector {
  const result = andOr(false, matches, length);
  const values = result.values as Uint8Array;
  let validity = result.validity;
  if (argValidity !== null) {
    validity = validity === null ? argValidity.slice(0, length) : validity;
    for (let i = 0; i < length; i++) if (argValidity[i] === 0) validity[i] = 0;
  }
  return negated ? not(boolVector(values, validity), length) : boolVector(values, validity);
}

/**
 * AND / OR evaluated left to right on the rows still undecided, as PostgreSQL's executor does:
 * `num NOT LIKE 'x%' AND num::int > 1` never casts the rows the first test rejected. The later
 * arguments run on a sub-batch of the undecided rows only when some are decided (else on the
 * whole batch); decided rows take the neutral value (false for AND, true for OR).
 */
export function shortCircuit(
  isAnd: boolean,
  args: readonly unknown[],
  length: number,
  evaluateArg: (index: number, rows: Int32Array | null) => Vector,
): FixedVector {
  let result = andOr(isAnd, [evaluateArg(0, null)], length);
  for (let a = 1; a < args.length; a++) {
    const values = result.values as Uint8Array;
    const validity = result.validity;
    const decisive = isAnd ? 0 : 1;
    let decided = 0;
    for (let i = 0; i < length; i++) decided += values[i] === decisive && (validity === null || validity[i] === 1) ? 1 : 0;
    if (decided === length) return result;
    let arg: Vector;
    if (decided === 0) arg = evaluateArg(a, null);
    else {
      const rows = new Int32Array(length - decided);
      for (let i = 0, k = 0; i < length; i++) if (!(values[i] === decisive && (validity === null || validity[i] === 1))) rows[k++] = i;
      const partial = evaluateArg(a, rows);
      const full = new Uint8Array(length).fill(decisive);
      const fullValidity = partial.validity === null ? null : new Uint8Array(length).fill(1);
      const pv = partial.values as Uint8Array;
      for (let k = 0; k < rows.length; k++) {
        const row = rows[k] as number;
        full[row] = pv[k] as number;
        if (fullValidity !== null) fullValidity[row] = (partial.validity as Uint8Array)[k] as number;
      }
      arg = boolVector(full, fullValidity);
    }
    result = andOr(isAnd, [result, arg], length);
  }
  return result;
}
