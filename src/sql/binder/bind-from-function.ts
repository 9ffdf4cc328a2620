/**
 * A function call in FROM. generate_series becomes a Series plan (PostgreSQL's overloads: int4,
 * int8 and numeric with an optional step; timestamp and timestamptz with an interval step, date
 * arguments taking the timestamptz one as PostgreSQL prefers it); any other scalar function is a
 * one-row table of its value. Arguments cannot reference other FROM items (no LATERAL).
 */
import { DbError, featureNotSupported, undefinedFunction } from '../../../storage/errors.js';
import { Types, type DataType } from '../../../storage/types.js';
import type { Expr } from '../../../planner/expr.js';
import type { LogicalPlan } from '../../../planner/logical-plan.js';
import type * as Ast from '../ast.js';
import { ExprBinder, positionOf, typeLabel, type BindContext } from './bind-expr.js';
import { commonTypeOfList, isNumeric } from './coercion.js';
import { Scope } from './scope.js';

export function bindFromFunction(item: Extract<Ast.FromItem, { kind: 'function' }>, context: BindContext): LogicalPlan {
  const call = item.call;
  const binder = new ExprBinder(context, Scope.empty(), 'functions in FROM');
  const name = item.columnAliases[0] ?? item.alias ?? call.name;
  if (call.name === 'generate_series' && (call.schema === null || call.schema === 'pg_catalog')) return bindSeries(call, binder, name);
  const expr = binder.bind(call);
  if (expr.kind !== 'Function') throw featureNotSupported(`${call.name} in FROM`).withPosition(positionOf(call.location));
  return { kind: 'Values', rows: [[expr]], schema: [{ name, type: expr.type, tableId: 0, columnNumber: 0 }] };
}

function seriesType(types: readonly DataType[]): DataType | null {
  const [a, b, c] = types as [DataType, DataType, DataType | undefined];
  const numberLike = (t: DataType) => isNumeric(t) || t.id === 'unknown';
  if (types.every(numberLike)) {
    const common = commonTypeOfList(types);
    if (common === null || common.id === 'float4' || common.id === 'float8') return null;
    return common.id === 'int2' || common.id === 'text' ? Types.int4 : common;
  }
  const timeLike = (t: DataType) => t.id === 'timestamp' || t.id === 'timestamptz' || t.id === 'date' || t.id === 'unknown';
  if (c === undefined || !timeLike(a) || !timeLike(b) || (c.id !== 'interval' && c.id !== 'unknown')) return null;
  const plain = (t: DataType) => t.id === 'timestamp' || t.id === 'unknown';
  return plain(a) && plain(b) && (a.id !== 'unknown' || b.id !== 'unknown') ? Types.timestamp : Types.timestamptz;
}

function bindSeries(call: Extract<Ast.Expr, { kind: 'call' }>, binder: ExprBinder, name: string): LogicalPlan {
  const at = positionOf(call.location);
  if (call.star || call.distinct || call.filter !== null || call.hasOver || call.hasOrder) {
    throw new DbError('42601', 'generate_series is not an aggregate function').withPosition(at);
  }
  const args = call.args.map((a) => binder.bind(a));
  const type = args.length === 2 || args.length === 3 ? seriesType(args.map((a) => a.type)) : null;
  if (type === null) throw undefinedFunction(`generate_series(${args.map((a) => typeLabel(a.type)).join(', ')})`).withPosition(at);
  const timeSeries = type.id === 'timestamp' || type.id === 'timestamptz';
  const cast = (e: Expr, t: DataType, i: number): Expr => binder.coerce(e, t, 'implicit', call.args[i]?.location ?? call.location);
  const step = args[2] === undefined ? null : cast(args[2], timeSeries ? Types.interval : type, 2);
  return {
    kind: 'Series',
    start: cast(args[0] as Expr, type, 0),
    stop: cast(args[1] as Expr, type, 1),
    step,
    schema: [{ name, type, tableId: 0, columnNumber: 0 }],
  };
}
