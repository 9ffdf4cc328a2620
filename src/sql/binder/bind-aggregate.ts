/**
 * Binds aggregate calls with PostgreSQL's argument and result types: count, sum, avg, min, max,
 * bool_and/bool_or/every, string_agg, array_agg, the variance family, the ordered-set aggregates
 * (percentile_cont, percentile_disc, mode ... WITHIN GROUP (ORDER BY ...)) and grouping().
 */
import { DbError, featureNotSupported, undefinedFunction } from '../../../storage/errors.js';
import { arrayType, elementType, isArrayType, Types, type DataType } from '../../../storage/types.js';
import { exprKey, type AggregateCall, type AggregateFunction, type AggregateOrder, type Expr } from '../../../planner/expr.js';
import type * as Ast from '../ast.js';
import type { ExprBinder } from './bind-expr.js';
import { positionOf } from './bind-expr.js';
import { containsAggregate, containsWindow } from './ast-walk.js';
import { isDateTime, isString } from './coercion.js';

/** SQL names that are aggregates, mapped to the aggregate they compute (every = bool_and ...). */
const aggregateNames = new Map<string, AggregateFunction>([
  ['count', 'count'],
  ['sum', 'sum'],
  ['avg', 'avg'],
  ['min', 'min'],
  ['max', 'max'],
  ['bool_and', 'bool_and'],
  ['every', 'bool_and'],
  ['bool_or', 'bool_or'],
  ['string_agg', 'string_agg'],
  ['array_agg', 'array_agg'],
  ['stddev', 'stddev_samp'],
  ['stddev_samp', 'stddev_samp'],
  ['stddev_pop', 'stddev_pop'],
  ['variance', 'var_samp'],
  ['var_samp', 'var_samp'],
  ['var_pop', 'var_pop'],
  ['percentile_cont', 'percentile_cont'],
  ['percentile_disc', 'percentile_disc'],
  ['mode', 'mode'],
  ['grouping', 'grouping'],
]);

const orderedSetAggregates = new Set<AggregateFunction>(['percentile_cont', 'percentile_disc', 'mode']);
/**
 * Whether an aggregate's result depends on the order of its input, so ORDER BY inside the call is
 * kept: string_agg, and sums and variances of floats (rounding); count, min, max ... ignore it.
 */
function orderSensitive(fn: AggregateFunction, arg: DataType): boolean {
  if (fn === 'string_agg' || fn === 'array_agg') return true;
  const float = arg.id === 'float4' || arg.id === 'float8';
  return float && ['sum', 'avg', 'var_samp', 'var_pop', 'stddev_samp', 'stddev_pop'].includes(fn);
}
const numericTypes = ['int2', 'int4', 'int8', 'float4', 'float8', 'numeric'];

export function isAggregateName(name: string): boolean {
  return aggregateNames.has(name);
}

/** PostgreSQL's result type of an aggregate over `arg`, or null when no such aggregate exists. */
function resultType(fn: AggregateFunction, arg: DataType): DataType | null {
  switch (fn) {
    case 'array_agg':
      return arrayType(arg);
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
    case 'var_samp':
    case 'var_pop':
    case 'stddev_samp':
    case 'stddev_pop':
      if (fn !== 'avg' && arg.id === 'interval') return null;
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
    case 'percentile_disc':
    case 'mode':
      if (isString(arg)) return fn === 'min' || fn === 'max' ? Types.text : arg.typmod < 0 ? arg : Types[arg.id];
      if (isDateTime(arg) || arg.id === 'interval' || numericTypes.includes(arg.id)) return arg.typmod < 0 ? arg : Types[arg.id];
      if (fn !== 'min' && fn !== 'max' && arg.id === 'bool') return arg;
      return null;
    case 'bool_and':
    case 'bool_or':
      return arg.id === 'bool' ? Types.bool : null;
    case 'string_agg':
      return arg.id === 'text' ? Types.text : null;
    case 'percentile_cont':
      return arg.id === 'float8' ? Types.float8 : arg.id === 'interval' ? Types.interval : null;
    case 'grouping':
      return Types.int4;
  }
}

type CallAst = Extract<Ast.Expr, { kind: 'call' }>;

/** `windowed`: the call has OVER, so its arguments may hold aggregates of the query level. */
export function bindAggregateCall(ast: CallAst, binder: ExprBinder, windowed = false): AggregateCall {
  const at = positionOf(ast.location);
  const fn = aggregateNames.get(ast.name) as AggregateFunction;
  for (const a of [...ast.args, ...(ast.orderBy ?? []).map((o) => o.expr)]) {
    if (!windowed && containsWindow(a)) throw new DbError('42803', 'aggregate function calls cannot contain window function calls').withPosition(positionOf(a.location));
    if (!windowed && containsAggregate(a)) throw new DbError('42803', 'aggregate function calls cannot be nested').withPosition(positionOf(a.location));
  }
  if (orderedSetAggregates.has(fn) !== (ast.withinGroup === true)) {
    // WITHIN GROUP's keys count as arguments, so no signature matches either way.
    const args = [...ast.args, ...(ast.withinGroup === true ? (ast.orderBy ?? []).map((o) => o.expr) : [])];
    throw undefinedFunction(`${ast.name}(${args.map((a) => binder.bind(a).type.name).join(', ')})`).withPosition(at);
  }
  const filter = ast.filter ? binder.bindCondition(ast.filter) : null;
  if (ast.star) {
    if (ast.name !== 'count') throw new DbError('42809', `${ast.name}(*) specified, but ${ast.name} is not an aggregate function`).withPosition(at);
    return { fn: 'count_star', arg: null, distinct: false, filter, type: Types.int8 };
  }
  if (orderedSetAggregates.has(fn)) return bindOrderedSet(ast, fn, binder, filter);
  const expected = fn === 'string_agg' ? 2 : 1;
  if (ast.args.length !== expected) {
    const args = ast.args.map((a) => binder.bind(a).type.name).join(', ');
    throw undefinedFunction(`${ast.name}(${args})`).withPosition(at);
  }
  let arg = binder.bind(ast.args[0] as Ast.Expr);
  const extraArgs: Expr[] = ast.args.slice(1).map((a) => binder.bind(a));
  if (arg.type.id === 'unknown') {
    if (fn === 'count' || fn === 'min' || fn === 'max' || fn === 'string_agg') arg = binder.resolveUnknown(arg);
    else if (fn === 'bool_and' || fn === 'bool_or') arg = binder.coerce(arg, Types.bool, 'implicit', ast.location);
    // The variance family has only numeric-category candidates, so unknown takes the preferred float8.
    else if (fn.startsWith('var_') || fn.startsWith('stddev_')) arg = binder.coerce(arg, Types.float8, 'implicit', ast.location);
    else throw new DbError('42725', `function ${ast.name}(unknown) is not unique`).withPosition(at);
  }
  if (fn === 'string_agg') {
    const delimiter = extraArgs[0] as Expr;
    if (isString(arg.type)) arg = binder.coerce(arg, Types.text, 'implicit', ast.location);
    if (delimiter.type.id === 'unknown' || isString(delimiter.type)) extraArgs[0] = binder.coerce(delimiter, Types.text, 'implicit', ast.location);
    if (arg.type.id !== 'text' || (extraArgs[0] as Expr).type.id !== 'text') {
      throw undefinedFunction(`${ast.name}(${arg.type.name}, ${delimiter.type.name})`).withPosition(at);
    }
  }
  if (fn === 'array_agg' && isArrayType(arg.type)) throw featureNotSupported('array_agg over arrays (multidimensional arrays)').withPosition(at);
  const type = resultType(fn, arg.type);
  if (type === null) throw undefinedFunction(`${ast.name}(${arg.type.name})`).withPosition(at);
  if ((fn === 'min' || fn === 'max') && arg.type.id === 'varchar') arg = binder.coerce(arg, Types.text, 'implicit', ast.location);
  const orderBy = bindOrder(ast, binder);
  if (ast.distinct && orderBy.length > 0) {
    const keys = new Set([arg, ...extraArgs].map(exprKey));
    if (!orderBy.every((o) => keys.has(exprKey(o.expr)))) {
      throw new DbError('42P10', 'in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list').withPosition(at);
    }
  }
  const call: AggregateCall = { fn, arg, distinct: ast.distinct, filter, type };
  // PostgreSQL feeds a DISTINCT aggregate its values sorted, which float rounding can tell.
  const order = orderBy.length === 0 && ast.distinct ? [{ expr: arg, descending: false, nullsFirst: false }] : orderBy;
  return {
    ...call,
    ...(extraArgs.length > 0 ? { extraArgs } : {}),
    ...(order.length > 0 && orderSensitive(fn, arg.type) ? { orderBy: order } : {}),
  };
}

function bindOrder(ast: CallAst, binder: ExprBinder): AggregateOrder[] {
  return (ast.orderBy ?? []).map((item) => ({
    expr: binder.resolveUnknown(binder.bind(item.expr)),
    descending: item.descending,
    nullsFirst: item.nullsFirst ?? item.descending,
  }));
}

/**
 * percentile_cont(fraction) / percentile_disc(fraction) / mode() WITHIN GROUP (ORDER BY x): `arg`
 * is x, `extraArgs` the fraction (float8), `orderBy` x's sort direction.
 */
function bindOrderedSet(ast: CallAst, fn: AggregateFunction, binder: ExprBinder, filter: Expr | null): AggregateCall {
  const at = positionOf(ast.location);
  const direct = ast.args.map((a) => binder.bind(a));
  const order = bindOrder(ast, binder);
  const signature = () => `${ast.name}(${[...direct, ...order.map((o) => o.expr)].map((e) => e.type.name).join(', ')})`;
  // PostgreSQL's grammar refuses it; kept here in case a parser lets it through.
  if (ast.distinct) throw new DbError('42601', 'cannot use DISTINCT with WITHIN GROUP').withPosition(at);
  if (direct.length !== (fn === 'mode' ? 0 : 1) || order.length !== 1) throw undefinedFunction(signature()).withPosition(at);
  const first = order[0] as AggregateOrder;
  let arg = first.expr;
  const extraArgs: Expr[] = [];
  if (fn !== 'mode') {
    const fraction = direct[0] as Expr;
    if (fraction.type.id === 'unknown' || numericTypes.includes(fraction.type.id)) extraArgs.push(binder.coerce(fraction, Types.float8, 'implicit', ast.location));
    else if (elementType(fraction.type) !== null && numericTypes.includes((elementType(fraction.type) as DataType).id)) extraArgs.push(binder.coerce(fraction, Types._float8, 'implicit', ast.location));
    else throw undefinedFunction(signature()).withPosition(at);
  }
  if (fn === 'percentile_cont') {
    if (arg.type.id !== 'interval') {
      if (!numericTypes.includes(arg.type.id)) throw undefinedFunction(signature()).withPosition(at);
      arg = binder.coerce(arg, Types.float8, 'implicit', ast.location);
    }
  }
  const single = resultType(fn, arg.type);
  if (single === null) throw undefinedFunction(signature()).withPosition(at);
  // Several fractions (an array) give an array of percentiles.
  const several = extraArgs[0] !== undefined && elementType(extraArgs[0].type) !== null;
  const type = several ? arrayType(single) : single;
  if (type === null) throw undefinedFunction(signature()).withPosition(at);
  const call: AggregateCall = { fn, arg, distinct: false, filter, type, orderBy: [{ ...first, expr: arg }] };
  return extraArgs.length > 0 ? { ...call, extraArgs } : call;
}

/** grouping(a, b, ...): each argument must be one of the query's GROUP BY expressions. */
export function bindGroupingCall(ast: CallAst, binder: ExprBinder, groupBy: readonly Expr[]): AggregateCall {
  const at = positionOf(ast.location);
  if (ast.args.length > 31) throw new DbError('54011', 'GROUPING must have fewer than 32 arguments').withPosition(at);
  const grouping = ast.args.map((a) => {
    const key = exprKey(binder.resolveUnknown(binder.bind(a)));
    const index = groupBy.findIndex((g) => exprKey(g) === key);
    if (index < 0) throw new DbError('42803', 'arguments to GROUPING must be grouping expressions of the associated query level').withPosition(positionOf(a.location));
    return index;
  });
  return { fn: 'grouping', arg: null, distinct: false, filter: null, type: Types.int4, grouping };
}
