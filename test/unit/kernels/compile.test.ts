/**
 * Compiled predicates against the interpreter: random predicates of every compiled shape over
 * random batches with NULLs and edge values must select the same rows (or raise the same error),
 * with and without an incoming selection; and no constant's value may reach generated source.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Expr } from '../../../planner/expr.js';
import { compilePredicate } from '../../../planner/kernels/compile.js';
import { BatchProjector, compileProjection } from '../../../planner/kernels/compile-project.js';
import { evaluate, type EvalContext } from '../../../planner/kernels/eval.js';
import { applyPredicate, BatchFilter } from '../../../planner/physical/selection.js';
import { DbError } from '../../../storage/errors.js';
import { Types } from '../../../storage/types.js';
import { compactBatch, getValue, type Batch } from '../../../storage/vector.js';
import { Random } from '../../support/random.js';
import { PredicateGenerator, randomBatch } from './predicate-shapes.js';

function contextWith(params: readonly (number | null)[]): EvalContext {
  return { params, subqueryResults: [], settings: {}, functions: { lookup: () => undefined }, statementTimeMicros: 0 } as unknown as EvalContext;
}

/** The live rows a filter keeps (their values, as text), or the SQLSTATE it raised. */
function outcome(run: () => Batch | null): string[] | string {
  try {
    const batch = run();
    if (batch === null) return [];
    const dense = compactBatch(batch);
    const rows: string[] = [];
    for (let i = 0; i < dense.length; i++) rows.push(dense.columns.map((c) => String(getValue(c, i))).join(','));
    return rows;
  } catch (error) {
    if (error instanceof DbError) return error.code;
    throw error;
  }
}

function interpreted(predicate: Expr, batch: Batch, context: EvalContext): string[] | string {
  const dense = compactBatch(batch);
  return outcome(() => applyPredicate(dense, evaluate(predicate, dense, context)));
}

describe('compiled predicates', () => {
  test('select the same rows as the interpreter', () => {
    let compiledCount = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const random = new Random(seed);
        const predicate = new PredicateGenerator(random).condition(random.int(0, 3));
        const context = contextWith([random.chance(0.2) ? null : random.int(-3, 3)]);
        const batch = randomBatch(random, random.int(1, 70));
        const selected: Batch = { ...batch, selection: Int32Array.from({ length: batch.length }, (_, i) => i).filter(() => random.chance(0.6)) };
        if (compilePredicate(predicate) !== null) compiledCount++;
        for (const input of [batch, selected]) {
          const expected = interpreted(predicate, input, context);
          const actual = outcome(() => new BatchFilter(predicate, context).apply(input));
          expect(actual, JSON.stringify(predicate, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toEqual(expected);
        }
      }),
      { numRuns: Number(process.env.KERNEL_RUNS ?? 2000) },
    );
    // Most generated predicates are of compiled shapes, so the kernels are what is being compared.
    expect(compiledCount).toBeGreaterThan(1000);
  });

  test('compute the same projections as the interpreter', () => {
    let compiledCount = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const random = new Random(seed);
        const generator = new PredicateGenerator(random);
        const type = random.pick([Types.int4, Types.int2, Types.float8, Types.float4, Types.date, Types.int8]);
        const exprs = [generator.value(type, random.int(1, 3)), generator.condition(random.int(0, 2)), { kind: 'Column', index: random.int(0, 8), type: Types.int4 } as Expr];
        exprs[2] = { ...exprs[2]!, type: randomBatch(new Random(0), 1).columns[(exprs[2] as { index: number }).index]!.type } as Expr;
        // A column read under another type of its layout (text as varchar), dictionary-coded or not.
        exprs.push({ kind: 'Column', index: 8, type: Types.varchar });
        const context = contextWith([random.chance(0.2) ? null : random.int(-3, 3)]);
        const batch = randomBatch(random, random.int(1, 70));
        const selected: Batch = { ...batch, selection: Int32Array.from({ length: batch.length }, (_, i) => i).filter(() => random.chance(0.6)) };
        compiledCount += exprs.filter((e) => compileProjection(e) !== null).length;
        for (const input of [batch, selected]) {
          const expected = outcome(() => {
            const dense = compactBatch(input);
            return { length: dense.length, columns: exprs.map((e) => evaluate(e, dense, context)), selection: null };
          });
          const actual = outcome(() => new BatchProjector(exprs, context).project(input));
          expect(actual, JSON.stringify(exprs, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toEqual(expected);
        }
      }),
      { numRuns: Number(process.env.KERNEL_RUNS ?? 1500) },
    );
    expect(compiledCount).toBeGreaterThan(1000);
  });

  test('batches on which checked arithmetic fails go to the interpreter and raise its error', () => {
    const int4 = Types.int4;
    const column: Expr = { kind: 'Column', index: 0, type: int4 };
    const product: Expr = { kind: 'Call', fn: 'mul', args: [column, column], type: int4 };
    const predicate: Expr = { kind: 'Call', fn: 'gt', args: [product, { kind: 'Literal', value: 0, type: int4 }], type: Types.bool };
    expect(compilePredicate(predicate)).not.toBeNull();
    const batch = randomBatch(new Random(1), 4);
    const values = Int32Array.from([1, 2, 50000, 3]);
    const overflowing: Batch = { ...batch, columns: [{ kind: 'fixed', type: int4, length: 4, values, validity: null }] };
    expect(outcome(() => new BatchFilter(predicate, contextWith([])).apply(overflowing))).toBe('22003');
    // The overflowing row is NULL: no error, as in the interpreter.
    const masked: Batch = { ...batch, columns: [{ kind: 'fixed', type: int4, length: 4, values, validity: Uint8Array.from([1, 1, 0, 1]) }] };
    expect(outcome(() => new BatchFilter(predicate, contextWith([])).apply(masked))).toEqual(['1', '2', '3']);
  });

  test('constants are arguments, never source text', () => {
    const literals: [Expr, string][] = [
      [{ kind: 'Literal', value: 987654321, type: Types.int4 }, '987654321'],
      [{ kind: 'Literal', value: 1234.5678, type: Types.float8 }, '1234.5678'],
      [{ kind: 'Literal', value: 81985529216486895n, type: Types.int8 }, '81985529216486895'],
      [{ kind: 'Literal', value: 1714521600123456, type: Types.timestamptz }, '1714521600123456'],
    ];
    for (const [literal, text] of literals) {
      const column: Expr = { kind: 'Column', index: 0, type: literal.type };
      const sum: Expr = literal.type.id === 'int8' || literal.type.id === 'timestamptz' ? column : { kind: 'Call', fn: 'add', args: [column, literal], type: literal.type };
      const predicate: Expr = {
        kind: 'And',
        args: [
          { kind: 'Call', fn: 'ge', args: [sum, literal], type: Types.bool },
          { kind: 'InList', arg: column, list: [literal, literal], negated: false, type: Types.bool },
        ],
        type: Types.bool,
      };
      const compiled = compilePredicate(predicate);
      expect(compiled).not.toBeNull();
      for (const selection of [false, true]) {
        const source = compiled!.source({ selection, validity: [selection], dictionary: [false] });
        expect(source).not.toContain(text);
        // The same shape with another value shares the source.
        const other = compilePredicate(JSON.parse(JSON.stringify(predicate, (_k, v: unknown) => (v === literal.value ? 0 : typeof v === 'bigint' ? 0 : v))) as Expr);
        expect(other?.source({ selection, validity: [selection], dictionary: [false] })).toBe(source);
      }
    }
    const text: Expr = { kind: 'Column', index: 0, type: Types.text };
    const like: Expr = { kind: 'Like', arg: text, pattern: { kind: 'Literal', value: '/product/%', type: Types.text }, negated: false, caseInsensitive: false, type: Types.bool };
    const equal: Expr = { kind: 'Call', fn: 'eq', args: [text, { kind: 'Literal', value: 'purchase', type: Types.text }], type: Types.bool };
    const compiled = compilePredicate({ kind: 'Or', args: [like, equal], type: Types.bool });
    for (const dictionary of [false, true]) {
      const source = compiled!.source({ selection: false, validity: [true], dictionary: [dictionary] });
      expect(source).not.toContain('product');
      expect(source).not.toContain('purchase');
    }
  });
});
