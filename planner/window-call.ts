/**
 * Window function calls of a Window plan node: plain data, like AggregateCall. Expressions are
 * over the Window node's input; frame offsets are constants or parameters (checked at run time).
 */
import type { DataType } from '../storage/types.js';
import type { AggregateFunction, Expr } from './expr.js';

export type RankingFunction = 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile';
export type ValueFunction = 'lag' | 'lead' | 'first_value' | 'last_value' | 'nth_value';
export type WindowFunction = RankingFunction | ValueFunction | AggregateFunction;

export type FrameBound =
  | { readonly kind: 'unbounded_preceding' | 'current_row' | 'unbounded_following' }
  | { readonly kind: 'preceding' | 'following'; readonly offset: Expr };

export interface WindowFrame {
  readonly mode: 'rows' | 'range' | 'groups';
  readonly start: FrameBound;
  readonly end: FrameBound;
  readonly exclude: 'no_others' | 'current_row' | 'group' | 'ties';
}

export interface WindowCall {
  readonly fn: WindowFunction;
  /** lag/lead: value, offset, default; nth_value: value, n; ntile: buckets; aggregates: the argument (none for count(*)). */
  readonly args: readonly Expr[];
  /** Aggregates only: rows where it is not true are left out. */
  readonly filter: Expr | null;
  readonly frame: WindowFrame;
  readonly type: DataType;
}

/** PostgreSQL's default frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW. */
export const defaultFrame: WindowFrame = { mode: 'range', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' }, exclude: 'no_others' };

export function windowCallExprs(call: WindowCall): Expr[] {
  const exprs: Expr[] = [...call.args];
  if (call.filter !== null) exprs.push(call.filter);
  for (const bound of [call.frame.start, call.frame.end]) if (bound.kind === 'preceding' || bound.kind === 'following') exprs.push(bound.offset);
  return exprs;
}

export function mapWindowCallExprs(call: WindowCall, map: (e: Expr) => Expr): WindowCall {
  const bound = (b: FrameBound): FrameBound => (b.kind === 'preceding' || b.kind === 'following' ? { kind: b.kind, offset: map(b.offset) } : b);
  return {
    ...call,
    args: call.args.map(map),
    filter: call.filter === null ? null : map(call.filter),
    frame: { ...call.frame, start: bound(call.frame.start), end: bound(call.frame.end) },
  };
}
