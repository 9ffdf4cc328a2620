/**
 * Row constructors in comparisons: (a, b) = (c, d) is a = c AND b = d, <> is any pair differing,
 * and < <= > >= compare lexicographically — a1 < b1 OR (a1 = b1 AND (a2 < b2 ...)) — which gives
 * PostgreSQL's NULL answers too (a NULL before the deciding pair makes the result NULL).
 * (a, b) IN ((1, 2), (3, 4)) is an OR of row equalities.
 */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import { Types } from '../../../storage/types.js';
import type { Expr } from '../../../planner/expr.js';
import type * as Ast from '../ast.js';
import { positionOf } from './bind-expr.js';

type Compare = (op: string, left: Ast.Expr, right: Ast.Expr, location: number) => Expr;

const BOOL = Types.bool;

function rowArgs(ast: Ast.Expr): readonly Ast.Expr[] | null {
  return ast.kind === 'row' ? ast.args : null;
}

/** A comparison where either side is a row constructor. */
export function bindRowComparison(op: string, leftAst: Ast.Expr, rightAst: Ast.Expr, location: number, compare: Compare): Expr {
  const left = rowArgs(leftAst);
  const right = rowArgs(rightAst);
  const at = positionOf(location);
  if (left === null || right === null) throw featureNotSupported('comparing a row constructor with a row value').withPosition(at);
  if (left.length !== right.length) throw new DbError('42601', 'unequal number of entries in row expressions').withPosition(at);
  if (left.length === 0) throw featureNotSupported('comparing empty rows').withPosition(at);
  const pairs = left.map((l, i) => ({ l, r: right[i] as Ast.Expr }));
  if (op === '=' || op === '<>') {
    const parts = pairs.map(({ l, r }) => compare(op, l, r, location));
    return parts.length === 1 ? (parts[0] as Expr) : { kind: op === '=' ? 'And' : 'Or', args: parts, type: BOOL };
  }
  if (!['<', '<=', '>', '>='].includes(op)) throw new DbError('42883', `could not determine interpretation of row comparison operator ${op}`).withPosition(at);
  const strict = op.charAt(0);
  // From the last pair backwards: last uses op itself; earlier ones use the strict form.
  let result = compare(op, (pairs[pairs.length - 1] as { l: Ast.Expr }).l, (pairs[pairs.length - 1] as { r: Ast.Expr }).r, location);
  for (let i = pairs.length - 2; i >= 0; i--) {
    const { l, r } = pairs[i] as { l: Ast.Expr; r: Ast.Expr };
    const decided = compare(strict, l, r, location);
    const tie = compare('=', l, r, location);
    result = { kind: 'Or', args: [decided, { kind: 'And', args: [tie, result], type: BOOL }], type: BOOL };
  }
  return result;
}

/** (a, b) [NOT] IN ((1, 2), (3, 4)): each item must be a row of the same width. */
export function bindRowIn(ast: Extract<Ast.Expr, { kind: 'in' }>, compare: Compare): Expr {
  const matches = ast.list.map((item) => bindRowComparison('=', ast.arg, item, ast.location, compare));
  const any: Expr = matches.length === 1 ? (matches[0] as Expr) : { kind: 'Or', args: matches, type: BOOL };
  return ast.negated ? { kind: 'Not', arg: any, type: BOOL } : any;
}
