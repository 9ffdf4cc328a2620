/** Turns an optimized LogicalPlan into a tree of physical operators. */
import { unreachable } from '../../storage/errors.js';
import { columnsUsed, remapColumns, type Expr } from '../expr.js';
import { Types, type DataType } from '../../storage/types.js';
import { JoinOperator } from './join.js';
import { ApplyOperator } from './apply.js';
import { DistinctOnOperator } from './distinct-on.js';
import { SetOpOperator } from './set-op.js';
import { RecursiveUnionOperator, WorkTableScanOperator } from './recursive-union.js';
import type { LogicalPlan } from '../logical-plan.js';
import { HashAggregateOperator } from './aggregate.js';
import { InsertOperator } from './insert.js';
import type { Operator } from './operator.js';
import { ScanOperator } from './scan.js';
import { FilterOperator, LimitOperator, ProjectOperator, ValuesOperator } from './simple-operators.js';
import { SeriesOperator } from './series.js';
import { UnnestOperator } from './unnest.js';
import { SortOperator } from './sort.js';
import { WindowOperator } from './window.js';
import { parallelAggregate } from '../parallel/parallel-aggregate.js';

export function buildOperator(plan: LogicalPlan): Operator {
  switch (plan.kind) {
    case 'Scan':
      return new ScanOperator(plan.table, plan.columns, plan.filter);
    case 'Values':
      return new ValuesOperator(plan.rows, plan.schema);
    case 'Series':
      return new SeriesOperator(plan.start, plan.stop, plan.step, (plan.schema[0] as { type: DataType }).type);
    case 'Filter':
      return new FilterOperator(buildOperator(plan.input), plan.predicate, plan.input.schema.map((f) => f.name));
    case 'Project':
      return new ProjectOperator(buildOperator(plan.input), plan.exprs, plan.input.schema.map((f) => f.name));
    case 'Aggregate': {
      const local = new HashAggregateOperator(buildOperator(plan.input), plan.groupBy, plan.aggregates, plan.schema, plan.input.schema.map((f) => f.name), plan.groupingSets ?? null);
      return parallelAggregate(plan, local) ?? local;
    }
    case 'Distinct': {
      // DISTINCT is a grouping on every column with no aggregates.
      const keys: Expr[] = plan.schema.map((f, i) => ({ kind: 'Column', index: i, type: f.type }));
      return new HashAggregateOperator(buildOperator(plan.input), keys, [], plan.schema, plan.schema.map((f) => f.name));
    }
    case 'DistinctOn':
      return new DistinctOnOperator(buildOperator(plan.input), plan.keys, plan.schema.map((f) => f.name));
    case 'Window':
      return new WindowOperator(buildOperator(plan.input), plan.partitionBy, plan.orderBy, plan.calls, plan.input.schema);
    case 'Sort':
      return new SortOperator(buildOperator(plan.input), plan.keys, plan.schema);
    case 'Limit':
      return new LimitOperator(buildOperator(plan.input), plan.limit, plan.offset);
    case 'Insert':
      return new InsertOperator(buildOperator(plan.input), plan.table);
    case 'Join':
      return buildJoin(plan);
    case 'SetOp':
      return new SetOpOperator(buildOperator(plan.left), buildOperator(plan.right), plan.op, plan.all, plan.schema);
    case 'RecursiveUnion':
      return new RecursiveUnionOperator(buildOperator(plan.initial), buildOperator(plan.recursive), plan.id, plan.all);
    case 'WorkTable':
      return new WorkTableScanOperator(plan.id);
    case 'Unnest': {
      const width = plan.input.schema.length;
      const types = plan.schema.slice(width).map((f) => f.type);
      return new UnnestOperator(buildOperator(plan.input), plan.fn, plan.arg, types, plan.input.schema.map((f) => f.name));
    }
    case 'Apply':
      return new ApplyOperator(buildOperator(plan.left), buildOperator(plan.right), plan.joinType, plan.outer, plan.condition, plan.left.schema, plan.right.schema);
    default:
      return unreachable(plan, 'logical plan node');
  }
}

/** Splits a join condition into equality keys (one side each) and the residual rest. */
function buildJoin(plan: Extract<LogicalPlan, { kind: 'Join' }>): Operator {
  const width = plan.left.schema.length;
  const conjuncts = plan.condition === null ? [] : plan.condition.kind === 'And' ? plan.condition.args : [plan.condition];
  const leftKeys: Expr[] = [];
  const rightKeys: Expr[] = [];
  const residual: Expr[] = [];
  const side = (e: Expr): 'left' | 'right' | null => {
    const used = [...columnsUsed(e)];
    if (used.length === 0) return null;
    if (used.every((i) => i < width)) return 'left';
    if (used.every((i) => i >= width)) return 'right';
    return null;
  };
  for (const c of conjuncts) {
    if (c.kind === 'Call' && c.fn === 'eq') {
      const [a, b] = c.args as [Expr, Expr];
      const sa = side(a);
      const sb = side(b);
      if (sa === 'left' && sb === 'right') {
        leftKeys.push(a);
        rightKeys.push(remapColumns(b, (i) => i - width));
        continue;
      }
      if (sa === 'right' && sb === 'left') {
        leftKeys.push(b);
        rightKeys.push(remapColumns(a, (i) => i - width));
        continue;
      }
    }
    residual.push(c);
  }
  const rest: Expr | null = residual.length === 0 ? null : residual.length === 1 ? (residual[0] as Expr) : { kind: 'And', args: residual, type: Types.bool };
  return new JoinOperator(buildOperator(plan.left), buildOperator(plan.right), plan.joinType, leftKeys, rightKeys, rest, plan.left.schema, plan.right.schema);
}
