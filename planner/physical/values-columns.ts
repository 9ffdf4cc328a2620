/**
 * VALUES evaluated a column at a time. A multi-row INSERT's VALUES list is, column by column, the
 * same shape on every row: a literal or a parameter of one type, maybe under the same assignment
 * casts (numeric(12,2), varchar(n)). Such a column becomes one vector built from the values and
 * cast once as a whole, instead of one expression evaluation (and one tiny batch) per cell.
 *
 * PostgreSQL evaluates row by row, so with several bad values the first error is the first in row
 * order; the caller re-runs the row-wise evaluation when this one fails, to report that one.
 */
import type { DataType, Value } from '../../storage/types.js';
import { vectorFromValues, withType, type Vector } from '../../storage/vector.js';
import type { Expr } from '../expr.js';
import { castVector } from '../kernels/cast.js';
import { evaluateConstant, paramValue, type EvalContext } from '../kernels/eval.js';

interface CastStep {
  readonly type: DataType;
  readonly explicit: boolean;
}

/** The casts above a literal or parameter (outermost first) and that leaf; null for any other shape. */
function shapeOf(expr: Expr): { casts: CastStep[]; leaf: Extract<Expr, { kind: 'Literal' | 'Param' }> } | null {
  const casts: CastStep[] = [];
  let node = expr;
  while (node.kind === 'Cast') {
    casts.push({ type: node.type, explicit: node.explicit });
    node = node.arg;
  }
  if (node.kind !== 'Literal' && node.kind !== 'Param') return null;
  return { casts, leaf: node };
}

function sameType(a: DataType, b: DataType): boolean {
  return a.id === b.id && a.typmod === b.typmod;
}

/** Whether `expr` has exactly the cast chain and leaf type of `casts`/`leafType`. */
function sameShape(expr: Expr, casts: readonly CastStep[], leafType: DataType): boolean {
  let node = expr;
  for (const step of casts) {
    if (node.kind !== 'Cast' || node.explicit !== step.explicit || !sameType(node.type, step.type)) return false;
    node = node.arg;
  }
  return (node.kind === 'Literal' || node.kind === 'Param') && sameType(node.type, leafType);
}

function leafValue(expr: Expr, casts: number, context: EvalContext): Value {
  let node = expr;
  for (let i = 0; i < casts; i++) node = (node as Extract<Expr, { kind: 'Cast' }>).arg;
  return node.kind === 'Literal' ? node.value : paramValue((node as Extract<Expr, { kind: 'Param' }>).index, context);
}

/** Values of a column whose every row is a bare literal or parameter of `leafType`, else null. */
function bareValues(rows: readonly (readonly Expr[])[], column: number, leafType: DataType, context: EvalContext): Value[] | null {
  const n = rows.length;
  const values = new Array<Value>(n);
  for (let r = 0; r < n; r++) {
    const expr = (rows[r] as readonly Expr[])[column] as Expr;
    if (expr.kind === 'Param' && (expr.type === leafType || sameType(expr.type, leafType))) values[r] = paramValue(expr.index, context);
    else if (expr.kind === 'Literal' && (expr.type === leafType || sameType(expr.type, leafType))) values[r] = expr.value;
    else return null;
  }
  return values;
}

/** One column of the VALUES rows as a vector of type `type`. */
function valuesColumn(rows: readonly (readonly Expr[])[], column: number, type: DataType, context: EvalContext): Vector {
  const n = rows.length;
  const first = shapeOf(rows[0]?.[column] as Expr);
  if (first !== null && first.casts.length === 0) {
    // The common case (parameters or literals already of the column's type): one pass.
    const bare = bareValues(rows, column, first.leaf.type, context);
    if (bare !== null) {
      const vector = vectorFromValues(first.leaf.type, bare);
      return vector.type === type ? vector : withType(vector, type);
    }
  }
  const values = new Array<Value>(n);
  let uniform = first !== null;
  for (let r = 0; uniform && r < n; r++) uniform = sameShape((rows[r] as readonly Expr[])[column] as Expr, (first as NonNullable<typeof first>).casts, (first as NonNullable<typeof first>).leaf.type);
  if (first === null || !uniform) {
    for (let r = 0; r < n; r++) values[r] = evaluateConstant((rows[r] as readonly Expr[])[column] as Expr, context);
    return vectorFromValues(type, values);
  }
  const depth = first.casts.length;
  for (let r = 0; r < n; r++) values[r] = leafValue((rows[r] as readonly Expr[])[column] as Expr, depth, context);
  let vector = vectorFromValues(first.leaf.type, values);
  for (let i = depth - 1; i >= 0; i--) {
    const step = first.casts[i] as CastStep;
    vector = castVector(vector, step.type, context.settings, n, step.explicit);
  }
  return vector.type === type ? vector : withType(vector, type);
}

/** Every column of the VALUES rows, evaluated column-wise; throws the first error met that way. */
export function valuesColumns(rows: readonly (readonly Expr[])[], types: readonly DataType[], context: EvalContext): Vector[] {
  return types.map((type, c) => valuesColumn(rows, c, type, context));
}
