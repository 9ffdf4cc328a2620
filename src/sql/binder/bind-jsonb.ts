/**
 * jsonb operators as PostgreSQL resolves them, bound to the catalog functions behind them
 * (pg_operator's oprcode): `?` jsonb_exists, `?|`/`?&` jsonb_exists_any/all over text[], `@>`
 * jsonb_contains, `<@` jsonb_contained, `#>`/`#>>` path extraction over text[], `||`
 * jsonb_concat and `-` jsonb_delete. An unknown literal operand takes the type the operator wants.
 */
import { featureNotSupported, undefinedOperator } from '../../../storage/errors.js';
import { Types, type DataType } from '../../../storage/types.js';
import type { Expr } from '../../../planner/expr.js';
import { positionOf, typeLabel, type ExprBinder } from './bind-expr.js';

interface JsonbOperator {
  readonly fn: string;
  readonly right: DataType;
  readonly result: DataType;
  /** The left operand may be an unknown literal (both sides jsonb). */
  readonly leftUnknown?: boolean;
}

const operators: Readonly<Record<string, JsonbOperator>> = {
  '?': { fn: 'jsonb_exists', right: Types.text, result: Types.bool },
  '?|': { fn: 'jsonb_exists_any', right: Types._text, result: Types.bool },
  '?&': { fn: 'jsonb_exists_all', right: Types._text, result: Types.bool },
  '@>': { fn: 'jsonb_contains', right: Types.jsonb, result: Types.bool, leftUnknown: true },
  '<@': { fn: 'jsonb_contained', right: Types.jsonb, result: Types.bool, leftUnknown: true },
  '#>': { fn: 'jsonb_extract_path_op', right: Types._text, result: Types.jsonb },
  '#>>': { fn: 'jsonb_extract_path_text_op', right: Types._text, result: Types.text },
  '||': { fn: 'jsonb_concat', right: Types.jsonb, result: Types.jsonb, leftUnknown: true },
};

/**
 * The bound call of a jsonb operator, or null when neither operand makes it one (the caller
 * goes on with the other operators).
 */
export function bindJsonbOperator(binder: ExprBinder, op: string, left: Expr, right: Expr, leftLocation: number, rightLocation: number, location: number): Expr | null {
  const at = positionOf(location);
  const leftJsonb = left.type.id === 'jsonb';
  const rightJsonb = right.type.id === 'jsonb';
  if (op === '-' && leftJsonb) {
    const integer = right.type.id === 'int2' || right.type.id === 'int4';
    if (!integer && right.type.id !== 'unknown' && right.type.id !== 'text' && right.type.id !== 'varchar') {
      throw undefinedOperator(`jsonb - ${typeLabel(right.type)}`).withPosition(at);
    }
    const key = binder.coerce(right, integer ? Types.int4 : Types.text, 'implicit', rightLocation);
    return call(binder, 'jsonb_delete', integer ? 1 : 0, [left, key], Types.jsonb, at);
  }
  const def = operators[op];
  if (def === undefined) return null;
  const leftOk = leftJsonb || (def.leftUnknown === true && left.type.id === 'unknown' && rightJsonb);
  if (!leftOk) {
    if (op === '||') return null;
    throw undefinedOperator(`${typeLabel(left.type)} ${op} ${typeLabel(right.type)}`).withPosition(at);
  }
  if (right.type.id !== def.right.id && right.type.id !== 'unknown') {
    if (op === '||') return null; // jsonb || text is text concatenation
    throw undefinedOperator(`${typeLabel(left.type)} ${op} ${typeLabel(right.type)}`).withPosition(at);
  }
  const l = binder.coerce(left, Types.jsonb, 'implicit', leftLocation);
  const r = binder.coerce(right, def.right, 'implicit', rightLocation);
  return call(binder, def.fn, 0, [l, r], def.result, at);
}

function call(binder: ExprBinder, name: string, signature: number, args: Expr[], type: DataType, at: number | undefined): Expr {
  if (binder.context.functions.lookup(name) === undefined) throw featureNotSupported(`function ${name}`).withPosition(at);
  return { kind: 'Function', name, signature, args, type };
}

/** jsonb_build_object's arguments, each through to_jsonb (PostgreSQL's VARIADIC "any"). */
export function toJsonbArguments(binder: ExprBinder, args: readonly Expr[], locations: readonly number[]): Expr[] {
  const toJsonb = binder.context.functions.lookup('to_jsonb');
  if (toJsonb === undefined) throw featureNotSupported('function to_jsonb');
  return args.map((arg, i) => {
    const resolved = binder.resolveUnknown(arg);
    const signature = toJsonb.signatures.findIndex((s) => s.argTypes[0]?.id === resolved.type.id);
    if (signature < 0) throw featureNotSupported(`to_jsonb(${typeLabel(resolved.type)})`).withPosition(positionOf(locations[i] ?? -1));
    const typed = binder.coerce(resolved, toJsonb.signatures[signature]?.argTypes[0] as DataType, 'implicit', locations[i] ?? -1);
    return { kind: 'Function', name: 'to_jsonb', signature, args: [typed], type: Types.jsonb };
  });
}
