/** PostgreSQL's FigureColname: the output column name of a select-list expression without alias. */
import type * as Ast from '../ast.js';

export function figureColumnName(expr: Ast.Expr): string {
  return figure(expr) ?? '?column?';
}

function figure(expr: Ast.Expr): string | null {
  switch (expr.kind) {
    case 'column':
      return expr.parts[expr.parts.length - 1] ?? null;
    case 'call':
      return expr.name;
    case 'cast':
      return figure(expr.arg) ?? expr.type.name;
    case 'case':
      return 'case';
    case 'coalesce':
      return 'coalesce';
    case 'nullif':
      return 'nullif';
    case 'minmax':
      return expr.op;
    case 'sqlFunction':
      return expr.name;
    case 'literal':
      return expr.value.kind === 'bool' ? 'bool' : null;
    default:
      return null;
  }
}
