/**
 * The value of a subquery expression over a batch. An uncorrelated subquery's result was computed
 * once before the statement; a correlated one's results were computed per distinct outer key by
 * the operator evaluating the expression (planner/physical/correlated.ts) just before this call.
 */
import { assert, featureNotSupported } from '../../storage/errors.js';
import { Types, type DataType, type Value } from '../../storage/types.js';
import { constantVector, getValue, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Expr, QuantifiedComparison } from '../expr.js';
import { equalityKeyOf } from './equality-key.js';
import { compareIntervals } from '../../storage/interval.js';
import { compareValues } from './compare.js';
import { evaluate, type EvalContext } from './eval.js';
import { boolVector } from './logic.js';

type Raw = number | bigint | string;

/** A subquery's result in the form its use needs. */
export type SubqueryResult =
  | { readonly mode: 'scalar'; readonly value: Value }
  | { readonly mode: 'exists'; readonly value: boolean }
  /** in/any/all: the distinct non-NULL values (as inSetKey keys), their extremes, and whether a NULL came. */
  | { readonly mode: 'in' | 'any' | 'all'; readonly keys: ReadonlySet<unknown>; readonly min: Raw | null; readonly max: Raw | null; readonly hasNull: boolean };

/** The key a subquery's value set holds for a value: numerics by value (1.0 = 1.00), intervals by span. */
export function inSetKey(value: unknown, keyOf: ((text: string) => string) | null): unknown {
  return keyOf !== null ? keyOf(value as string) : value;
}

/** The order of a type's values as the comparison operators see it. */
export function valueOrder(type: DataType): (a: Raw, b: Raw) => number {
  if (type.id === 'interval') return (a, b) => compareIntervals(a as string, b as string);
  const numeric = type.id === 'numeric';
  return (a, b) => compareValues(a, b, numeric);
}

/** The key of one row's outer values, to run a correlated subquery once per distinct key. */
export function outerRowKeys(outer: readonly Vector[], length: number): string[] {
  const keys = new Array<string>(length);
  for (let r = 0; r < length; r++) {
    let key = '';
    for (const vector of outer) {
      const value = getValue(vector, r);
      key += value === null ? '\u0000n' : `\u0000${typeof value === 'bigint' ? `${value}n` : String(value)}`;
    }
    keys[r] = key;
  }
  return keys;
}

export function evaluateOuterRef(expr: Extract<Expr, { kind: 'OuterRef' }>, length: number, context: EvalContext): Vector {
  const stack = context.outerValues ?? [];
  const values = stack[stack.length - expr.depth];
  assert(values !== undefined, `outer reference ${expr.depth} levels out has no running subquery`);
  return constantVector(expr.type, values[expr.slot] ?? null, length);
}

export function evaluateSubquery(expr: Extract<Expr, { kind: 'Subquery' }>, batch: Batch, context: EvalContext): Vector {
  const n = batch.length;
  if (!expr.correlated) {
    const result = context.subqueryResults[expr.index];
    assert(result !== undefined, `subquery ${expr.index} was not run`);
    if (result.mode === 'scalar') return constantVector(expr.type, result.value, n);
    if (result.mode === 'exists') return constantVector(Types.bool, result.value, n);
    return testValues(expr, evaluate(expr.arg as Expr, batch, context), () => result, n);
  }
  const results = context.correlatedResults?.get(expr);
  if (results === undefined) throw featureNotSupported('correlated subqueries in this part of a query');
  const keys = outerRowKeys(
    expr.outer.map((e) => evaluate(e, batch, context)),
    n,
  );
  const resultOf = (row: number) => {
    const result = results.get(keys[row] as string);
    assert(result !== undefined, 'correlated subquery result missing for a row');
    return result;
  };
  if (expr.mode === 'scalar' || expr.mode === 'exists' || expr.mode === 'array') {
    const builder = new VectorBuilder(expr.type, n);
    for (let r = 0; r < n; r++) builder.appendValue((resultOf(r) as { value: Value }).value);
    return builder.view();
  }
  return testValues(expr, evaluate(expr.arg as Expr, batch, context), resultOf, n);
}

/** x IN / op ANY / op ALL (values): PostgreSQL's three-valued answers, per row. */
function testValues(expr: Extract<Expr, { kind: 'Subquery' }>, arg: Vector, resultOf: (row: number) => SubqueryResult, n: number): Vector {
  const values = arg.values as ArrayLike<Raw>;
  const keyOf = equalityKeyOf(arg.type);
  const order = valueOrder(arg.type);
  const out = new Uint8Array(n);
  const validity = new Uint8Array(n);
  let anyNull = false;
  for (let i = 0; i < n; i++) {
    const result = resultOf(i) as Extract<SubqueryResult, { keys: unknown }>;
    const empty = result.keys.size === 0 && !result.hasNull;
    let answer: 0 | 1 | null;
    if (arg.validity !== null && arg.validity[i] === 0) {
      // NULL against an empty set: IN/ANY false, ALL true; against anything else NULL.
      answer = empty ? (expr.mode === 'all' ? 1 : 0) : null;
    } else {
      const x = values[i] as Raw;
      const decided = expr.mode === 'all' ? !anyFails(x, expr.op as QuantifiedComparison, result, keyOf, order) : anyHolds(x, expr.mode === 'in' ? 'eq' : (expr.op as QuantifiedComparison), result, keyOf, order);
      if (expr.mode === 'all') answer = !decided ? 0 : result.hasNull ? null : 1;
      else answer = decided ? 1 : result.hasNull ? null : 0;
    }
    if (answer === null) anyNull = true;
    else {
      out[i] = answer;
      validity[i] = 1;
    }
  }
  return boolVector(out, anyNull ? validity : null);
}

/** Whether x op v holds for some non-NULL v of the set. */
function anyHolds(x: Raw, op: QuantifiedComparison, set: Extract<SubqueryResult, { keys: unknown }>, keyOf: ((text: string) => string) | null, order: (a: Raw, b: Raw) => number): boolean {
  if (set.min === null || set.max === null) return false;
  switch (op) {
    case 'eq':
      return set.keys.has(inSetKey(x, keyOf));
    case 'ne':
      return set.keys.size > 1 || !set.keys.has(inSetKey(x, keyOf));
    case 'lt':
      return order(x, set.max) < 0;
    case 'le':
      return order(x, set.max) <= 0;
    case 'gt':
      return order(x, set.min) > 0;
    case 'ge':
      return order(x, set.min) >= 0;
  }
}

/** Whether x op v fails for some non-NULL v of the set. */
function anyFails(x: Raw, op: QuantifiedComparison, set: Extract<SubqueryResult, { keys: unknown }>, keyOf: ((text: string) => string) | null, order: (a: Raw, b: Raw) => number): boolean {
  if (set.min === null || set.max === null) return false;
  switch (op) {
    case 'eq':
      return set.keys.size > 1 || !set.keys.has(inSetKey(x, keyOf));
    case 'ne':
      return set.keys.has(inSetKey(x, keyOf));
    case 'lt':
      return order(x, set.min) >= 0;
    case 'le':
      return order(x, set.min) > 0;
    case 'gt':
      return order(x, set.max) <= 0;
    case 'ge':
      return order(x, set.max) < 0;
  }
}
