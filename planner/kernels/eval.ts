/**
 * Evaluates a bound expression over a dense batch, one vector at a time: each node runs one kernel
 * over whole typed arrays (vectorized interpretation; no per-row walk of the expression tree).
 * CASE and COALESCE evaluate a branch only on the rows that reach it, so a branch that would fail
 * (division by zero) on rows it does not apply to stays silent, as in PostgreSQL.
 */
import { assert, DbError } from '../../storage/errors.js';
import { Types, type Value } from '../../storage/types.js';
import type { FormatSettings } from '../../storage/value-codecs.js';
import { constantVector, withType, withValidity, type Batch, type FixedVector, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Expr } from '../expr.js';
import type { FunctionRegistry } from '../functions.js';
import { andValidity } from './validity.js';
import { evaluateOnDictionary } from './dictionary-eval.js';
import { evaluateCaseExpr, rowsOf } from './case-eval.js';
import { absolute, arithmetic, dateArithmetic, negate, type Arithmetic } from './arithmetic.js';
import { castVector } from './cast.js';
import { compareVectors, compareWithConstant, flipComparison, type Comparison } from './compare.js';
import { likeMatcher } from './like.js';
import { jsonbAccess } from './jsonb-access.js';
import { arrayCompare, arraySubscript, makeArray } from './array-kernels.js';
import { boolVector, inList, isBool, isNull, not, shortCircuit } from './logic.js';
import { evaluateOuterRef, evaluateSubquery, valueOrder, type SubqueryResult } from './subquery-eval.js';

export { inSetKey, type SubqueryResult } from './subquery-eval.js';

export interface EvalContext {
  readonly params: readonly Value[];
  /** Results of the statement's subqueries, by index (filled before the main plan runs). */
  readonly subqueryResults: SubqueryResult[];
  /** Inside a correlated subquery's run: the outer values of each enclosing run, innermost last. */
  readonly outerValues?: readonly (readonly Value[])[];
  /** Correlated subqueries' results by outer key, filled by the operator that evaluates them. */
  readonly correlatedResults?: Map<Expr, Map<string, SubqueryResult>>;
  readonly settings: FormatSettings;
  readonly functions: FunctionRegistry;
  /** Statement start in µs since 1970 (now()). */
  readonly statementTimeMicros: number;
}

export function evaluate(expr: Expr, batch: Batch, context: EvalContext): Vector {
  assert(batch.selection === null, 'evaluate needs a dense batch');
  const n = batch.length;
  if (expr.kind !== 'Column' && expr.kind !== 'Literal' && expr.kind !== 'Param') {
    const viaDictionary = evaluateOnDictionary(expr, batch, context, (e, b) => evaluate(e, b, context));
    if (viaDictionary !== null) return viaDictionary;
  }
  switch (expr.kind) {
    case 'Column': {
      const column = batch.columns[expr.index];
      assert(column !== undefined, `column ${expr.index} out of range`);
      return column.type === expr.type ? column : withType(column, expr.type);
    }
    case 'Literal':
      return constantVector(expr.type, expr.value, n);
    case 'Param':
      return constantVector(expr.type, paramValue(expr.index, context), n);
    case 'Call':
      return evaluateCall(expr, batch, context);
    case 'Function':
      return evaluateFunction(expr, batch, context);
    case 'Cast':
      return castVector(evaluate(expr.arg, batch, context), expr.type, context.settings, n, expr.explicit);
    case 'And':
    case 'Or':
      return shortCircuit(expr.kind === 'And', expr.args, n, (a, rows) => {
        const arg = expr.args[a] as Expr;
        return evaluate(arg, rows === null ? batch : rowsOf(batch, rows, arg), context);
      });
    case 'Not':
      return not(evaluate(expr.arg, batch, context), n);
    case 'IsNull':
      return isNull(evaluate(expr.arg, batch, context), expr.negated, n);
    case 'IsBool':
      return isBool(evaluate(expr.arg, batch, context), expr.test, expr.negated, n);
    case 'InList': {
      const arg = evaluate(expr.arg, batch, context);
      const matches = expr.list.map((item) => compare('eq', arg, item, batch, context));
      return inList(arg.validity, matches, expr.negated, n);
    }
    case 'Like':
      return evaluateLike(expr, batch, context);
    case 'DistinctFrom':
      return evaluateDistinctFrom(expr, batch, context);
    case 'Case':
      return evaluateCase(expr, batch, context);
    case 'Coalesce':
      return evaluateCoalesce(expr, batch, context);
    case 'Subquery':
      return evaluateSubquery(expr, batch, context);
    case 'OuterRef':
      return evaluateOuterRef(expr, n, context);
    case 'MinMax':
      return evaluateMinMax(expr, batch, context);
    case 'ArrayCompare':
      return arrayCompare(expr.op, expr.all, evaluate(expr.arg, batch, context), evaluate(expr.array, batch, context), n);
  }
}

export function paramValue(index: number, context: EvalContext): Value {
  if (index >= context.params.length) throw new DbError('08P01', `no value given for parameter $${index + 1}`);
  return context.params[index] as Value;
}

/** A constant expression's value (no columns): literals, parameters, casts of them. */
export function evaluateConstant(expr: Expr, context: EvalContext): Value {
  if (expr.kind === 'Literal') return expr.value;
  if (expr.kind === 'Param') return paramValue(expr.index, context);
  const vector = evaluate(expr, { length: 1, columns: [], selection: null }, context);
  if (vector.validity !== null && vector.validity[0] === 0) return null;
  if (vector.kind === 'string') return vector.values[0] as string;
  const v = vector.values[0] as number | bigint;
  return vector.type.id === 'bool' ? v === 1 : v;
}

/**
 * Whether an expression has one value for the whole statement: literals, parameters, and casts,
 * operators and catalog functions of them (every catalog function is immutable or, like now(),
 * stable within a statement). `now() - interval '7 days'` is one, so it is computed once and can
 * bound a zone-map range.
 */
export function isConstantExpr(expr: Expr): boolean {
  switch (expr.kind) {
    case 'Literal':
    case 'Param':
      return true;
    case 'Cast':
      return isConstantExpr(expr.arg);
    case 'Call':
    case 'Function':
      return expr.args.every(isConstantExpr);
    default:
      return false;
  }
}

function compare(op: Comparison, left: Vector, rightExpr: Expr, batch: Batch, context: EvalContext): FixedVector {
  const n = batch.length;
  if (isConstantExpr(rightExpr)) {
    const value = evaluateConstant(rightExpr, context);
    if (value === null) return boolVector(new Uint8Array(n), new Uint8Array(n));
    const constant = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    return boolVector(compareWithConstant(op, left, constant, n), left.validity);
  }
  const right = evaluate(rightExpr, batch, context);
  const { values, validity } = compareVectors(op, left, right, n);
  return boolVector(values, validity);
}

function evaluateCall(expr: Extract<Expr, { kind: 'Call' }>, batch: Batch, context: EvalContext): Vector {
  const n = batch.length;
  const [a, b] = expr.args;
  switch (expr.fn) {
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      assert(a !== undefined && b !== undefined, 'comparison needs two operands');
      if (isConstantExpr(a) && !isConstantExpr(b)) {
        return compare(flipComparison(expr.fn), evaluate(b, batch, context), a, batch, context);
      }
      return compare(expr.fn, evaluate(a, batch, context), b, batch, context);
    }
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'mod': {
      assert(a !== undefined && b !== undefined, 'arithmetic needs two operands');
      const left = evaluate(a, batch, context);
      const right = evaluate(b, batch, context);
      if (left.type.id === 'date' && (expr.fn === 'add' || expr.fn === 'sub')) return dateArithmetic(expr.fn, left, right, expr.type, n);
      return arithmetic(expr.fn as Arithmetic, left, right, expr.type, n);
    }
    case 'neg':
      return negate(evaluate(a as Expr, batch, context), n);
    case 'jsonb_get':
    case 'jsonb_get_text':
      return jsonbAccess(evaluate(a as Expr, batch, context), evaluate(b as Expr, batch, context), expr.fn === 'jsonb_get_text', n);
    case 'abs':
      return absolute(evaluate(a as Expr, batch, context), n);
    case 'make_array':
      return makeArray(expr.args.map((arg) => evaluate(arg, batch, context)), expr.type, n);
    case 'array_subscript':
      return arraySubscript(evaluate(a as Expr, batch, context), evaluate(b as Expr, batch, context), expr.type, n);
    case 'concat': {
      const left = evaluate(a as Expr, batch, context);
      const right = evaluate(b as Expr, batch, context);
      const l = left.values as readonly string[];
      const r = right.values as readonly string[];
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = (l[i] as string) + (r[i] as string);
      const validity = left.validity === null ? right.validity : right.validity === null ? left.validity : left.validity.map((v, i) => v & (right.validity as Uint8Array)[i]!);
      return { kind: 'string', type: Types.text, length: n, values: out, validity };
    }
  }
}

function evaluateLike(expr: Extract<Expr, { kind: 'Like' }>, batch: Batch, context: EvalContext): Vector {
  const n = batch.length;
  const arg = evaluate(expr.arg, batch, context);
  const pattern = evaluate(expr.pattern, batch, context);
  const values = arg.values as readonly string[];
  const patterns = pattern.values as readonly string[];
  const out = new Uint8Array(n);
  const validity = arg.validity === null && pattern.validity === null ? null : new Uint8Array(n);
  const constant = expr.pattern.kind === 'Literal' || expr.pattern.kind === 'Param';
  let match = constant && n > 0 && (pattern.validity === null || pattern.validity[0] === 1) ? likeMatcher(patterns[0] as string, expr.caseInsensitive) : null;
  for (let i = 0; i < n; i++) {
    const valid = (arg.validity === null || arg.validity[i] === 1) && (pattern.validity === null || pattern.validity[i] === 1);
    if (validity !== null) validity[i] = valid ? 1 : 0;
    if (!valid) continue;
    if (!constant) match = likeMatcher(patterns[i] as string, expr.caseInsensitive);
    out[i] = (match as (value: string) => boolean)(values[i] as string) !== expr.negated ? 1 : 0;
  }
  return boolVector(out, validity);
}

function evaluateDistinctFrom(expr: Extract<Expr, { kind: 'DistinctFrom' }>, batch: Batch, context: EvalContext): Vector {
  const n = batch.length;
  const left = evaluate(expr.left, batch, context);
  const right = evaluate(expr.right, batch, context);
  const { values } = compareVectors('ne', left, right, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ln = left.validity !== null && left.validity[i] === 0;
    const rn = right.validity !== null && right.validity[i] === 0;
    const distinct = ln || rn ? ln !== rn : values[i] === 1;
    out[i] = distinct !== expr.negated ? 1 : 0;
  }
  return boolVector(out, null);
}

/** Rows of `batch` listed in `rows`, as a dense batch. */
function evaluateCase(expr: Extract<Expr, { kind: 'Case' }>, batch: Batch, context: EvalContext): Vector {
  return evaluateCaseExpr(expr, batch, (e, b) => evaluate(e, b, context));
}

function evaluateCoalesce(expr: Extract<Expr, { kind: 'Coalesce' }>, batch: Batch, context: EvalContext): Vector {
  const n = batch.length;
  const whens = expr.args.map((arg) => ({ when: { kind: 'IsNull', arg, negated: true, type: Types.bool } as Expr, then: arg }));
  return evaluateCase({ kind: 'Case', whens, otherwise: null, type: expr.type }, { ...batch, length: n }, context);
}

function evaluateFunction(expr: Extract<Expr, { kind: 'Function' }>, batch: Batch, context: EvalContext): Vector {
  const n = batch.length;
  const def = context.functions.lookup(expr.name);
  assert(def !== undefined, `function ${expr.name} is not in the registry`);
  const args = expr.args.map((a) => evaluate(a, batch, context));
  const result = def.evaluate(expr.signature, args, n, { settings: context.settings, statementTimeMicros: context.statementTimeMicros });
  if (!def.strict) return result;
  // Strict: a NULL argument makes the row NULL, whatever the implementation wrote there.
  let validity = result.validity;
  for (const a of args) validity = andValidity(validity, a.validity, n);
  return validity === result.validity ? result : withValidity(result, validity);
}

function evaluateMinMax(expr: Extract<Expr, { kind: 'MinMax' }>, batch: Batch, context: EvalContext): Vector {
  const n = batch.length;
  const args = expr.args.map((a) => evaluate(a, batch, context));
  const sign = expr.op === 'greatest' ? 1 : -1;
  // numerics by value, intervals by span; among equal values the first argument stays.
  const order = valueOrder(expr.type);
  const best = new Int32Array(n).fill(-1); // which argument holds the row's answer
  for (let k = 0; k < args.length; k++) {
    const arg = args[k] as Vector;
    const values = arg.values as ArrayLike<number | bigint | string>;
    for (let i = 0; i < n; i++) {
      if (arg.validity !== null && arg.validity[i] === 0) continue;
      const current = best[i] as number;
      if (current < 0) {
        best[i] = k;
        continue;
      }
      const held = (args[current] as Vector).values as ArrayLike<number | bigint | string>;
      if (sign * order(values[i] as number, held[i] as number) > 0) best[i] = k;
    }
  }
  const builder = new VectorBuilder(expr.type, n);
  for (let i = 0; i < n; i++) {
    const k = best[i] as number;
    if (k < 0) builder.appendValue(null);
    else builder.appendVector(args[k] as Vector, null, i, i + 1);
  }
  return builder.view();
}
