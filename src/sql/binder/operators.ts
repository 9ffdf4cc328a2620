/**
 * The operator tables of the binder: literal typing, comparison and arithmetic operator names,
 * date arithmetic, and the PostgreSQL functions and operators refused by name until they exist.
 */
import { Types, type DataType } from '../../../storage/types.js';
import { castValue } from '../../../storage/value-codecs.js';
import type { Expr, ScalarFunction } from '../../../planner/expr.js';
import type * as Ast from '../ast.js';
import type { ExprBinder } from './bind-expr.js';

export function bindLiteral(value: Ast.LiteralValue): Expr {
  switch (value.kind) {
    case 'null':
      return { kind: 'Literal', value: null, type: Types.unknown };
    case 'bool':
      return { kind: 'Literal', value: value.value, type: Types.bool };
    case 'string':
      return { kind: 'Literal', value: value.text, type: Types.unknown };
    case 'integer': {
      const n = Number(value.text);
      return { kind: 'Literal', value: n, type: Types.int4 };
    }
    case 'float': {
      // PostgreSQL types an integer literal too big for int4 as int8, then numeric; a negated one
      // arrives here too (-2147483648 is lexed as a float), and is int4 when it fits.
      if (/^-?\d+$/.test(value.text)) {
        const big = BigInt(value.text);
        if (big >= -(2n ** 31n) && big < 2n ** 31n) return { kind: 'Literal', value: Number(big), type: Types.int4 };
        if (big >= -(2n ** 63n) && big < 2n ** 63n) return { kind: 'Literal', value: big, type: Types.int8 };
      }
      return { kind: 'Literal', value: castValue(value.text, Types.unknown, Types.numeric, null), type: Types.numeric };
    }
  }
}

export function comparisonFunction(op: string): ScalarFunction {
  switch (op) {
    case '=':
      return 'eq';
    case '<>':
      return 'ne';
    case '<':
      return 'lt';
    case '<=':
      return 'le';
    case '>':
      return 'gt';
    default:
      return 'ge';
  }
}

export function arithmeticFunction(op: string): ScalarFunction | null {
  switch (op) {
    case '+':
      return 'add';
    case '-':
      return 'sub';
    case '*':
      return 'mul';
    case '/':
      return 'div';
    case '%':
      return 'mod';
    default:
      return null;
  }
}

export function bindDateArithmetic(binder: ExprBinder, fn: ScalarFunction, left: Expr, right: Expr, leftLocation: number, rightLocation: number): Expr | null {
  const isInt = (t: DataType) => t.id === 'int2' || t.id === 'int4' || t.id === 'unknown';
  if (left.type.id === 'date' && (fn === 'add' || fn === 'sub') && isInt(right.type) && right.type.id !== 'unknown') {
    return { kind: 'Call', fn, args: [left, binder.coerce(right, Types.int4, 'implicit', rightLocation)], type: Types.date };
  }
  if (fn === 'add' && right.type.id === 'date' && isInt(left.type) && left.type.id !== 'unknown') {
    return { kind: 'Call', fn, args: [right, binder.coerce(left, Types.int4, 'implicit', leftLocation)], type: Types.date };
  }
  if (fn === 'sub' && left.type.id === 'date' && (right.type.id === 'date' || right.type.id === 'unknown')) {
    // date - 'literal' resolves the literal as a date, as PostgreSQL's date_mi does.
    return { kind: 'Call', fn: 'sub', args: [left, binder.coerce(right, Types.date, 'implicit', rightLocation)], type: Types.int4 };
  }
  return null;
}

/** PostgreSQL functions Eventide does not have yet: refused by name (0A000), not as unknown (42883). */
export const knownUnsupportedFunctions = new Set([
  'string_agg', 'bool_and', 'bool_or', 'every', 'stddev', 'stddev_samp', 'stddev_pop', 'variance',
  'var_samp', 'var_pop', 'percentile_cont', 'percentile_disc', 'mode', 'json_agg', 'jsonb_agg', 'json_object_agg',
  'jsonb_object_agg', 'corr', 'covar_pop', 'covar_samp', 'regr_slope', 'regr_intercept', 'regr_count', 'bit_and',
  'bit_or', 'row_number', 'rank', 'dense_rank', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value',
  'percent_rank', 'cume_dist', 'to_char', 'to_date', 'to_number', 'date_bin', 'make_timestamp', 'make_timestamptz',
  'make_interval', 'generate_series', 'timezone', 'age', 'justify_days', 'justify_hours', 'date_trunc', 'date_part',
  'extract', 'to_timestamp', 'make_date', 'now', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp',
  // Set-returning functions outside FROM and the top of a select list:
  'unnest', 'jsonb_array_elements', 'jsonb_array_elements_text', 'jsonb_each', 'jsonb_each_text', 'jsonb_object_keys',
  'json_build_object', 'to_json', 'regexp_replace', 'regexp_match', 'regexp_matches',
  'regexp_split_to_table', 'random', 'setseed', 'format', 'quote_ident', 'quote_literal', 'pg_typeof',
  'current_setting', 'set_config', 'version', 'current_database', 'current_schema', 'pg_backend_pid',
]);

export const jsonbOperators = new Set(['->', '->>', '#>', '#>>', '@>', '<@', '?', '?|', '?&', '#-']);
