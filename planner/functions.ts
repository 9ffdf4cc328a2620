/**
 * Scalar functions. The planner defines what a function is; the SQL layer (src/functions)
 * implements the catalog of them and hands it to the binder and to execution. A function call in a
 * plan names the function and the chosen signature, so plans stay plain data.
 */
import type { DataType, Value } from '../storage/types.js';
import type { FormatSettings } from '../storage/value-codecs.js';
import type { Vector } from '../storage/vector.js';

export interface FunctionSignature {
  /** Parameter types; the binder casts arguments to them (PostgreSQL's function resolution). */
  readonly argTypes: readonly DataType[];
  readonly returnType: DataType;
  /** The last parameter repeats (concat, greatest): any number of trailing arguments of its type. */
  readonly variadic?: boolean;
}

export interface FunctionContext {
  readonly settings: FormatSettings;
  /** Statement start, µs since 1970: now() and CURRENT_TIMESTAMP are stable within a statement. */
  readonly statementTimeMicros: number;
}

export interface ScalarFunctionDef {
  /** Lower-case SQL name, e.g. `lower`, `date_trunc`. */
  readonly name: string;
  readonly signatures: readonly FunctionSignature[];
  /** Parameter names and the defaults of trailing parameters, for name => value calls and omitted arguments. */
  readonly parameters?: { readonly names: readonly string[]; readonly defaults: readonly Value[] };
  /** Strict: any NULL argument gives NULL (the caller still passes every row; the result's validity must say so). */
  readonly strict: boolean;
  /**
   * Evaluates signature `signature` over dense argument vectors of `length` rows, whose types are
   * that signature's argTypes. One loop per call over typed arrays or string arrays; errors are
   * DbErrors with PostgreSQL's SQLSTATE.
   */
  evaluate(signature: number, args: readonly Vector[], length: number, context: FunctionContext): Vector;
}

export interface FunctionRegistry {
  lookup(name: string): ScalarFunctionDef | undefined;
}

export const emptyFunctionRegistry: FunctionRegistry = { lookup: () => undefined };
