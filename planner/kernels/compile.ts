/**
 * Compiled predicates: a filter expression of a compiled shape (compile-plan.ts) becomes one
 * generated function per batch variant (which columns have NULLs, whether a selection is given)
 * that loops once over the rows and writes the indexes of the rows where it is TRUE. Every
 * constant is an argument, so functions are cached by their source, which is their shape; V8
 * optimises each one for its typed arrays. Anything else stays with the interpreter (eval.ts), and
 * so does a batch on which checked arithmetic fails, so the answers and errors are the same.
 */
import type { Value } from '../../storage/types.js';
import type { Batch } from '../../storage/vector.js';
import type { Expr } from '../expr.js';
import { planPredicate, type BoolNode, type ConstantSlot, type KernelPlan } from './compile-plan.js';
import { predicateSource, variantKey, type Variant } from './compile-source.js';
import { evaluateConstant, type EvalContext } from './eval.js';
import { likeMatcher } from './like.js';

const noMatch = (): boolean => false;

/** A generated predicate: writes passing row indexes to `out`, returns their count, or -1. */
export type PredicateKernel = (
  n: number,
  sel: Int32Array | null,
  out: Int32Array,
  cols: readonly ArrayLike<number | string>[],
  valids: readonly (Uint8Array | null)[],
  dicts: readonly (readonly string[] | null)[],
  args: readonly unknown[],
) => number;

/** Generated functions by parameters and source; bounded so ad-hoc shapes cannot grow it without end. */
const functionsBySource = new Map<string, unknown>();
const maxCachedFunctions = 2000;

/** The function of `source` (built from a plan's shape only: slot names, operators, type ranges). */
export function generatedFunction<F>(params: readonly string[], source: string): F {
  const key = `${params.join(',')}\n${source}`;
  let fn = functionsBySource.get(key);
  if (fn === undefined) {
    if (functionsBySource.size >= maxCachedFunctions) functionsBySource.clear();
    fn = new Function(...params, source);
    functionsBySource.set(key, fn);
  }
  return fn as F;
}

const predicateParams = ['n', 'sel', 'out', 'cols', 'valids', 'dicts', 'args'];

/** An analysed predicate and its kernels per batch variant. Plain reusable data, like the plan. */
export class CompiledPredicate {
  private readonly kernels = new Map<string, PredicateKernel>();

  constructor(readonly plan: KernelPlan<BoolNode>) {}

  kernel(variant: Variant): PredicateKernel {
    const key = variantKey(variant);
    let kernel = this.kernels.get(key);
    if (kernel === undefined) {
      kernel = generatedFunction<PredicateKernel>(predicateParams, predicateSource(this.plan, variant));
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  source(variant: Variant): string {
    return predicateSource(this.plan, variant);
  }
}

/** What `make` built from `plan(expr)`, once per expression object (null: outside the compiled shapes). */
export function compiledOnce<P, C>(cache: WeakMap<Expr, C | null>, expr: Expr, plan: (expr: Expr) => P | null, make: (plan: P) => C): C | null {
  let compiled = cache.get(expr);
  if (compiled === undefined) {
    const planned = plan(expr);
    compiled = planned === null ? null : make(planned);
    cache.set(expr, compiled);
  }
  return compiled;
}

const compiledByExpr = new WeakMap<Expr, CompiledPredicate | null>();

/** The compiled form of a predicate, or null when it is outside the compiled shapes. */
export function compilePredicate(expr: Expr): CompiledPredicate | null {
  return compiledOnce(compiledByExpr, expr, planPredicate, (plan) => new CompiledPredicate(plan));
}

/** A batch's columns as a kernel reads them, and the variant they make. */
export interface BoundColumns {
  readonly cols: ArrayLike<number | string>[];
  readonly valids: (Uint8Array | null)[];
  readonly dicts: (readonly string[] | null)[];
  readonly variant: Variant;
}

/**
 * The plan's columns of `batch`: typed arrays (int64 as an Int32Array of halves), string arrays,
 * or a dictionary's codes and entries, so the strings of a coded vector are never gathered. Null
 * when a column's layout is not the planned one.
 */
export function bindColumns(plan: KernelPlan<unknown>, batch: Batch): BoundColumns | null {
  const cols: ArrayLike<number | string>[] = [];
  const valids: (Uint8Array | null)[] = [];
  const dicts: (readonly string[] | null)[] = [];
  for (const slot of plan.columns) {
    const vector = batch.columns[slot.index];
    if (vector === undefined || vector.type.layout !== slot.type.layout) return null;
    valids.push(vector.validity);
    if (vector.kind === 'string') {
      if (slot.rep !== 'text') return null;
      const dictionary = vector.dictionary;
      cols.push(dictionary === undefined ? vector.values : dictionary.codes);
      dicts.push(dictionary === undefined ? null : dictionary.entries);
      continue;
    }
    const values = vector.values;
    cols.push(values instanceof BigInt64Array ? new Int32Array(values.buffer, values.byteOffset, values.length * 2) : values);
    dicts.push(null);
  }
  const variant = { selection: batch.selection !== null, validity: valids.map((v) => v !== null), dictionary: dicts.map((d) => d !== null) };
  return { cols, valids, dicts, variant };
}

/**
 * Three values per constant: int64 high half, value (low half for int64; a LIKE pattern's matcher), not-NULL flag. Null when
 * a constant fails or its value is not one the kernel can use (the interpreter takes the expression).
 */
export function bindConstants(constants: readonly ConstantSlot[], context: EvalContext): unknown[] | null {
  const args: unknown[] = [];
  for (const c of constants) {
    let value: Value;
    try {
      value = evaluateConstant(c.expr, context);
    } catch {
      // The interpreter raises it, in its order among the expression's other errors.
      return null;
    }
    if (value === null) {
      args.push(0, c.like === undefined ? 0 : noMatch, 0);
      continue;
    }
    if (c.rep === 'int64') {
      if (typeof value !== 'bigint' && (typeof value !== 'number' || !Number.isSafeInteger(value))) return null;
      const big = BigInt(value);
      args.push(Number(BigInt.asIntN(32, big >> 32n)), Number(BigInt.asUintN(32, big)), 1);
      continue;
    }
    if (c.like !== undefined) {
      if (typeof value !== 'string') return null;
      try {
        args.push(0, likeMatcher(value, c.like.caseInsensitive), 1);
      } catch {
        return null; // a malformed pattern: the interpreter raises its error
      }
    } else if (c.rep === 'text') {
      if (typeof value !== 'string') return null;
      args.push(0, value, 1);
    } else if (typeof value === 'boolean') args.push(0, value ? 1 : 0, 1);
    else if (typeof value === 'number') args.push(0, value, 1);
    else return null;
  }
  return args;
}

/**
 * Runs one compiled predicate over the batches of one execution. Constants are computed at the
 * first batch (where the interpreter would first compute them, so errors surface alike).
 */
/**
 * What every compiled-kernel runner does per batch: bind the batch's columns, and the constants at
 * the first batch; undefined (for good, once constants fail) sends the batch to the interpreter.
 */
export abstract class KernelRunner {
  private args: unknown[] | null = null;
  private disabled = false;

  constructor(protected readonly context: EvalContext) {}

  protected bind(plan: KernelPlan<unknown>, batch: Batch): { bound: BoundColumns; args: unknown[] } | undefined {
    if (this.disabled) return undefined;
    const bound = bindColumns(plan, batch);
    if (bound === null) return undefined;
    if (this.args === null) {
      this.args = bindConstants(plan.constants, this.context);
      if (this.args === null) {
        this.disabled = true;
        return undefined;
      }
    }
    return { bound, args: this.args };
  }
}

export class PredicateRunner extends KernelRunner {
  /** Reused output; what leaves is a copy of the passing prefix. */
  private scratch = new Int32Array(0);

  constructor(
    private readonly compiled: CompiledPredicate,
    context: EvalContext,
  ) {
    super(context);
  }

  /**
   * The live rows of `batch` where the predicate is TRUE, as physical indexes in ascending order;
   * null when every live row passes; undefined when the interpreter must take this batch.
   */
  select(batch: Batch): Int32Array | null | undefined {
    const live = batch.selection === null ? batch.length : batch.selection.length;
    if (live === 0) return undefined; // the interpreter's (constants may still raise errors)
    const prepared = this.bind(this.compiled.plan, batch);
    if (prepared === undefined) return undefined;
    const { bound, args } = prepared;
    const kernel = this.compiled.kernel(bound.variant);
    if (this.scratch.length < live) this.scratch = new Int32Array(Math.max(live, 1024));
    const count = kernel(live, batch.selection, this.scratch, bound.cols, bound.valids, bound.dicts, args);
    if (count < 0) return undefined;
    if (count === live) return null;
    return this.scratch.slice(0, count);
  }
}
