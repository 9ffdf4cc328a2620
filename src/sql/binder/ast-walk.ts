/** Walks the AST of an expression: finding aggregate calls at the current query level. */
import type * as Ast from '../ast.js';
import { isAggregateName } from './bind-aggregate.js';

export function containsAggregate(ast: Ast.Expr): boolean {
  let found = false;
  walkAst(ast, (e) => {
    if (e.kind === 'call' && isAggregateName(e.name) && !e.hasOver) found = true;
  });
  return found;
}

export function containsWindow(ast: Ast.Expr): boolean {
  let found = false;
  walkAst(ast, (e) => {
    if (e.kind === 'call' && e.over != null) found = true;
  });
  return found;
}

export function walkAst(ast: Ast.Expr, visit: (e: Ast.Expr) => void): void {
  visit(ast);
  const children: Ast.Expr[] = [];
  switch (ast.kind) {
    case 'binary':
    case 'distinctFrom':
    case 'nullif':
      children.push(ast.left, ast.right);
      break;
    case 'unary':
      children.push(ast.operand);
      break;
    case 'and':
    case 'or':
    case 'coalesce':
    case 'minmax':
      children.push(...ast.args);
      break;
    case 'not':
    case 'isNull':
    case 'isBool':
    case 'cast':
      children.push(ast.arg);
      break;
    case 'in':
      children.push(ast.arg, ...ast.list);
      break;
    case 'array':
      children.push(...ast.elements);
      break;
    case 'arrayCompare':
      children.push(ast.arg, ast.array);
      break;
    case 'subscript':
      children.push(ast.arg, ast.index);
      break;
    case 'between':
      children.push(ast.arg, ast.low, ast.high);
      break;
    case 'like':
      children.push(ast.arg, ast.pattern);
      break;
    case 'call':
      // Aggregate arguments are their own level; do not look inside for the outer query. A window
      // call's arguments and window clauses are evaluated at this level, after any grouping.
      if (!isAggregateName(ast.name) || ast.over != null) children.push(...ast.args);
      if (ast.over != null) {
        children.push(...ast.over.partitionBy, ...ast.over.orderBy.map((o) => o.expr));
        if (ast.filter !== null) children.push(ast.filter);
      }
      break;
    case 'case':
      if (ast.operand) children.push(ast.operand);
      for (const w of ast.whens) children.push(w.when, w.then);
      if (ast.otherwise) children.push(ast.otherwise);
      break;
    default:
      break;
  }
  for (const child of children) walkAst(child, visit);
}
