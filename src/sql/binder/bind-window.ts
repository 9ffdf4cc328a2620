/**
 * Window function calls: OVER (...) and WINDOW w AS (...) resolved into WindowCalls, grouped by
 * their PARTITION BY / ORDER BY into Window plan nodes stacked over the query's input (after any
 * aggregation), with PostgreSQL's names, result types and 42P20/0A000 errors.
 *
 * While a select list is bound, a window call becomes a placeholder column `windowColumnBase + k`
 * (the width below the windows is not known yet when aggregates are still being collected);
 * `applyWindows` builds the nodes and maps placeholders to the real output columns.
 */
import { DbError, featureNotSupported, undefinedFunction } from '../../../storage/errors.js';
import { Types, type DataType } from '../../../storage/types.js';
import { columnsUsed, exprKey, remapColumns, type Expr } from '../../../planner/expr.js';
import type { Field, LogicalPlan, SortKey } from '../../../planner/logical-plan.js';
import { defaultFrame, type FrameBound, type WindowCall, type WindowFrame, type WindowFunction } from '../../../planner/window-call.js';
import type * as Ast from '../ast.js';
import { bindAggregateCall, isAggregateName } from './bind-aggregate.js';
import { ExprBinder, positionOf, typeLabel } from './bind-expr.js';
import { commonTypeOfList } from './coercion.js';

const windowColumnBase = 1 << 28;

const windowOnly: Record<string, number[]> = {
  row_number: [0],
  rank: [0],
  dense_rank: [0],
  percent_rank: [0],
  cume_dist: [0],
  ntile: [1],
  lag: [1, 2, 3],
  lead: [1, 2, 3],
  first_value: [1],
  last_value: [1],
  nth_value: [2],
};

export function isWindowFunctionName(name: string): boolean {
  return Object.hasOwn(windowOnly, name);
}

interface Registered {
  readonly groupKey: string;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
  readonly call: WindowCall;
  readonly key: string;
}

/** The window calls of one query level, and its WINDOW definitions. */
export class WindowScope {
  readonly calls: Registered[] = [];
  readonly definitions = new Map<string, Ast.WindowSpec>();
  constructor(definitions: readonly Ast.WindowSpec[]) {
    for (const d of definitions) {
      const name = d.name ?? '';
      if (this.definitions.has(name)) throw new DbError('42P20', `window "${name}" is already defined`).withPosition(positionOf(d.location));
      this.definitions.set(name, d);
    }
  }
}

/** PostgreSQL's FRAMEOPTION_* bits (nodes/parsenodes.h). */
const Frame = {
  nonDefault: 0x1,
  range: 0x2,
  rows: 0x4,
  groups: 0x8,
  startUnboundedPreceding: 0x20,
  startUnboundedFollowing: 0x80,
  endUnboundedPreceding: 0x40,
  endUnboundedFollowing: 0x100,
  startCurrentRow: 0x200,
  endCurrentRow: 0x400,
  startOffsetPreceding: 0x800,
  endOffsetPreceding: 0x1000,
  startOffsetFollowing: 0x2000,
  endOffsetFollowing: 0x4000,
  excludeCurrentRow: 0x8000,
  excludeGroup: 0x10000,
  excludeTies: 0x20000,
} as const;

/** OVER w, OVER (w ...) and WINDOW w2 AS (w ...) merged into one spec, as PostgreSQL does. */
function resolveSpec(spec: Ast.WindowSpec, scope: WindowScope, isOverName: boolean): Ast.WindowSpec {
  if (isOverName && spec.name !== null) {
    const def = scope.definitions.get(spec.name);
    if (def === undefined) throw new DbError('42704', `window "${spec.name}" does not exist`).withPosition(positionOf(spec.location));
    return resolveSpec({ ...def, name: null }, scope, false);
  }
  if (spec.refName === null) return spec;
  const base = scope.definitions.get(spec.refName);
  if (base === undefined) throw new DbError('42704', `window "${spec.refName}" does not exist`).withPosition(positionOf(spec.location));
  const resolved = resolveSpec({ ...base, name: null }, scope, false);
  const at = positionOf(spec.location);
  if (spec.partitionBy.length > 0) throw new DbError('42P20', `cannot override PARTITION BY clause of window "${spec.refName}"`).withPosition(at);
  if (spec.orderBy.length > 0 && resolved.orderBy.length > 0) throw new DbError('42P20', `cannot override ORDER BY clause of window "${spec.refName}"`).withPosition(at);
  if ((resolved.frameOptions & Frame.nonDefault) !== 0) throw new DbError('42P20', `cannot copy window "${spec.refName}" because it has a frame clause`).withPosition(at);
  return { ...spec, refName: null, partitionBy: resolved.partitionBy, orderBy: spec.orderBy.length > 0 ? spec.orderBy : resolved.orderBy };
}

/** Binds `fn(...) OVER ...` where window functions are allowed; elsewhere 42P20. */
export function bindWindowCall(ast: Extract<Ast.Expr, { kind: 'call' }>, binder: ExprBinder): Expr {
  const at = positionOf(ast.location);
  const scope = binder.windowScope;
  if (scope === 'nested') throw new DbError('42P20', 'window function calls cannot be nested').withPosition(at);
  if (scope === null) throw new DbError('42P20', `window functions are not allowed in ${binder.place}`).withPosition(at);
  const over = ast.over as Ast.WindowSpec;
  const spec = resolveSpec(over, scope, over.name !== null);
  const inner = new ExprBinder(binder.context, binder.scope, binder.place, binder.aggregateScope, 'nested');
  const partitionBy = spec.partitionBy.map((e) => inner.resolveUnknown(inner.bind(e)));
  const orderBy: SortKey[] = spec.orderBy.map((item) => ({
    expr: inner.resolveUnknown(inner.bind(item.expr)),
    descending: item.descending,
    nullsFirst: item.nullsFirst ?? item.descending,
  }));
  for (const e of [...partitionBy, ...orderBy.map((k) => k.expr)]) {
    if (e.type.id === 'jsonb') throw featureNotSupported('ordering or grouping by jsonb').withPosition(at);
  }
  const bound = bindFunction(ast, inner);
  const frame = bound.framed ? bindFrame(spec, orderBy, inner) : defaultFrame;
  const call: WindowCall = { fn: bound.fn, args: bound.args, filter: bound.filter, frame, type: bound.type };
  const groupKey = exprKey({ partitionBy, orderBy });
  const key = exprKey({ groupKey, call });
  let index = scope.calls.findIndex((c) => c.key === key);
  if (index < 0) index = scope.calls.push({ groupKey, partitionBy, orderBy, call, key }) - 1;
  return { kind: 'Column', index: windowColumnBase + index, type: call.type };
}

interface BoundFunction {
  readonly fn: WindowFunction;
  readonly args: Expr[];
  readonly filter: Expr | null;
  readonly type: DataType;
  /** Whether the frame matters (aggregates, first/last/nth_value). */
  readonly framed: boolean;
}

function bindFunction(ast: Extract<Ast.Expr, { kind: 'call' }>, binder: ExprBinder): BoundFunction {
  const at = positionOf(ast.location);
  if (isAggregateName(ast.name) && (ast.schema === null || ast.schema === 'pg_catalog')) {
    if (ast.distinct) throw featureNotSupported('DISTINCT for window functions').withPosition(at);
    if (ast.hasOrder) throw featureNotSupported('aggregate ORDER BY for window functions').withPosition(at);
    if (!['count', 'sum', 'avg', 'min', 'max'].includes(ast.name)) throw featureNotSupported(`${ast.name} as a window function`).withPosition(at);
    const call = bindAggregateCall(ast, binder, true);
    return { fn: call.fn, args: call.arg === null ? [] : [call.arg], filter: call.filter, type: call.type, framed: true };
  }
  const arities = windowOnly[ast.name];
  if (arities === undefined || ast.schema !== null) {
    const def = binder.context.functions.lookup(ast.name);
    if (def !== undefined) throw new DbError('42809', `OVER specified, but ${ast.name} is not a window function nor an aggregate function`).withPosition(at);
    throw undefinedFunction(`${ast.name}(${ast.args.map((a) => typeLabel(binder.bind(a).type)).join(', ')})`).withPosition(at);
  }
  if (ast.filter !== null) throw featureNotSupported('FILTER for non-aggregate window functions').withPosition(at);
  if (ast.star || ast.distinct) throw new DbError('42809', `${ast.star ? '*' : 'DISTINCT'} specified, but ${ast.name} is not an aggregate function`).withPosition(at);
  const args = ast.args.map((a) => binder.bind(a));
  if (!arities.includes(args.length)) throw undefinedFunction(`${ast.name}(${args.map((a) => typeLabel(a.type)).join(', ')})`).withPosition(at);
  const int4 = (e: Expr, location: number) => binder.coerce(e, Types.int4, 'implicit', location);
  const fn = ast.name as WindowFunction;
  const loc = (i: number) => ast.args[i]?.location ?? ast.location;
  switch (fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      return { fn, args: [], filter: null, type: Types.int8, framed: false };
    case 'percent_rank':
    case 'cume_dist':
      return { fn, args: [], filter: null, type: Types.float8, framed: false };
    case 'ntile':
      return { fn, args: [int4(args[0] as Expr, loc(0))], filter: null, type: Types.int4, framed: false };
    case 'lag':
    case 'lead': {
      // lag(anycompatible, integer, anycompatible): value and default share their common type.
      const value = args[0] as Expr;
      const fallback = args[2];
      let type = value.type;
      if (fallback !== undefined) {
        const common = commonTypeOfList([value.type, fallback.type]);
        if (common === null) throw undefinedFunction(`${fn}(${args.map((a) => typeLabel(a.type)).join(', ')})`).withPosition(at);
        type = common;
      }
      // Only the three-argument form is anycompatible; the others take anyelement.
      if (type.id === 'unknown' && fallback === undefined) throw new DbError('42804', 'could not determine polymorphic type because input has type unknown').withPosition(at);
      if (type.id === 'unknown') type = Types.text;
      const out = [binder.coerce(value, type, 'implicit', loc(0))];
      if (args.length > 1) out.push(int4(args[1] as Expr, loc(1)));
      if (fallback !== undefined) out.push(binder.coerce(fallback, type, 'implicit', loc(2)));
      return { fn, args: out, filter: null, type, framed: false };
    }
    case 'first_value':
    case 'last_value':
    case 'nth_value': {
      // anyelement, unlike lag/lead's anycompatible, cannot be resolved from an unknown literal.
      const value = args[0] as Expr;
      if (value.type.id === 'unknown') throw new DbError('42804', 'could not determine polymorphic type because input has type unknown').withPosition(at);
      const out = fn === 'nth_value' ? [value, int4(args[1] as Expr, loc(1))] : [value];
      return { fn, args: out, filter: null, type: value.type, framed: true };
    }
    default:
      throw undefinedFunction(ast.name).withPosition(at);
  }
}

function bindFrame(spec: Ast.WindowSpec, orderBy: readonly SortKey[], binder: ExprBinder): WindowFrame {
  const options = spec.frameOptions;
  if ((options & Frame.nonDefault) === 0) return defaultFrame;
  const at = positionOf(spec.location);
  const mode = (options & Frame.rows) !== 0 ? 'rows' : (options & Frame.groups) !== 0 ? 'groups' : 'range';
  const hasOffset = (options & (Frame.startOffsetPreceding | Frame.startOffsetFollowing | Frame.endOffsetPreceding | Frame.endOffsetFollowing)) !== 0;
  if (mode === 'groups' && orderBy.length === 0) throw new DbError('42P20', 'GROUPS mode requires an ORDER BY clause').withPosition(at);
  if (mode === 'range' && hasOffset && orderBy.length !== 1) {
    throw new DbError('42P20', 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column').withPosition(at);
  }
  const offset = (ast: Ast.Expr | null): Expr => {
    const expr = binder.bind(ast as Ast.Expr);
    if (columnsUsed(expr).size > 0) throw new DbError('42P10', `argument of ${mode.toUpperCase()} must not contain variables`).withPosition(positionOf(ast?.location ?? -1));
    if (mode !== 'range') return binder.coerce(expr, Types.int8, 'implicit', ast?.location ?? -1);
    const key = (orderBy[0] as SortKey).expr.type;
    const target = ['int2', 'int4', 'int8'].includes(key.id)
      ? Types.int8
      : ['float4', 'float8'].includes(key.id)
        ? Types.float8
        : key.id === 'numeric'
          ? Types.numeric
          : ['date', 'timestamp', 'timestamptz'].includes(key.id)
            ? Types.interval
            : null;
    const coerced = target === null ? null : binder.coerce(expr, target, 'implicit', ast?.location ?? -1, true);
    if (target === null || coerced === null || coerced.type.id !== target.id) {
      throw featureNotSupported(`RANGE with offset PRECEDING/FOLLOWING for column type ${typeLabel(key)} and offset type ${typeLabel(expr.type)}`).withPosition(at);
    }
    return coerced;
  };
  const bound = (unboundedPreceding: number, unboundedFollowing: number, current: number, preceding: number, following: number, ast: Ast.Expr | null): FrameBound => {
    if ((options & unboundedPreceding) !== 0) return { kind: 'unbounded_preceding' };
    if ((options & unboundedFollowing) !== 0) return { kind: 'unbounded_following' };
    if ((options & current) !== 0) return { kind: 'current_row' };
    if ((options & preceding) !== 0) return { kind: 'preceding', offset: offset(ast) };
    if ((options & following) !== 0) return { kind: 'following', offset: offset(ast) };
    return { kind: 'current_row' };
  };
  const start = bound(Frame.startUnboundedPreceding, Frame.startUnboundedFollowing, Frame.startCurrentRow, Frame.startOffsetPreceding, Frame.startOffsetFollowing, spec.startOffset);
  const end = bound(Frame.endUnboundedPreceding, Frame.endUnboundedFollowing, Frame.endCurrentRow, Frame.endOffsetPreceding, Frame.endOffsetFollowing, spec.endOffset);
  const exclude = (options & Frame.excludeCurrentRow) !== 0 ? 'current_row' : (options & Frame.excludeGroup) !== 0 ? 'group' : (options & Frame.excludeTies) !== 0 ? 'ties' : 'no_others';
  return { mode, start, end, exclude };
}

/** Stacks one Window node per distinct PARTITION BY / ORDER BY and maps placeholders to its columns. */
export function applyWindows(plan: LogicalPlan, scope: WindowScope): { plan: LogicalPlan; remap: (e: Expr) => Expr } {
  if (scope.calls.length === 0) return { plan, remap: (e) => e };
  const width = plan.schema.length;
  const position = new Map<number, number>();
  const groups = [...new Set(scope.calls.map((c) => c.groupKey))];
  let next = width;
  for (const groupKey of groups) {
    const members = scope.calls.map((c, k) => [c, k] as const).filter(([c]) => c.groupKey === groupKey);
    const first = (members[0] as readonly [Registered, number])[0];
    const fields: Field[] = members.map(([c]) => ({ name: c.call.fn === 'count_star' ? 'count' : c.call.fn, type: c.call.type, tableId: 0, columnNumber: 0 }));
    for (const [, k] of members) position.set(k, next++);
    plan = { kind: 'Window', input: plan, partitionBy: first.partitionBy, orderBy: first.orderBy, calls: members.map(([c]) => c.call), schema: [...plan.schema, ...fields] };
  }
  const remap = (e: Expr) => remapColumns(e, (i) => (i >= windowColumnBase ? (position.get(i - windowColumnBase) as number) : i));
  return { plan, remap };
}
