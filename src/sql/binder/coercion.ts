/**
 * PostgreSQL's coercion rules, reduced to Eventide's types: which casts exist in which context
 * (implicit, assignment, explicit), and the common type of two operands (the type an operator is
 * resolved at). The rules follow pg_cast and the operator-resolution examples of the PostgreSQL
 * manual (chapter "Type Conversion").
 */
import { elementType, Types, type DataType, type TypeId } from '../../../storage/types.js';

export type CastContext = 'implicit' | 'assignment' | 'explicit';

const numericRank: Partial<Record<TypeId, number>> = { int2: 0, int4: 1, int8: 2, numeric: 3, float4: 4, float8: 5 };

export function isNumeric(type: DataType): boolean {
  return numericRank[type.id] !== undefined;
}
export function isInteger(type: DataType): boolean {
  return type.id === 'int2' || type.id === 'int4' || type.id === 'int8';
}
export function isString(type: DataType): boolean {
  return type.id === 'text' || type.id === 'varchar';
}
export function isDateTime(type: DataType): boolean {
  return type.id === 'date' || type.id === 'timestamp' || type.id === 'timestamptz';
}

/** The context a cast from `from` to `to` needs, or null when PostgreSQL has no such cast. */
export function castContext(from: DataType, to: DataType): CastContext | null {
  if (from.id === to.id) return 'implicit';
  if (from.id === 'unknown') return 'implicit';
  const f = numericRank[from.id];
  const t = numericRank[to.id];
  if (f !== undefined && t !== undefined) {
    // Widening within ints, and anything to numeric/float, is implicit, except float -> numeric.
    if (t > f && !(from.id.startsWith('float') && to.id === 'numeric')) return 'implicit';
    return 'assignment';
  }
  if (isString(from) && isString(to)) return 'implicit';
  if (isString(to)) return 'assignment'; // automatic I/O conversion to string types
  if (isString(from)) return 'explicit'; // automatic I/O conversion from string types
  if (isDateTime(from) && isDateTime(to)) {
    if (from.id === 'date' || (from.id === 'timestamp' && to.id === 'timestamptz')) return 'implicit';
    return 'assignment';
  }
  if (from.id === 'bool' && to.id === 'int4') return 'explicit';
  if (from.id === 'int4' && to.id === 'bool') return 'explicit';
  if (from.id === 'jsonb' && (to.id === 'bool' || t !== undefined)) return 'explicit';
  const fromElement = elementType(from);
  const toElement = elementType(to);
  if (fromElement !== null && toElement !== null) return castContext(fromElement, toElement);
  return null;
}

export function canCast(from: DataType, to: DataType, context: CastContext): boolean {
  const needed = castContext(from, to);
  if (needed === null) return false;
  if (context === 'explicit') return true;
  if (context === 'assignment') return needed !== 'explicit';
  return needed === 'implicit';
}

/**
 * The type both operands of a binary operator are cast to, or null when the categories do not
 * meet (the caller reports "operator does not exist"). `unknown` takes the other side's type.
 */
export function commonType(left: DataType, right: DataType): DataType | null {
  if (left.id === 'unknown' && right.id === 'unknown') return Types.text;
  if (left.id === 'unknown') return baseType(right);
  if (right.id === 'unknown') return baseType(left);
  if (left.id === right.id) return baseType(left);
  const l = numericRank[left.id];
  const r = numericRank[right.id];
  if (l !== undefined && r !== undefined) {
    if (left.id === 'float4' && right.id === 'float4') return Types.float4;
    if (l >= 4 || r >= 4) return Types.float8; // float8 is the preferred type of the category
    return Math.max(l, r) === l ? baseType(left) : baseType(right);
  }
  if (isString(left) && isString(right)) return Types.text;
  if (isDateTime(left) && isDateTime(right)) {
    if (left.id === right.id) return baseType(left);
    if (left.id === 'timestamptz' || right.id === 'timestamptz') return Types.timestamptz;
    return Types.timestamp;
  }
  return null;
}

/** The type without its modifier (operators work on the base type). */
export function baseType(type: DataType): DataType {
  return type.typmod < 0 ? type : Types[type.id];
}

/** The common type of a list (CASE, COALESCE, IN, VALUES columns); null when they do not meet. */
export function commonTypeOfList(types: readonly DataType[]): DataType | null {
  let result: DataType = Types.unknown;
  for (const t of types) {
    const next = result.id === 'unknown' && t.id === 'unknown' ? Types.unknown : commonType(result, t);
    if (next === null) return null;
    result = next;
  }
  return result.id === 'unknown' ? Types.text : result;
}
