/**
 * Array expressions as PostgreSQL types them: ARRAY[...] takes the common type of its elements
 * (text when all are unknown literals), `a[i]` the element type, and `x op ANY/ALL (array)`
 * resolves `op` between x and the element type: an unknown array literal ('{a,b}') or parameter
 * ($1, what drivers send) becomes an array of x's type.
 */
import { DbError, featureNotSupported, undefinedOperator } from '../../../storage/errors.js';
import { arrayType, elementType, Types, type DataType } from '../../../storage/types.js';
import { encodeArray } from '../../../storage/array-value.js';
import type { Expr, QuantifiedComparison } from '../../../planner/expr.js';
import type * as Ast from '../ast.js';
import { positionOf, typeLabel, type ExprBinder } from './bind-expr.js';
import { commonType, commonTypeOfList } from './coercion.js';

const quantified: Readonly<Record<string, QuantifiedComparison>> = { '=': 'eq', '<>': 'ne', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

function arrayOf(element: DataType, location: number): DataType {
  const type = arrayType(element);
  if (type === null) throw featureNotSupported(elementType(element) !== null ? 'multidimensional arrays' : `arrays of ${typeLabel(element)}`).withPosition(positionOf(location));
  return type;
}

export function bindArrayConstructor(binder: ExprBinder, ast: Extract<Ast.Expr, { kind: 'array' }>, castTo: DataType | null): Expr {
  const at = positionOf(ast.location);
  if (ast.elements.length === 0) {
    const element = castTo === null ? null : elementType(castTo);
    if (element === null) {
      throw new DbError('42P18', 'cannot determine type of empty array', { hint: 'Explicitly cast to the desired type, for example ARRAY[]::integer[].' }).withPosition(at);
    }
    return { kind: 'Literal', value: encodeArray([], element), type: castTo as DataType };
  }
  const elements = ast.elements.map((e) => binder.bind(e));
  const element = commonTypeOfList(elements.map((e) => e.type));
  if (element === null) {
    const [a, b] = elements.map((e) => e.type).filter((t, i, all) => all.findIndex((u) => u.id === t.id) === i);
    throw new DbError('42804', `ARRAY types ${typeLabel(a ?? Types.unknown)} and ${typeLabel(b ?? Types.unknown)} cannot be matched`).withPosition(at);
  }
  const type = arrayOf(element, ast.location);
  const args = elements.map((e, i) => binder.coerce(e, element, 'implicit', ast.elements[i]?.location ?? ast.location));
  return { kind: 'Call', fn: 'make_array', args, type };
}

export function bindSubscript(binder: ExprBinder, ast: Extract<Ast.Expr, { kind: 'subscript' }>): Expr {
  const array = binder.bind(ast.arg);
  const element = elementType(array.type);
  if (element === null) {
    throw new DbError('42804', `cannot subscript type ${typeLabel(array.type)} because it does not support subscripting`).withPosition(positionOf(ast.location));
  }
  const index = binder.bind(ast.index);
  const integer = index.type.id === 'int2' || index.type.id === 'int4' || index.type.id === 'unknown';
  if (!integer && index.type.id !== 'int8' && index.type.id !== 'numeric' && !index.type.id.startsWith('float')) {
    throw new DbError('42804', 'array subscript must have type integer').withPosition(positionOf(ast.index.location));
  }
  const at = binder.coerce(index, Types.int4, integer ? 'implicit' : 'assignment', ast.index.location);
  return { kind: 'Call', fn: 'array_subscript', args: [array, at], type: element };
}

export function bindAnyAll(binder: ExprBinder, ast: Extract<Ast.Expr, { kind: 'arrayCompare' }>): Expr {
  const at = positionOf(ast.location);
  const op = quantified[ast.op];
  let arg = binder.bind(ast.arg);
  let array = binder.bind(ast.array);
  if (op === undefined) throw featureNotSupported(`operator ${ast.op} with ANY/ALL`).withPosition(at);
  if (array.type.id === 'unknown') {
    arg = binder.resolveUnknown(arg);
    array = binder.coerce(array, arrayOf(arg.type, ast.location), 'implicit', ast.array.location);
  }
  const element = elementType(array.type);
  if (element === null) {
    throw new DbError('42809', `op ANY/ALL (array) requires array on right side`).withPosition(at);
  }
  const type = commonType(arg.type, element);
  if (type === null) throw undefinedOperator(`${typeLabel(arg.type)} ${ast.op} ${typeLabel(element)}`).withPosition(at);
  return {
    kind: 'ArrayCompare',
    op,
    all: ast.all,
    arg: binder.coerce(arg, type, 'implicit', ast.arg.location),
    array: binder.coerce(array, arrayOf(type, ast.location), 'implicit', ast.array.location),
    type: Types.bool,
  };
}
