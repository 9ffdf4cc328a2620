/**
 * GROUP BY with GROUPING SETS, ROLLUP and CUBE, expanded as PostgreSQL does: each item of the
 * clause is a list of grouping sets, and the clause is their cross product (`GROUP BY a,
 * ROLLUP (b, c)` = (a, b, c), (a, b), (a)). The distinct expressions become the Aggregate's keys.
 */
import { DbError } from '../../../storage/errors.js';
import { exprKey, type Expr } from '../../../planner/expr.js';
import type * as Ast from '../ast.js';
import { positionOf } from './bind-expr.js';

/** PostgreSQL's limit on the expanded sets. */
const maxGroupingSets = 4096;

export interface GroupingSets {
  readonly groupBy: Expr[];
  /** Per set, the groupBy indexes it groups by (ascending, no repeats). */
  readonly sets: number[][];
}

export function expandGroupingSets(items: readonly Ast.GroupingItem[], distinct: boolean, bindItem: (ast: Ast.Expr) => Expr): GroupingSets {
  const groupBy: Expr[] = [];
  const indexOf = (ast: Ast.Expr): number => {
    const expr = bindItem(ast);
    const key = exprKey(expr);
    const found = groupBy.findIndex((g) => exprKey(g) === key);
    return found >= 0 ? found : groupBy.push(expr) - 1;
  };
  const tooMany = (location: number) => new DbError('54001', `too many grouping sets present (maximum ${maxGroupingSets})`).withPosition(positionOf(location));
  const expand = (item: Ast.GroupingItem): number[][] => {
    switch (item.kind) {
      case 'set':
        return [item.exprs.map(indexOf)];
      case 'rollup': {
        const elements = item.elements.map((list) => list.map(indexOf));
        const out: number[][] = [];
        for (let n = elements.length; n >= 0; n--) out.push(elements.slice(0, n).flat());
        return out;
      }
      case 'cube': {
        const elements = item.elements.map((list) => list.map(indexOf));
        if (elements.length > 12) throw tooMany(item.location);
        const out: number[][] = [];
        for (let mask = (1 << elements.length) - 1; mask >= 0; mask--) {
          out.push(elements.filter((_, i) => (mask & (1 << (elements.length - 1 - i))) !== 0).flat());
        }
        return out;
      }
      case 'sets':
        return item.items.flatMap(expand);
    }
  };
  let sets: number[][] = [[]];
  for (const item of items) {
    const expanded = expand(item);
    if (sets.length * expanded.length > maxGroupingSets) throw tooMany('location' in item ? item.location : -1);
    sets = sets.flatMap((s) => expanded.map((t) => [...s, ...t]));
  }
  const normalized = sets.map((s) => [...new Set(s)].sort((a, b) => a - b));
  if (!distinct) return { groupBy, sets: normalized };
  const seen = new Set<string>();
  return { groupBy, sets: normalized.filter((s) => !seen.has(s.join(',')) && seen.add(s.join(','))) };
}
