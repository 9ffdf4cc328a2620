/**
 * Evaluation on dictionary entries: an expression over one dictionary-coded string column
 * (`event_type = 'purchase'`, `page LIKE '/product/%'`, `properties->>'plan'`, `lower(country)`)
 * is computed once per distinct entry, plus once for NULL, and its results are gathered to the
 * rows by their codes. A block of 65,536 rows with 20 event types costs 21 evaluations and a
 * gather instead of 65,536 string operations. Results are cached per statement and dictionary,
 * so the slices of one block share them.
 *
 * Entries not present in the batch's rows are evaluated too, so an entry that makes the
 * expression fail (a cast of text that is no number) must not fail the query when no row holds
 * it: on any error the caller falls back to row-by-row evaluation, which fails only if a real row
 * does. Every catalog function is immutable or stable within a statement, so one result per
 * distinct value is the result for every row holding it.
 */
import type { Batch, StringVector, Vector } from '../../storage/vector.js';
import { dictionaryVector, takeRows } from '../../storage/vector.js';
import { forEachExpr, type Expr } from '../expr.js';

/** The one column an expression reads, or -1 (none, several, or a subquery that must run per row). */
function soleColumn(expr: Expr): number {
  let column = -1;
  let eligible = true;
  forEachExpr(expr, (e) => {
    if (e.kind === 'Subquery' || e.kind === 'OuterRef') eligible = false;
    else if (e.kind === 'Column') {
      if (column >= 0 && column !== e.index) eligible = false;
      column = e.index;
    }
  });
  return eligible ? column : -1;
}

const soleColumns = new WeakMap<Expr, number>();
/** Per statement context, per dictionary, per expression: the result over the entries. */
const results = new WeakMap<object, WeakMap<readonly string[], Map<Expr, Vector | null>>>();

export type Evaluate = (expr: Expr, batch: Batch) => Vector;

/**
 * The expression's vector when it reads exactly one column and that column is dictionary-coded
 * in `batch`; null when this path does not apply (the caller evaluates row by row).
 */
export function evaluateOnDictionary(expr: Expr, batch: Batch, context: object, evaluate: Evaluate): Vector | null {
  let column = soleColumns.get(expr);
  if (column === undefined) {
    column = expr.kind === 'Column' ? -1 : soleColumn(expr);
    soleColumns.set(expr, column);
  }
  if (column < 0) return null;
  const input = batch.columns[column];
  if (input === undefined || input.kind !== 'string' || input.dictionary === undefined) return null;
  const { entries, codes } = input.dictionary;
  if (entries.length > batch.length) return null;
  let byDictionary = results.get(context);
  if (byDictionary === undefined) results.set(context, (byDictionary = new WeakMap()));
  let byExpr = byDictionary.get(entries);
  if (byExpr === undefined) byDictionary.set(entries, (byExpr = new Map()));
  let result = byExpr.get(expr);
  if (result === undefined) {
    result = overEntries(expr, column, input, evaluate);
    byExpr.set(expr, result);
  }
  if (result === null) return null;
  return gather(result, codes, input.validity, entries.length);
}

/** The expression over every entry and, last, over NULL; null if that raised an error. */
function overEntries(expr: Expr, column: number, input: StringVector, evaluate: Evaluate): Vector | null {
  const entries = input.dictionary!.entries;
  const size = entries.length + 1;
  const validity = new Uint8Array(size).fill(1);
  validity[size - 1] = 0;
  const values = [...entries, ''];
  const columns: Vector[] = [];
  columns[column] = { kind: 'string', type: input.type, length: size, values, validity };
  try {
    return evaluate(expr, { length: size, columns, selection: null });
  } catch {
    return null;
  }
}

/** Row i takes the result of its code, or of NULL (the last entry) where the column is NULL. */
function gather(result: Vector, codes: Int32Array, validity: Uint8Array | null, nullEntry: number): Vector {
  const n = codes.length;
  let rows = codes;
  if (validity !== null) {
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = validity[i] === 1 ? (codes[i] as number) : nullEntry;
  }
  if (result.kind === 'string') {
    let resultValidity: Uint8Array | null = null;
    if (result.validity !== null) {
      resultValidity = new Uint8Array(n);
      for (let i = 0; i < n; i++) resultValidity[i] = result.validity[rows[i] as number] as number;
    }
    // Still dictionary-coded: a GROUP BY or comparison above can use the codes again.
    return dictionaryVector(result.type, resultValidity, result.values, rows === codes ? codes : rows);
  }
  return takeRows(result, rows);
}
