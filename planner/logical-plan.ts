/**
 * LogicalPlan: the bound, typed relational tree the binder produces and optimizer rules rewrite.
 * Plain data; every node carries its output schema.
 */
import type { TableDef } from '../storage/table-def.js';
import type { DataType } from '../storage/types.js';
import type { AggregateCall, Expr } from './expr.js';
import type { WindowCall } from './window-call.js';

export interface Field {
  readonly name: string;
  readonly type: DataType;
  /** Source table id and 1-based column number, or 0 when the field is computed. */
  readonly tableId: number;
  readonly columnNumber: number;
}

export interface SortKey {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export type LogicalPlan =
  | {
      readonly kind: 'Scan';
      readonly table: TableDef;
      /** Table column indexes read, in output order. */
      readonly columns: readonly number[];
      /** Predicate over the scan's output, pushed down; used for zone-map pruning and filtering. */
      readonly filter: Expr | null;
      readonly schema: readonly Field[];
    }
  | { readonly kind: 'Values'; readonly rows: readonly (readonly Expr[])[]; readonly schema: readonly Field[] }
  /** generate_series(start, stop[, step]) in FROM: one column of schema[0]'s type; constant arguments. */
  | { readonly kind: 'Series'; readonly start: Expr; readonly stop: Expr; readonly step: Expr | null; readonly schema: readonly Field[] }
  /**
   * A set-returning function over each input row (unnest, jsonb_array_elements ...): the row
   * repeated once per produced row, with the function's columns appended; no rows for a NULL
   * or empty argument. What a function in FROM referring to earlier FROM items, or one in the
   * select list, becomes.
   */
  | { readonly kind: 'Unnest'; readonly input: LogicalPlan; readonly fn: SetFunction; readonly arg: Expr; readonly schema: readonly Field[] }
  | { readonly kind: 'Filter'; readonly input: LogicalPlan; readonly predicate: Expr; readonly schema: readonly Field[] }
  | { readonly kind: 'Project'; readonly input: LogicalPlan; readonly exprs: readonly Expr[]; readonly schema: readonly Field[] }
  | {
      readonly kind: 'Aggregate';
      readonly input: LogicalPlan;
      readonly groupBy: readonly Expr[];
      readonly aggregates: readonly AggregateCall[];
      /**
       * GROUPING SETS / ROLLUP / CUBE: each set lists the groupBy indexes it groups by; the keys it
       * leaves out are NULL in its rows. Absent: one set of every key.
       */
      readonly groupingSets?: readonly (readonly number[])[];
      /** Group keys first, then one field per aggregate. */
      readonly schema: readonly Field[];
    }
  /**
   * Window functions sharing one PARTITION BY / ORDER BY: the input columns, then one column per
   * call. Output rows come in (partition, order) order.
   */
  | {
      readonly kind: 'Window';
      readonly input: LogicalPlan;
      readonly partitionBy: readonly Expr[];
      readonly orderBy: readonly SortKey[];
      readonly calls: readonly WindowCall[];
      readonly schema: readonly Field[];
    }
  | { readonly kind: 'Sort'; readonly input: LogicalPlan; readonly keys: readonly SortKey[]; readonly schema: readonly Field[] }
  | { readonly kind: 'Limit'; readonly input: LogicalPlan; readonly limit: Expr | null; readonly offset: Expr | null; readonly schema: readonly Field[] }
  | { readonly kind: 'Distinct'; readonly input: LogicalPlan; readonly schema: readonly Field[] }
  /** DISTINCT ON: the first row (in input order) of each group of equal `keys` columns. */
  | { readonly kind: 'DistinctOn'; readonly input: LogicalPlan; readonly keys: readonly number[]; readonly schema: readonly Field[] }
  | {
      readonly kind: 'SetOp';
      readonly op: 'union' | 'intersect' | 'except';
      readonly all: boolean;
      /** Both inputs already cast to the output column types. */
      readonly left: LogicalPlan;
      readonly right: LogicalPlan;
      readonly schema: readonly Field[];
    }
  | {
      readonly kind: 'Join';
      /** semi/anti: the left rows with (without) a matching right row; the schema is the left one. */
      readonly joinType: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';
      readonly left: LogicalPlan;
      readonly right: LogicalPlan;
      /** Over the left schema followed by the right one; null joins every pair (CROSS JOIN). */
      readonly condition: Expr | null;
      readonly schema: readonly Field[];
    }
  /**
   * WITH RECURSIVE: `initial` seeds the working table `id`, `recursive` reads it (WorkTable) and
   * adds rows until a round adds none. Both are optimized when bound; rules do not look inside.
   */
  | { readonly kind: 'RecursiveUnion'; readonly id: number; readonly all: boolean; readonly initial: LogicalPlan; readonly recursive: LogicalPlan; readonly schema: readonly Field[] }
  | { readonly kind: 'WorkTable'; readonly id: number; readonly schema: readonly Field[] }
  /**
   * A LATERAL join: `right` reads the left row through OuterRefs (slots of `outer`, expressions
   * over the left schema) and runs once per distinct `outer` value; `condition` is over the left
   * schema followed by the right one. LEFT keeps left rows with no right row, padded with NULLs.
   */
  | {
      readonly kind: 'Apply';
      readonly joinType: 'inner' | 'left';
      readonly left: LogicalPlan;
      readonly right: LogicalPlan;
      readonly outer: readonly Expr[];
      readonly condition: Expr | null;
      readonly schema: readonly Field[];
    }
  | {
      readonly kind: 'Insert';
      readonly table: TableDef;
      /** Produces every table column in table order, already cast to the column types. */
      readonly input: LogicalPlan;
      readonly schema: readonly Field[];
    };

/** Set-returning functions an Unnest node runs (see planner/kernels/set-functions.ts). */
export type SetFunction =
  | 'unnest'
  | 'jsonb_array_elements'
  | 'jsonb_array_elements_text'
  | 'jsonb_object_keys'
  | 'jsonb_each'
  | 'jsonb_each_text';

export function childPlans(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case 'Scan':
    case 'Values':
    case 'WorkTable':
    case 'RecursiveUnion':
    case 'Series':
      return [];
    case 'Filter':
    case 'Project':
    case 'Aggregate':
    case 'Window':
    case 'Sort':
    case 'Limit':
    case 'Distinct':
    case 'DistinctOn':
    case 'Insert':
    case 'Unnest':
      return [plan.input];
    case 'Join':
    case 'SetOp':
    case 'Apply':
      return [plan.left, plan.right];
  }
}
