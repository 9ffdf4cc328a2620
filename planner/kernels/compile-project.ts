/**
 * Compiled projections: an expression of a compiled shape with a fixed-width result becomes one
 * generated loop that reads the live rows (through the selection, so nothing is compacted first)
 * and writes a dense result vector and its validity. Everything else is interpreted, over the
 * compacted batch; a batch on which checked arithmetic fails is interpreted too, for its error.
 */
import { allocateFixed, compactBatch, takeRows, withType, type Batch, type FixedArray, type Vector } from '../../storage/vector.js';
import type { Expr } from '../expr.js';
import { planProjection, type BoolNode, type KernelPlan, type ValueNode } from './compile-plan.js';
import { preamble, SourceWriter, variantKey, type Variant } from './compile-source.js';
import { compiledOnce, generatedFunction, KernelRunner } from './compile.js';
import { evaluate, type EvalContext } from './eval.js';

/** Writes `n` results to `values` and `valid`; returns the NULL count, or -1 for the interpreter. */
export type ProjectionKernel = (
  n: number,
  sel: Int32Array | null,
  values: FixedArray,
  valid: Uint8Array,
  cols: readonly ArrayLike<number | string>[],
  valids: readonly (Uint8Array | null)[],
  dicts: readonly (readonly string[] | null)[],
  args: readonly unknown[],
) => number;

const projectionParams = ['n', 'sel', 'values', 'valid', 'cols', 'valids', 'dicts', 'args'];

function isCondition(node: ValueNode | BoolNode): node is BoolNode {
  return !['column', 'constant', 'arith', 'neg', 'cast'].includes(node.kind);
}

export function projectionSource(plan: KernelPlan<ValueNode | BoolNode>, variant: Variant): string {
  const writer = new SourceWriter(variant);
  let value: string;
  let ok: string;
  if (isCondition(plan.root)) {
    const result = writer.condition(plan.root);
    value = result.t;
    ok = result.t === '1' || result.f === '1' ? '1' : writer.local(`${result.t} | ${result.f}`);
  } else {
    const result = writer.value(plan.root);
    value = result.v;
    ok = result.ok;
  }
  // A NULL row's slot holds 0, as every vector builder leaves it.
  const store = ok === '1' ? [`    values[j] = ${value};`] : [`    values[j] = ${ok} === 1 ? ${value} : 0;`, `    valid[j] = ${ok};`, `    nulls += ${ok} ^ 1;`];
  return [
    "'use strict';",
    preamble(plan, variant),
    writer.setup(),
    '  let nulls = 0;',
    '  let bad = 0;',
    '  for (let j = 0; j < n; j++) {',
    `    const i = ${variant.selection ? 'sel[j]' : 'j'};`,
    writer.body(),
    ...store,
    '  }',
    '  return bad === 0 ? nulls : -1;',
  ].join('\n');
}

export class CompiledProjection {
  private readonly kernels = new Map<string, ProjectionKernel>();

  constructor(readonly plan: KernelPlan<ValueNode | BoolNode>) {}

  kernel(variant: Variant): ProjectionKernel {
    const key = variantKey(variant);
    let kernel = this.kernels.get(key);
    if (kernel === undefined) {
      kernel = generatedFunction<ProjectionKernel>(projectionParams, projectionSource(this.plan, variant));
      this.kernels.set(key, kernel);
    }
    return kernel;
  }
}

const compiledByExpr = new WeakMap<Expr, CompiledProjection | null>();

export function compileProjection(expr: Expr): CompiledProjection | null {
  return compiledOnce(compiledByExpr, expr, planProjection, (plan) => new CompiledProjection(plan));
}

/** Runs one compiled projection over the batches of one execution (constants bound at the first). */
class ProjectionRunner extends KernelRunner {
  constructor(
    private readonly expr: Expr,
    private readonly compiled: CompiledProjection,
    context: EvalContext,
  ) {
    super(context);
  }

  /** The expression over the live rows as a dense vector; undefined when the interpreter must run. */
  run(batch: Batch): Vector | undefined {
    const live = batch.selection === null ? batch.length : batch.selection.length;
    const prepared = this.bind(this.compiled.plan, batch);
    if (prepared === undefined) return undefined;
    const { bound, args } = prepared;
    const kernel = this.compiled.kernel(bound.variant);
    const type = this.expr.type;
    const values = allocateFixed(type.layout, live);
    const valid = new Uint8Array(live);
    const nulls = kernel(live, batch.selection, values, valid, bound.cols, bound.valids, bound.dicts, args);
    if (nulls < 0) return undefined;
    return { kind: 'fixed', type, length: live, values, validity: nulls === 0 ? null : valid };
  }
}

/**
 * Evaluates a projection list over the batches of one execution: compiled expressions read through
 * the selection; a column is gathered alone; the rest is interpreted over the compacted batch.
 */
export class BatchProjector {
  private readonly runners: readonly (ProjectionRunner | null)[];

  constructor(
    readonly exprs: readonly Expr[],
    private readonly context: EvalContext,
  ) {
    this.runners = exprs.map((e) => {
      const compiled = compileProjection(e);
      return compiled === null ? null : new ProjectionRunner(e, compiled, context);
    });
  }

  project(batch: Batch): Batch {
    let dense: Batch | null = batch.selection === null ? batch : null;
    const columns = this.exprs.map((expr, k) => {
      const vector = this.runners[k]?.run(batch);
      if (vector !== undefined) return vector;
      if (dense === null && expr.kind === 'Column' && batch.selection !== null) {
        const column = batch.columns[expr.index] as Vector;
        const taken = takeRows(column, batch.selection);
        return taken.type === expr.type ? taken : withType(taken, expr.type);
      }
      dense ??= compactBatch(batch);
      return evaluate(expr, dense, this.context);
    });
    const length = batch.selection === null ? batch.length : batch.selection.length;
    return { length, columns, selection: null };
  }
}
