/**
 * The shapes a compiled kernel handles, as a small typed tree: an Expr is analysed once into it
 * (or refused, and the interpreter keeps that expression). Columns and constants become slots, so
 * the generated source depends only on the tree's shape and types, never on a constant's value.
 */
import type { DataType, TypeId } from '../../storage/types.js';
import type { Expr } from '../expr.js';
import type { Comparison } from './compare.js';
import { isConstantExpr } from './eval.js';

/**
 * How a value is held in the loop: `int` a JS number ordered plainly (int2, int4, date, bool,
 * timestamps), `float` a double ordered with NaN above everything and equal to itself (float4/8),
 * `int64` two int32 halves (high signed, low unsigned) of a BigInt64Array, never a BigInt, and
 * `text` a JS string compared by code unit, as the interpreter compares text (the C collation).
 */
export type Rep = 'int' | 'float' | 'int64' | 'text';

export type ValueNode =
  | { readonly kind: 'column'; readonly slot: number; readonly rep: Rep }
  | { readonly kind: 'constant'; readonly slot: number; readonly rep: Rep }
  | { readonly kind: 'arith'; readonly op: 'add' | 'sub' | 'mul' | 'div'; readonly type: TypeId; readonly rep: Rep; readonly left: ValueNode; readonly right: ValueNode }
  | { readonly kind: 'neg'; readonly type: TypeId; readonly rep: Rep; readonly arg: ValueNode }
  /** A cast that keeps every value exact: int2 -> int4/float4/float8, int4 -> float8, float4 -> float8, int2/int4 -> int8, int8 -> float8 (varchar <-> text needs no node). */
  | { readonly kind: 'cast'; readonly from: Rep; readonly rep: Rep; readonly arg: ValueNode };

export type BoolNode =
  | { readonly kind: 'compare'; readonly op: Comparison; readonly rep: Rep; readonly left: ValueNode; readonly right: ValueNode }
  | { readonly kind: 'and' | 'or'; readonly args: readonly BoolNode[] }
  | { readonly kind: 'not'; readonly arg: BoolNode }
  | { readonly kind: 'isNull'; readonly arg: ValueNode | BoolNode; readonly negated: boolean }
  | { readonly kind: 'isBool'; readonly arg: BoolNode; readonly test: 'true' | 'false' | 'unknown'; readonly negated: boolean }
  | { readonly kind: 'in'; readonly rep: Rep; readonly arg: ValueNode; readonly items: readonly ValueNode[]; readonly negated: boolean }
  | { readonly kind: 'distinct'; readonly rep: Rep; readonly left: ValueNode; readonly right: ValueNode; readonly negated: boolean }
  /** A boolean value (a bool column or constant) used as a condition. */
  | { readonly kind: 'truth'; readonly arg: ValueNode }
  /** [NOT] LIKE / ILIKE with a constant pattern: `matcher` is the constant slot of its matcher function. */
  | { readonly kind: 'like'; readonly arg: ValueNode; readonly matcher: number; readonly negated: boolean };

export interface ColumnSlot {
  /** Index into the batch's columns. */
  readonly index: number;
  readonly type: DataType;
  readonly rep: Rep;
}

export interface ConstantSlot {
  readonly expr: Expr;
  readonly rep: Rep;
  /** For a LIKE pattern: the slot holds a matcher function built from the pattern. */
  readonly like?: { readonly caseInsensitive: boolean };
}

/** An analysed expression: its tree and the columns and constants the kernel reads. */
export interface KernelPlan<Root> {
  readonly root: Root;
  readonly columns: readonly ColumnSlot[];
  readonly constants: readonly ConstantSlot[];
}

/** IN lists longer than this stay with the interpreter (the kernel makes one comparison per item per row; the interpreter one pass per item). */
export const maxInListItems = 64;

const repOfType: Partial<Record<TypeId, Rep>> = {
  bool: 'int',
  int2: 'int',
  int4: 'int',
  date: 'int',
  timestamp: 'int',
  timestamptz: 'int',
  float4: 'float',
  float8: 'float',
  int8: 'int64',
  text: 'text',
  varchar: 'text',
};

/** Widenings that keep every value exact (so compiled and interpreted casts agree). */
const exactCasts = new Set(['int2>int4', 'int2>float4', 'int2>float8', 'int4>float8', 'float4>float8', 'int2>int8', 'int4>int8', 'int8>float8', 'varchar>text', 'text>varchar']);

/** Integer result types whose arithmetic is checked against their range. */
export const intRanges: Partial<Record<TypeId, readonly [number, number]>> = {
  int2: [-32768, 32767],
  int4: [-2147483648, 2147483647],
  date: [-2147483648, 2147483647],
};

export function repOf(type: DataType): Rep | null {
  return repOfType[type.id] ?? null;
}

/** Collects slots while a tree is analysed. */
export class PlanBuilder {
  readonly columns: ColumnSlot[] = [];
  readonly constants: ConstantSlot[] = [];

  value(expr: Expr): ValueNode | null {
    const rep = repOf(expr.type);
    if (rep === null) return null;
    if (expr.kind === 'Column') return { kind: 'column', slot: this.columnSlot(expr.index, expr.type, rep), rep };
    if (isConstantExpr(expr)) {
      this.constants.push({ expr, rep });
      return { kind: 'constant', slot: this.constants.length - 1, rep };
    }
    if (expr.kind === 'Cast') return this.cast(expr.arg, expr.type, rep);
    if (expr.kind !== 'Call') return null;
    switch (expr.fn) {
      case 'add':
      case 'sub':
      case 'mul':
      case 'div': {
        const [a, b] = expr.args;
        // int8 arithmetic would need BigInt per row; date +/- int4 is int32 arithmetic (see dateArithmetic).
        if (a === undefined || b === undefined || (rep !== 'int' && rep !== 'float') || a.type.layout !== b.type.layout) return null;
        if (rep === 'int' && intRanges[expr.type.id] === undefined) return null;
        if (rep === 'int' && expr.type.id === 'date' && expr.fn !== 'add' && expr.fn !== 'sub') return null;
        if (repOf(a.type) !== rep || repOf(b.type) !== rep) return null;
        const left = this.value(a);
        const right = left === null ? null : this.value(b);
        if (left === null || right === null) return null;
        return { kind: 'arith', op: expr.fn, type: expr.type.id, rep, left, right };
      }
      case 'neg': {
        const a = expr.args[0];
        if (a === undefined || (rep !== 'int' && rep !== 'float') || a.type.id !== expr.type.id) return null;
        if (rep === 'int' && intRanges[expr.type.id] === undefined) return null;
        const arg = this.value(a);
        return arg === null ? null : { kind: 'neg', type: expr.type.id, rep, arg };
      }
      default:
        return null;
    }
  }

  condition(expr: Expr): BoolNode | null {
    switch (expr.kind) {
      case 'And':
      case 'Or': {
        const args: BoolNode[] = [];
        for (const a of expr.args) {
          const node = this.condition(a);
          if (node === null) return null;
          args.push(node);
        }
        return { kind: expr.kind === 'And' ? 'and' : 'or', args };
      }
      case 'Not': {
        const arg = this.condition(expr.arg);
        return arg === null ? null : { kind: 'not', arg };
      }
      case 'IsNull': {
        const arg = expr.arg.type.id === 'bool' ? this.condition(expr.arg) : this.value(expr.arg);
        return arg === null ? null : { kind: 'isNull', arg, negated: expr.negated };
      }
      case 'IsBool': {
        const arg = this.condition(expr.arg);
        return arg === null ? null : { kind: 'isBool', arg, test: expr.test, negated: expr.negated };
      }
      case 'InList':
        return this.inList(expr);
      case 'Like': {
        if (repOf(expr.arg.type) !== 'text' || !isConstantExpr(expr.pattern)) return null;
        const arg = this.value(expr.arg);
        if (arg === null) return null;
        this.constants.push({ expr: expr.pattern, rep: 'text', like: { caseInsensitive: expr.caseInsensitive } });
        return { kind: 'like', arg, matcher: this.constants.length - 1, negated: expr.negated };
      }
      case 'DistinctFrom': {
        const pair = this.operands(expr.left, expr.right);
        return pair === null ? null : { kind: 'distinct', rep: pair[0].rep, left: pair[0], right: pair[1], negated: expr.negated };
      }
      case 'Call': {
        const fn = expr.fn;
        if (fn !== 'eq' && fn !== 'ne' && fn !== 'lt' && fn !== 'le' && fn !== 'gt' && fn !== 'ge') return null;
        const [a, b] = expr.args;
        if (a === undefined || b === undefined) return null;
        const pair = this.operands(a, b);
        return pair === null ? null : { kind: 'compare', op: fn, rep: pair[0].rep, left: pair[0], right: pair[1] };
      }
      case 'Column':
      case 'Literal':
      case 'Param': {
        if (expr.type.id !== 'bool') return null;
        const arg = this.value(expr);
        return arg === null ? null : { kind: 'truth', arg };
      }
      default:
        return null;
    }
  }

  private inList(expr: Extract<Expr, { kind: 'InList' }>): BoolNode | null {
    if (expr.list.length > maxInListItems || !expr.list.every((item) => item.type.id === expr.arg.type.id && isConstantExpr(item))) return null;
    const arg = this.value(expr.arg);
    if (arg === null) return null;
    const items: ValueNode[] = [];
    for (const item of expr.list) items.push(this.value(item) as ValueNode);
    return { kind: 'in', rep: arg.rep, arg, items, negated: expr.negated };
  }

  /** Two operands of one type (the binder casts them to one), as value nodes. */
  private operands(a: Expr, b: Expr): [ValueNode, ValueNode] | null {
    if (a.type.id !== b.type.id) return null;
    const left = this.value(a);
    const right = left === null ? null : this.value(b);
    return left === null || right === null ? null : [left, right];
  }

  private cast(arg: Expr, to: DataType, rep: Rep): ValueNode | null {
    if (to.typmod >= 0) return null;
    const from = repOf(arg.type);
    if (from === null) return null;
    if (arg.type.id !== to.id && !exactCasts.has(`${arg.type.id}>${to.id}`)) return null;
    const node = this.value(arg);
    if (node === null) return null;
    return from === rep ? node : { kind: 'cast', from, rep, arg: node };
  }

  private columnSlot(index: number, type: DataType, rep: Rep): number {
    const at = this.columns.findIndex((c) => c.index === index);
    if (at >= 0) return at;
    this.columns.push({ index, type, rep });
    return this.columns.length - 1;
  }
}

/** The predicate's kernel plan, or null when some part of it is outside the compiled shapes. */
export function planPredicate(expr: Expr): KernelPlan<BoolNode> | null {
  const builder = new PlanBuilder();
  const root = builder.condition(expr);
  return root === null ? null : { root, columns: builder.columns, constants: builder.constants };
}

/**
 * A projected expression's kernel plan: a condition, or arithmetic and casts with a fixed-width
 * result other than int8. Bare columns and constants are not worth a kernel.
 */
export function planProjection(expr: Expr): KernelPlan<ValueNode | BoolNode> | null {
  if (expr.kind === 'Column' || expr.kind === 'Literal' || expr.kind === 'Param' || isConstantExpr(expr)) return null;
  const builder = new PlanBuilder();
  if (expr.type.id === 'bool') {
    const root = builder.condition(expr);
    return root === null ? null : { root, columns: builder.columns, constants: builder.constants };
  }
  const rep = repOf(expr.type);
  if (rep !== 'int' && rep !== 'float') return null;
  const root = builder.value(expr);
  if (root === null || root.kind === 'column' || root.kind === 'constant') return null;
  return { root, columns: builder.columns, constants: builder.constants };
}
