/**
 * Bound, typed expressions: what the binder produces and kernels evaluate. Plain data (no
 * functions inside), so a plan can be cached by a prepared statement or posted to a worker.
 * `Column.index` points into the input schema of the node that holds the expression.
 */
import type { DataType, Value } from '../storage/types.js';

/** Scalar kernels by name; arguments are already cast to the kernel's operand types. */
export type ScalarFunction =
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
  | 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'neg' | 'abs'
  | 'concat'
  | 'jsonb_get' | 'jsonb_get_text'
  /** ARRAY[a, b, ...] (arguments of the element type) and array[index] (1-based; NULL outside). */
  | 'make_array' | 'array_subscript';

export type Expr =
  | { readonly kind: 'Column'; readonly index: number; readonly type: DataType }
  | { readonly kind: 'Literal'; readonly value: Value; readonly type: DataType }
  | { readonly kind: 'Param'; readonly index: number; readonly type: DataType }
  | { readonly kind: 'Call'; readonly fn: ScalarFunction; readonly args: readonly Expr[]; readonly type: DataType }
  /** A catalog function (lower, date_trunc ...): `signature` indexes the function's signatures. */
  | { readonly kind: 'Function'; readonly name: string; readonly signature: number; readonly args: readonly Expr[]; readonly type: DataType }
  /** `explicit`: CAST/:: (varchar(n) truncates); otherwise an implicit or assignment cast. */
  | { readonly kind: 'Cast'; readonly arg: Expr; readonly type: DataType; readonly explicit: boolean }
  | { readonly kind: 'And' | 'Or'; readonly args: readonly Expr[]; readonly type: DataType }
  | { readonly kind: 'Not'; readonly arg: Expr; readonly type: DataType }
  | { readonly kind: 'IsNull'; readonly arg: Expr; readonly negated: boolean; readonly type: DataType }
  | { readonly kind: 'IsBool'; readonly arg: Expr; readonly test: 'true' | 'false' | 'unknown'; readonly negated: boolean; readonly type: DataType }
  | { readonly kind: 'InList'; readonly arg: Expr; readonly list: readonly Expr[]; readonly negated: boolean; readonly type: DataType }
  | { readonly kind: 'Like'; readonly arg: Expr; readonly pattern: Expr; readonly negated: boolean; readonly caseInsensitive: boolean; readonly type: DataType }
  | { readonly kind: 'DistinctFrom'; readonly left: Expr; readonly right: Expr; readonly negated: boolean; readonly type: DataType }
  | { readonly kind: 'Case'; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly otherwise: Expr | null; readonly type: DataType }
  | { readonly kind: 'Coalesce'; readonly args: readonly Expr[]; readonly type: DataType }
  /** GREATEST / LEAST: NULL arguments are ignored; NULL only when all are. */
  | { readonly kind: 'MinMax'; readonly op: 'greatest' | 'least'; readonly args: readonly Expr[]; readonly type: DataType }
  /**
   * A subquery: `index` names its plan among the statement's subplans. `in` tests `arg` against the
   * subquery's single column; `any`/`all` compare `arg` with each of its values by `op`.
   * An uncorrelated one runs once before the statement. A correlated one runs once per distinct
   * value of `outer` (expressions over this expression's input that its OuterRefs read), or is
   * `correlated` only through a subquery nested in it that reads a query further out.
   */
  | {
      readonly kind: 'Subquery';
      readonly index: number;
      readonly mode: SubqueryMode;
      readonly arg: Expr | null;
      readonly op: QuantifiedComparison | null;
      readonly outer: readonly Expr[];
      readonly correlated: boolean;
      readonly type: DataType;
    }
  /**
   * Inside a correlated subquery's plan: the value of `outer[slot]` of the subquery `depth` levels
   * out, constant during one run of the subquery.
   */
  | { readonly kind: 'OuterRef'; readonly depth: number; readonly slot: number; readonly type: DataType }
  /** `arg op ANY (array)` / `arg op ALL (array)`; `arg` has the array's element type. */
  | { readonly kind: 'ArrayCompare'; readonly op: QuantifiedComparison; readonly all: boolean; readonly arg: Expr; readonly array: Expr; readonly type: DataType };

/** `array`: ARRAY(SELECT ...), the column's values as an array value (in its text form). */
export type SubqueryMode = 'scalar' | 'exists' | 'in' | 'any' | 'all' | 'array';
export type QuantifiedComparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type AggregateFunction =
  | 'count' | 'count_star' | 'sum' | 'avg' | 'min' | 'max'
  | 'bool_and' | 'bool_or' | 'string_agg'
  | 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop'
  /** Ordered-set aggregates: `arg` is the WITHIN GROUP (ORDER BY ...) value, `orderBy` its direction. */
  | 'percentile_cont' | 'percentile_disc' | 'mode'
  /** grouping(...): a bit per `grouping` key, 1 where the row's grouping set leaves that key out. */
  | 'grouping'
  /** array_agg: every row's value, NULLs included, in the call's ORDER BY. */
  | 'array_agg';

/** ORDER BY inside an aggregate call, over the aggregate's input. */
export interface AggregateOrder {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface AggregateCall {
  readonly fn: AggregateFunction;
  readonly arg: Expr | null;
  readonly distinct: boolean;
  readonly filter: Expr | null;
  readonly type: DataType;
  /** Arguments after the first: string_agg's delimiter, a percentile's fraction. */
  readonly extraArgs?: readonly Expr[];
  readonly orderBy?: readonly AggregateOrder[];
  /** For grouping(): indexes into the Aggregate's groupBy. */
  readonly grouping?: readonly number[];
}

/** Every input expression of an aggregate call (argument, filter, extra arguments, ORDER BY keys). */
export function aggregateInputs(call: AggregateCall): Expr[] {
  const out: Expr[] = [];
  if (call.arg !== null) out.push(call.arg);
  if (call.filter !== null) out.push(call.filter);
  for (const e of call.extraArgs ?? []) out.push(e);
  for (const o of call.orderBy ?? []) out.push(o.expr);
  return out;
}

/** The call with every input expression rewritten by `map`. */
export function mapAggregateInputs(call: AggregateCall, map: (e: Expr) => Expr): AggregateCall {
  const next: AggregateCall = { ...call, arg: call.arg === null ? null : map(call.arg), filter: call.filter === null ? null : map(call.filter) };
  return {
    ...next,
    ...(call.extraArgs === undefined ? {} : { extraArgs: call.extraArgs.map(map) }),
    ...(call.orderBy === undefined ? {} : { orderBy: call.orderBy.map((o) => ({ ...o, expr: map(o.expr) })) }),
  };
}

/** Calls `visit` on every sub-expression, depth first. */
export function forEachExpr(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  for (const child of childExprs(expr)) forEachExpr(child, visit);
}

export function childExprs(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'Column':
    case 'Literal':
    case 'Param':
    case 'OuterRef':
      return [];
    case 'Subquery':
      return expr.arg === null ? expr.outer : [expr.arg, ...expr.outer];
    case 'Call':
    case 'Function':
    case 'And':
    case 'Or':
    case 'Coalesce':
    case 'MinMax':
      return expr.args;
    case 'Cast':
    case 'Not':
    case 'IsNull':
    case 'IsBool':
      return [expr.arg];
    case 'InList':
      return [expr.arg, ...expr.list];
    case 'Like':
      return [expr.arg, expr.pattern];
    case 'DistinctFrom':
      return [expr.left, expr.right];
    case 'ArrayCompare':
      return [expr.arg, expr.array];
    case 'Case':
      return [...expr.whens.flatMap((w) => [w.when, w.then]), ...(expr.otherwise ? [expr.otherwise] : [])];
  }
}

/** Rewrites column references through `map` (used when pushing expressions below a projection). */
export function remapColumns(expr: Expr, map: (index: number) => number): Expr {
  if (expr.kind === 'Column') return { ...expr, index: map(expr.index) };
  return mapChildExprs(expr, (child) => remapColumns(child, map));
}

/** The node with each direct child replaced by `map(child)` (the same node when none changes). */
export function mapChildExprs(expr: Expr, map: (e: Expr) => Expr): Expr {
  switch (expr.kind) {
    case 'Column':
    case 'Literal':
    case 'Param':
    case 'OuterRef':
      return expr;
    case 'Subquery':
      return { ...expr, arg: expr.arg === null ? null : map(expr.arg), outer: expr.outer.map(map) };
    case 'Call':
    case 'Function':
    case 'And':
    case 'Or':
    case 'Coalesce':
    case 'MinMax':
      return { ...expr, args: expr.args.map(map) } as Expr;
    case 'Cast':
    case 'Not':
    case 'IsNull':
    case 'IsBool':
      return { ...expr, arg: map(expr.arg) } as Expr;
    case 'InList':
      return { ...expr, arg: map(expr.arg), list: expr.list.map(map) };
    case 'Like':
      return { ...expr, arg: map(expr.arg), pattern: map(expr.pattern) };
    case 'DistinctFrom':
      return { ...expr, left: map(expr.left), right: map(expr.right) };
    case 'ArrayCompare':
      return { ...expr, arg: map(expr.arg), array: map(expr.array) };
    case 'Case':
      return { ...expr, whens: expr.whens.map((w) => ({ when: map(w.when), then: map(w.then) })), otherwise: expr.otherwise === null ? null : map(expr.otherwise) };
  }
}

/** Rewrites bottom-up: children first, then `visit` on the rebuilt node. */
export function transformExpr(expr: Expr, visit: (e: Expr) => Expr): Expr {
  return visit(mapChildExprs(expr, (child) => transformExpr(child, visit)));
}

export function columnsUsed(expr: Expr, into: Set<number> = new Set()): Set<number> {
  forEachExpr(expr, (e) => {
    if (e.kind === 'Column') into.add(e.index);
  });
  return into;
}

/** A canonical text of an expression, to recognise equal expressions (GROUP BY matching). */
export function exprKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}
