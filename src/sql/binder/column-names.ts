/**
 * PostgreSQL's FigureColname: the output column name of a select-list expression without alias.
 * Strength 2 is a real name (a column, a function), 1 a fallback (a type name, "case"), 0 none.
 */
import type * as Ast from '../ast.js';

export function figureColumnName(expr: Ast.Expr): string {
  return figure(expr)?.[0] ?? '?column?';
}

function figure(expr: Ast.Expr): [string, number] | null {
  switch (expr.kind) {
    case 'column':
      return [expr.parts[expr.parts.length - 1] ?? '?column?', 2];
    case 'call':
      return [expr.name, 2];
    case 'cast': {
      const inner = figure(expr.arg);
      return inner !== null && inner[1] > 1 ? inner : [expr.type.name, 1];
    }
    case 'case': {
      const inner = expr.otherwise === null ? null : figure(expr.otherwise);
      return inner !== null && inner[1] > 1 ? inner : ['case', 1];
    }
    case 'coalesce':
      return ['coalesce', 2];
    case 'nullif':
      return ['nullif', 2];
    case 'minmax':
      return [expr.op, 2];
    case 'array':
      return ['array', 2];
    case 'subquery':
      return expr.mode === 'array' ? ['array', 2] : null;
    case 'subscript':
      return figure(expr.arg);
    case 'sqlFunction':
      return [expr.name.replace(/_n$/, ''), 2];
    default:
      return null;
  }
}
