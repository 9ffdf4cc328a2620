/** Binds aggregate calls (count, sum, avg, min, max) with PostgreSQL's argument and result types. */
import { DbError, featureNotSupported, undefinedFunction } from '../../../storage/errors.js';
import { arrayType, Types, type DataType } from '../../../storage/types.js';
import { exprKey, type AggregateCall, type AggregateFunction, type AggregateOrderKey, type Expr } from '../../../planner/expr.js';
import type * as Ast from '../ast.js';
import type { ExprBinder } from './bind-expr.js';
import { positionOf } from './bind-expr.js';
import { containsAggregate, containsWindow } from './ast-walk.js';
import { isDateTime, isString } from './coercion.js';

const aggregateNames = new Set(['count', 'sum', 'avg', 'min', 'max', 'array_agg']);

export function isAggregateName(name: string): boolean {
  return aggregateNames.has(name);
}

/** PostgreSQL's result type of an aggregate over `arg`, or null when no such aggregate exists. */
function resultType(fn: AggregateFunction, arg: DataType): DataType | null {
  switch (fn) {
    case 'count':
    case 'count_star':
      return Types.int8;
    case 'sum':
      switch (arg.id) {
        case 'int2':
        case 'int4':
          return Types.int8;
        case 'int8':
        case 'numeric':
          return Types.numeric;
        case 'float4':
          return Types.float4;
        case 'float8':
          return Types.float8;
        case 'interval':
          return Types.interval;
        default:
          return null;
      }
    case 'avg':
      switch (arg.id) {
        case 'int2':
        case 'int4':
        case 'int8':
        case 'numeric':
          return Types.numeric;
        case 'float4':
        case 'float8':
          return Types.float8;
        case 'interval':
          return Types.interval;
        default:
          return null;
      }
    case 'min':
    case 'max':
      if (isString(arg)) return Types.text;
      if (isDateTime(arg) || ['interval', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric'].includes(arg.id)) {
        return arg.typmod < 0 ? arg : Types[arg.id];
      }
      return null;
    case 'array_agg':
      return arrayType(arg);
  }
}

/** `windowed`: the call has OVER, so its arguments may hold aggregates of the query level. */
export function bindAggregateCall(ast: Extract<Ast.Expr, { kind: 'call' }>, binder: ExprBinder, windowed = false): AggregateCall {
  const at = positionOf(ast.location);
  if (ast.hasOrder && ast.name !== 'array_agg') throw featureNotSupported('ORDER BY inside an aggregate call').withPosition(at);
  for (const a of ast.args) {
    if (!windowed && containsWindow(a)) throw new DbError('42803', 'aggregate function calls cannot contain window function calls').withPosition(positionOf(a.location));
    if (!windowed && containsAggregate(a)) throw new DbError('42803', 'aggregate function calls cannot be nested').withPosition(positionOf(a.location));
  }
  const filter = ast.filter ? binder.bindCondition(ast.filter) : null;
  if (ast.star) {
    if (ast.name !== 'count') throw new DbError('42809', `${ast.name}(*) specified, but ${ast.name} is not an aggregate function`).withPosition(at);
    return { fn: 'count_star', arg: null, distinct: false, filter, type: Types.int8 };
  }
  if (ast.args.length !== 1) {
    const args = ast.args.map((a) => binder.bind(a).type.name).join(', ');
    throw undefinedFunction(`${ast.name}(${args})`).withPosition(at);
  }
  const fn = ast.name as AggregateFunction;
  let arg = binder.bind(ast.args[0] as Ast.Expr);
  if (arg.type.id === 'unknown') {
    if (fn === 'count') arg = binder.resolveUnknown(arg);
    else if (fn === 'min' || fn === 'max') arg = binder.resolveUnknown(arg);
    else throw new DbError('42725', `function ${fn}(unknown) is not unique`).withPosition(at);
  }
  if (fn === 'array_agg' && arg.type.id.startsWith('_')) throw featureNotSupported('array_agg over arrays (multidimensional arrays)').withPosition(at);
  const type = resultType(fn, arg.type);
  if (type === null) throw undefinedFunction(`${fn}(${arg.type.name})`).withPosition(at);
  if ((fn === 'min' || fn === 'max') && arg.type.id === 'varchar') arg = binder.coerce(arg, Types.text, 'implicit', ast.location);
  if (fn === 'array_agg') return { fn, arg, distinct: ast.distinct, filter, ...bindAggregateOrder(ast, binder, arg), type };
  return { fn, arg, distinct: ast.distinct, filter, type };
}

/** ORDER BY inside the call; with DISTINCT its keys must be the argument itself (42P10). */
function bindAggregateOrder(ast: Extract<Ast.Expr, { kind: 'call' }>, binder: ExprBinder, arg: Expr): { orderBy?: AggregateOrderKey[] } {
  const items = ast.order ?? [];
  if (items.length === 0) return {};
  const orderBy = items.map((item) => {
    const expr = binder.resolveUnknown(binder.bind(item.expr));
    if (ast.distinct && exprKey(expr) !== exprKey(arg)) {
      throw new DbError('42P10', 'in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list').withPosition(positionOf(item.expr.location));
    }
    return { expr, descending: item.descending, nullsFirst: item.nullsFirst ?? item.descending };
  });
  return { orderBy };
}
