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

export type SubqueryMode = 'scalar' | 'exists' | 'in' | 'any' | 'all';
export type QuantifiedComparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type AggregateFunction = 'count' | 'count_star' | 'sum' | 'avg' | 'min' | 'max' | 'array_agg';

/** A key of ORDER BY inside an aggregate call (array_agg(x ORDER BY y DESC)). */
export interface AggregateOrderKey {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface AggregateCall {
  readonly fn: AggregateFunction;
  readonly arg: Expr | null;
  readonly distinct: boolean;
  readonly filter: Expr | null;
  /** Absent when the call has no ORDER BY. */
  readonly orderBy?: readonly AggregateOrderKey[];
  readonly type: DataType;
}

/** Every expression an aggregate call reads: argument, FILTER, ORDER BY keys. */
export function aggregateExprs(call: AggregateCall): Expr[] {
  const exprs = [call.arg, call.filter].filter((e): e is Expr => e !== null);
  return call.orderBy === undefined ? exprs : [...exprs, ...call.orderBy.map((k) => k.expr)];
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
  switch (expr.kind) {
    case 'Column':
      return { ...expr, index: map(expr.index) };
    case 'Literal':
    case 'Param':
    case 'OuterRef':
      return expr;
    case 'Subquery':
      return { ...expr, arg: expr.arg === null ? null : remapColumns(expr.arg, map), outer: expr.outer.map((e) => remapColumns(e, map)) };
    case 'Call':
    case 'Function':
    case 'And':
    case 'Or':
    case 'Coalesce':
    case 'MinMax':
      return { ...expr, args: expr.args.map((a) => remapColumns(a, map)) } as Expr;
    case 'Cast':
    case 'Not':
    case 'IsNull':
    case 'IsBool':
      return { ...expr, arg: remapColumns(expr.arg, map) } as Expr;
    case 'InList':
      return { ...expr, arg: remapColumns(expr.arg, map), list: expr.list.map((a) => remapColumns(a, map)) };
    case 'Like':
      return { ...expr, arg: remapColumns(expr.arg, map), pattern: remapColumns(expr.pattern, map) };
    case 'DistinctFrom':
      return { ...expr, left: remapColumns(expr.left, map), right: remapColumns(expr.right, map) };
    case 'ArrayCompare':
      return { ...expr, arg: remapColumns(expr.arg, map), array: remapColumns(expr.array, map) };
    case 'Case':
      return {
        ...expr,
        whens: expr.whens.map((w) => ({ when: remapColumns(w.when, map), then: remapColumns(w.then, map) })),
        otherwise: expr.otherwise ? remapColumns(expr.otherwise, map) : null,
      };
  }
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
