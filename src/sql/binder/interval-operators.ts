/**
 * The operators that take or give an interval, resolved as PostgreSQL's operator catalog does and
 * bound to the functions its operators call (timestamptz_pl_interval, timestamp_mi, interval_mul ...):
 *   timestamptz|timestamp|date ± interval, interval + timestamptz|timestamp|date,
 *   timestamp[tz] - timestamp[tz] (date operands widen), interval ± interval, interval * / number,
 *   number * interval, - interval.
 * An unknown literal next to a datetime in `+` is an interval; in `-` it takes the other's type.
 */
import { Types, type DataType } from '../../../storage/types.js';
import type { Expr, ScalarFunction } from '../../../planner/expr.js';
import type { ExprBinder } from './bind-expr.js';
import { commonType, isNumeric } from './coercion.js';

const isTimestamp = (t: DataType) => t.id === 'timestamp' || t.id === 'timestamptz';
const isDateTime = (t: DataType) => isTimestamp(t) || t.id === 'date';
const isInterval = (t: DataType) => t.id === 'interval';
const isUnknown = (t: DataType) => t.id === 'unknown';

function call(name: string, args: Expr[], type: DataType): Expr {
  return { kind: 'Function', name, signature: 0, args, type };
}

export function bindIntervalArithmetic(binder: ExprBinder, fn: ScalarFunction, left: Expr, right: Expr, leftLocation: number, rightLocation: number): Expr | null {
  const l = left.type;
  const r = right.type;
  const toInterval = (e: Expr, at: number) => binder.coerce(e, Types.interval, 'implicit', at);
  if (fn === 'add' || fn === 'sub') {
    if (isDateTime(l) && (isInterval(r) || (fn === 'add' && isUnknown(r)))) {
      return datetimeInterval(fn, left, toInterval(right, rightLocation));
    }
    if (fn === 'add' && isDateTime(r) && (isInterval(l) || isUnknown(l))) {
      return datetimeInterval(fn, right, toInterval(left, leftLocation));
    }
    if ((isInterval(l) && (isInterval(r) || isUnknown(r))) || (isUnknown(l) && isInterval(r))) {
      return call(fn === 'add' ? 'interval_pl' : 'interval_mi', [toInterval(left, leftLocation), toInterval(right, rightLocation)], Types.interval);
    }
    if (fn === 'sub' && (isTimestamp(l) || isTimestamp(r)) && (isDateTime(l) || isUnknown(l)) && (isDateTime(r) || isUnknown(r))) {
      const type = commonType(l, r) as DataType;
      const name = type.id === 'timestamptz' ? 'timestamptz_mi' : 'timestamp_mi';
      return call(name, [binder.coerce(left, type, 'implicit', leftLocation), binder.coerce(right, type, 'implicit', rightLocation)], Types.interval);
    }
    return null;
  }
  const number = (t: DataType) => isNumeric(t) || isUnknown(t);
  if (fn === 'mul' && isInterval(l) && number(r)) {
    return call('interval_mul', [left, binder.coerce(right, Types.float8, 'implicit', rightLocation)], Types.interval);
  }
  if (fn === 'mul' && number(l) && isInterval(r)) {
    return call('mul_d_interval', [binder.coerce(left, Types.float8, 'implicit', leftLocation), right], Types.interval);
  }
  if (fn === 'div' && isInterval(l) && number(r)) {
    return call('interval_div', [left, binder.coerce(right, Types.float8, 'implicit', rightLocation)], Types.interval);
  }
  return null;
}

function datetimeInterval(fn: 'add' | 'sub', datetime: Expr, interval: Expr): Expr {
  const verb = fn === 'add' ? 'pl' : 'mi';
  switch (datetime.type.id) {
    case 'timestamptz':
      return call(`timestamptz_${verb}_interval`, [datetime, interval], Types.timestamptz);
    case 'timestamp':
      return call(`timestamp_${verb}_interval`, [datetime, interval], Types.timestamp);
    default:
      return call(`date_${verb}_interval`, [datetime, interval], Types.timestamp);
  }
}

/** - interval. */
export function bindIntervalNegation(operand: Expr): Expr | null {
  return isInterval(operand.type) ? call('interval_um', [operand], Types.interval) : null;
}
