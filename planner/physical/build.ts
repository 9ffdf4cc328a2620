/** Turns an optimized LogicalPlan into a tree of physical operators. */
import { unreachable } from '../../storage/errors.js';
import type { Expr } from '../expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import { HashAggregateOperator } from './aggregate.js';
import { InsertOperator } from './insert.js';
import type { Operator } from './operator.js';
import { ScanOperator } from './scan.js';
import { FilterOperator, LimitOperator, ProjectOperator, ValuesOperator } from './simple-operators.js';
import { SortOperator } from './sort.js';

export function buildOperator(plan: LogicalPlan): Operator {
  switch (plan.kind) {
    case 'Scan':
      return new ScanOperator(plan.table, plan.columns, plan.filter);
    case 'Values':
      return new ValuesOperator(plan.rows, plan.schema);
    case 'Filter':
      return new FilterOperator(buildOperator(plan.input), plan.predicate, plan.input.schema.map((f) => f.name));
    case 'Project':
      return new ProjectOperator(buildOperator(plan.input), plan.exprs, plan.input.schema.map((f) => f.name));
    case 'Aggregate':
      return new HashAggregateOperator(buildOperator(plan.input), plan.groupBy, plan.aggregates, plan.schema, plan.input.schema.map((f) => f.name));
    case 'Distinct': {
      // DISTINCT is a grouping on every column with no aggregates.
      const keys: Expr[] = plan.schema.map((f, i) => ({ kind: 'Column', index: i, type: f.type }));
      return new HashAggregateOperator(buildOperator(plan.input), keys, [], plan.schema, plan.schema.map((f) => f.name));
    }
    case 'Sort':
      return new SortOperator(buildOperator(plan.input), plan.keys, plan.schema);
    case 'Limit':
      return new LimitOperator(buildOperator(plan.input), plan.limit, plan.offset);
    case 'Insert':
      return new InsertOperator(buildOperator(plan.input), plan.table);
    default:
      return unreachable(plan, 'logical plan node');
  }
}
