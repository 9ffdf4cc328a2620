/**
 * Chooses among a function's signatures as PostgreSQL's function resolution does, reduced to
 * Eventide's types: an exact match wins; otherwise the candidates every argument reaches by
 * implicit cast (unknown literals reach anything), preferring the most exact matches, then the
 * preferred type of each category (float8 for numbers, text for strings, timestamptz for times).
 */
import type { DataType } from '../../../storage/types.js';
import type { FunctionSignature, ScalarFunctionDef } from '../../../planner/functions.js';
import { canCast } from './coercion.js';

export interface ChosenSignature {
  readonly index: number;
  /** One type per argument (variadic signatures repeat their last parameter). */
  readonly argTypes: readonly DataType[];
  readonly returnType: DataType;
}

const preferred = new Set(['float8', 'text', 'timestamptz', 'bool']);

function expand(signature: FunctionSignature, count: number): DataType[] | null {
  const params = signature.argTypes;
  if (signature.variadic === true) {
    if (count < params.length - 1) return null;
    const last = params[params.length - 1] as DataType;
    return Array.from({ length: count }, (_, i) => params[Math.min(i, params.length - 1)] ?? last);
  }
  return count === params.length ? [...params] : null;
}

export function resolveFunction(def: ScalarFunctionDef, argTypes: readonly DataType[]): ChosenSignature | null {
  let best: { chosen: ChosenSignature; exact: number; preferred: number } | null = null;
  def.signatures.forEach((signature, index) => {
    const params = expand(signature, argTypes.length);
    if (params === null) return;
    let exact = 0;
    let preferredCount = 0;
    for (let i = 0; i < params.length; i++) {
      const from = argTypes[i] as DataType;
      const to = params[i] as DataType;
      if (from.id === to.id) exact++;
      else if (from.id !== 'unknown' && !canCast(from, to, 'implicit')) return;
      else if (preferred.has(to.id)) preferredCount++;
    }
    const chosen = { index, argTypes: params, returnType: signature.returnType };
    if (best === null || exact > best.exact || (exact === best.exact && preferredCount > best.preferred)) {
      best = { chosen, exact, preferred: preferredCount };
    }
  });
  return best === null ? null : (best as { chosen: ChosenSignature }).chosen;
}
