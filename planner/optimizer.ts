/**
 * The optimizer: rules that rewrite a LogicalPlan, each reporting whether it changed anything, run
 * to a fixed point; then column pruning, so a scan reads only the columns the query touches.
 */
import type { Expr } from './expr.js';
import { aggregateInputs, columnsUsed, forEachExpr, mapAggregateInputs, remapColumns } from './expr.js';
import { childPlans, type LogicalPlan } from './logical-plan.js';
import { Types } from '../storage/types.js';
import { mapWindowCallExprs, windowCallExprs } from './window-call.js';

export interface Rule {
  readonly name: string;
  /** The rewritten node, or null when the rule does not apply to this node. */
  apply(plan: LogicalPlan): LogicalPlan | null;
}

/** Filter directly over a Scan becomes the scan's own filter (zone-map pruning sees it). */
export const pushFilterIntoScan: Rule = {
  name: 'push_filter_into_scan',
  apply(plan) {
    if (plan.kind !== 'Filter' || plan.input.kind !== 'Scan') return null;
    const scan = plan.input;
    // A correlated subquery runs in the Filter operator, so conjuncts holding one stay there.
    const conjuncts = plan.predicate.kind === 'And' ? plan.predicate.args : [plan.predicate];
    const stays = conjuncts.filter(hasCorrelated);
    const pushed = conjuncts.filter((c) => !hasCorrelated(c));
    if (pushed.length === 0) return null;
    const predicate: Expr = pushed.length === 1 ? (pushed[0] as Expr) : { kind: 'And', args: pushed, type: Types.bool };
    const filter: Expr = scan.filter === null ? predicate : { kind: 'And', args: [scan.filter, predicate], type: Types.bool };
    if (stays.length === 0) return { ...scan, filter };
    const kept: Expr = stays.length === 1 ? (stays[0] as Expr) : { kind: 'And', args: stays, type: Types.bool };
    return { ...plan, input: { ...scan, filter }, predicate: kept };
  },
};

function hasCorrelated(expr: Expr): boolean {
  let found = false;
  forEachExpr(expr, (e) => {
    if (e.kind === 'Subquery' && e.correlated) found = true;
  });
  return found;
}

/** Adjacent filters merge into one conjunction. */
export const mergeFilters: Rule = {
  name: 'merge_filters',
  apply(plan) {
    if (plan.kind !== 'Filter' || plan.input.kind !== 'Filter') return null;
    const inner = plan.input;
    return { ...inner, predicate: { kind: 'And', args: [inner.predicate, plan.predicate], type: Types.bool } };
  },
};

export const defaultRules: readonly Rule[] = [mergeFilters, pushFilterIntoScan];

const maxPasses = 16;

export function optimize(plan: LogicalPlan, rules: readonly Rule[] = defaultRules): LogicalPlan {
  let current = plan;
  for (let pass = 0; pass < maxPasses; pass++) {
    const [next, changed] = rewrite(current, rules);
    current = next;
    if (!changed) break;
  }
  return pruneColumns(current, new Set(current.schema.map((_, i) => i))).plan;
}

function rewrite(plan: LogicalPlan, rules: readonly Rule[]): [LogicalPlan, boolean] {
  let changed = false;
  let node = plan;
  for (const rule of rules) {
    const next = rule.apply(node);
    if (next !== null) {
      node = next;
      changed = true;
    }
  }
  if (node.kind === 'Join' || node.kind === 'SetOp' || node.kind === 'Apply') {
    const [left, leftChanged] = rewrite(node.left, rules);
    const [right, rightChanged] = rewrite(node.right, rules);
    if (leftChanged || rightChanged) {
      node = { ...node, left, right };
      changed = true;
    }
    return [node, changed];
  }
  const children = childPlans(node);
  if (children.length === 1) {
    const [child, childChanged] = rewrite(children[0] as LogicalPlan, rules);
    if (childChanged) {
      node = { ...node, input: child } as LogicalPlan;
      changed = true;
    }
  }
  return [node, changed];
}

interface Pruned {
  readonly plan: LogicalPlan;
  /** Old output index -> new output index. */
  readonly map: (index: number) => number;
}

const identity = (i: number) => i;

function allColumns(plan: LogicalPlan): Set<number> {
  return new Set(plan.schema.map((_, i) => i));
}

function exprColumns(exprs: readonly (Expr | null)[]): Set<number> {
  const used = new Set<number>();
  for (const e of exprs) if (e !== null) columnsUsed(e, used);
  return used;
}

/** Narrows Scans (and the Filters over them) to the columns the nodes above reference. */
function pruneColumns(plan: LogicalPlan, needed: Set<number>): Pruned {
  switch (plan.kind) {
    case 'Scan': {
      const wanted = new Set(needed);
      if (plan.filter !== null) columnsUsed(plan.filter, wanted);
      const keep = [...wanted].sort((a, b) => a - b);
      if (keep.length === plan.columns.length) return { plan, map: identity };
      const position = new Map(keep.map((old, i) => [old, i]));
      const map = (i: number) => position.get(i) ?? -1;
      return {
        plan: {
          ...plan,
          columns: keep.map((i) => plan.columns[i] as number),
          schema: keep.map((i) => plan.schema[i]!),
          filter: plan.filter === null ? null : remapColumns(plan.filter, map),
        },
        map,
      };
    }
    case 'Filter': {
      const wanted = new Set(needed);
      columnsUsed(plan.predicate, wanted);
      const child = pruneColumns(plan.input, wanted);
      return { plan: { ...plan, input: child.plan, predicate: remapColumns(plan.predicate, child.map), schema: child.plan.schema }, map: child.map };
    }
    case 'Project': {
      const child = pruneColumns(plan.input, exprColumns(plan.exprs));
      return { plan: { ...plan, input: child.plan, exprs: plan.exprs.map((e) => remapColumns(e, child.map)) }, map: identity };
    }
    case 'Aggregate': {
      const child = pruneColumns(plan.input, exprColumns([...plan.groupBy, ...plan.aggregates.flatMap(aggregateInputs)]));
      return {
        plan: {
          ...plan,
          input: child.plan,
          groupBy: plan.groupBy.map((g) => remapColumns(g, child.map)),
          aggregates: plan.aggregates.map((a) => mapAggregateInputs(a, (e) => remapColumns(e, child.map))),
        },
        map: identity,
      };
    }
    case 'Window':
      return pruneWindow(plan, needed);
    case 'Sort':
    case 'Limit':
    case 'Distinct':
    case 'DistinctOn':
    case 'Insert':
    case 'Unnest': {
      // These keep their input's schema; the Project or Aggregate beneath does the narrowing.
      const child = pruneColumns(plan.input, allColumns(plan.input));
      return { plan: { ...plan, input: child.plan } as LogicalPlan, map: identity };
    }
    case 'Values':
    case 'WorkTable':
    case 'RecursiveUnion':
    case 'Series':
      // A recursive query's parts were optimized when bound; its columns feed its own rounds.
      return { plan, map: identity };
    case 'SetOp': {
      // Every column takes part in the row comparison: both inputs keep all their columns.
      const left = pruneColumns(plan.left, allColumns(plan.left));
      const right = pruneColumns(plan.right, allColumns(plan.right));
      return { plan: { ...plan, left: left.plan, right: right.plan }, map: identity };
    }
    case 'Join':
    case 'Apply': {
      const width = plan.left.schema.length;
      const wanted = new Set(needed);
      if (plan.condition !== null) columnsUsed(plan.condition, wanted);
      // A LATERAL right side reads the left row through `outer`; its own columns all stay.
      if (plan.kind === 'Apply') for (const e of plan.outer) columnsUsed(e, wanted);
      const leftNeeded = new Set([...wanted].filter((i) => i < width));
      const rightNeeded = new Set([...wanted].filter((i) => i >= width).map((i) => i - width));
      const left = pruneColumns(plan.left, leftNeeded);
      const right = pruneColumns(plan.right, plan.kind === 'Apply' ? allColumns(plan.right) : rightNeeded);
      const newWidth = left.plan.schema.length;
      const map = (i: number) => (i < width ? left.map(i) : newWidth + right.map(i - width));
      return {
        plan: {
          ...plan,
          left: left.plan,
          right: right.plan,
          condition: plan.condition === null ? null : remapColumns(plan.condition, map),
          ...(plan.kind === 'Apply' ? { outer: plan.outer.map((e) => remapColumns(e, left.map)) } : {}),
          schema: plan.joinType === 'semi' || plan.joinType === 'anti' ? left.plan.schema : [...left.plan.schema, ...right.plan.schema],
        } as LogicalPlan,
        map,
      };
    }
  }
}

/** A Window passes its input columns through: the input keeps what is needed above plus what the calls read. */
function pruneWindow(plan: Extract<LogicalPlan, { kind: 'Window' }>, needed: Set<number>): Pruned {
  const width = plan.input.schema.length;
  const wanted = new Set([...needed].filter((i) => i < width));
  for (const e of [...plan.partitionBy, ...plan.orderBy.map((k) => k.expr), ...plan.calls.flatMap(windowCallExprs)]) columnsUsed(e, wanted);
  const child = pruneColumns(plan.input, wanted);
  const newWidth = child.plan.schema.length;
  const remap = (e: Expr) => remapColumns(e, child.map);
  return {
    plan: {
      ...plan,
      input: child.plan,
      partitionBy: plan.partitionBy.map(remap),
      orderBy: plan.orderBy.map((k) => ({ ...k, expr: remap(k.expr) })),
      calls: plan.calls.map((c) => mapWindowCallExprs(c, remap)),
      schema: [...child.plan.schema, ...plan.schema.slice(width)],
    },
    map: (i) => (i < width ? child.map(i) : newWidth + i - width),
  };
}
