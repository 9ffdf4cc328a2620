/**
 * WITH RECURSIVE name AS (non-recursive term UNION [ALL] recursive term): the first term fixes
 * the column types; the second reads `name` as the previous round's rows (a WorkTable) and its
 * output is cast to those types, or refused as PostgreSQL refuses it (42804).
 */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import type { Expr } from '../../../planner/expr.js';
import type { Field, LogicalPlan } from '../../../planner/logical-plan.js';
import { optimize } from '../../../planner/optimizer.js';
import type { Catalog } from '../../catalog/catalog.js';
import type * as Ast from '../ast.js';
import { ExprBinder, positionOf, type BindContext } from './bind-expr.js';
import type { BoundCte, CteScope, QueryBinder } from './bind-from.js';
import { commonTypeOfList } from './coercion.js';
import { Scope } from './scope.js';

let nextWorkTableId = 1;

/** Whether `name` appears as an unqualified table reference anywhere in `node`. */
function referencesName(node: unknown, name: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((child) => referencesName(child, name));
  const record = node as Record<string, unknown>;
  if (record['kind'] === 'table') {
    const qualified = record['name'] as Ast.QualifiedName;
    if (qualified.schema === null && qualified.name === name) return true;
  }
  return Object.values(record).some((child) => referencesName(child, name));
}

/** The bound recursive CTE, or null when `cte` does not read itself (then it is an ordinary one). */
export function bindRecursiveCte(cte: Ast.CommonTableExpr, context: BindContext, catalog: Catalog, ctes: CteScope, bindQuery: QueryBinder): BoundCte | null {
  const query = cte.query;
  if (!cte.recursive || !referencesName(query, cte.name)) return null;
  const at = positionOf(cte.location);
  if (query.kind !== 'setop' || query.op !== 'union') {
    throw new DbError('42P19', `recursive query "${cte.name}" does not have the form non-recursive-term UNION [ALL] recursive-term`).withPosition(at);
  }
  if (referencesName(query.left, cte.name)) {
    throw new DbError('42P19', `recursive reference to query "${cte.name}" must not appear within its non-recursive term`).withPosition(at);
  }
  if (query.orderBy.length > 0) throw featureNotSupported('ORDER BY in a recursive query').withPosition(at);
  if (query.limit !== null || query.offset !== null) throw featureNotSupported('OFFSET/LIMIT in a recursive query').withPosition(at);
  if (query.with.length > 0) throw featureNotSupported('WITH inside a recursive query term').withPosition(at);

  const initial = bindQuery(query.left, context, catalog, ctes);
  if (cte.columnAliases.length > initial.schema.length) {
    throw new DbError('42P10', `WITH query "${cte.name}" has ${initial.schema.length} columns available but ${cte.columnAliases.length} columns specified`).withPosition(at);
  }
  const names = initial.schema.map((f, i) => cte.columnAliases[i] ?? f.name);
  const id = nextWorkTableId++;
  const schema: Field[] = initial.schema.map((f, i) => ({ ...f, name: names[i] as string }));
  const inner = new Map(ctes);
  inner.set(cte.name, { plan: { kind: 'WorkTable', id, schema }, names });
  let recursive = bindQuery(query.right, context, catalog, inner);
  if (recursive.schema.length !== schema.length) throw new DbError('42601', 'each UNION query must have the same number of columns').withPosition(at);

  const binder = new ExprBinder(context, Scope.empty(), 'SELECT');
  let needsCast = false;
  const exprs = recursive.schema.map((field, i): Expr => {
    const target = (schema[i] as Field).type;
    const column: Expr = { kind: 'Column', index: i, type: field.type };
    if (field.type.id === target.id) return column;
    const overall = commonTypeOfList([target, field.type]);
    if (overall === null) throw new DbError('42804', `UNION types ${target.name} and ${field.type.name} cannot be matched`).withPosition(at);
    if (overall.id !== target.id) {
      throw new DbError('42804', `recursive query "${cte.name}" column ${i + 1} has type ${target.name} in non-recursive term but type ${overall.name} overall`, {
        hint: 'Cast the output of the non-recursive term to the correct type.',
      }).withPosition(at);
    }
    needsCast = true;
    return binder.coerce(column, target, 'implicit', cte.location);
  });
  if (needsCast) recursive = { kind: 'Project', input: recursive, exprs, schema };
  const plan: LogicalPlan = { kind: 'RecursiveUnion', id, all: query.all, initial: optimize(initial), recursive: optimize(recursive), schema };
  return { plan, names };
}
