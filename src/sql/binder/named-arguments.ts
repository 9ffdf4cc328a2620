/**
 * Arguments by name and omitted arguments with defaults (make_interval(days => 3)), for catalog
 * functions that declare their parameters. Named arguments follow the positional ones, as
 * PostgreSQL requires; a name the function does not have, or one given twice, leaves the call
 * unmatched (42883).
 */
import { DbError, undefinedFunction } from '../../../storage/errors.js';
import type { Expr } from '../../../planner/expr.js';
import type { ScalarFunctionDef } from '../../../planner/functions.js';
import type * as Ast from '../ast.js';
import { positionOf, typeLabel } from './bind-expr.js';

export function placeArguments(def: ScalarFunctionDef | undefined, ast: Extract<Ast.Expr, { kind: 'call' }>, args: Expr[]): Expr[] {
  const names = ast.argNames;
  const parameters = def?.parameters;
  if (parameters === undefined || def === undefined) {
    if (names !== undefined) throw unmatched(ast, args);
    return args;
  }
  const signature = def.signatures[0];
  if (signature === undefined || args.length > parameters.names.length) return args;
  const placed: (Expr | undefined)[] = new Array<Expr | undefined>(parameters.names.length);
  args.forEach((arg, i) => {
    const name = names?.[i] ?? null;
    if (name === null) {
      if (names !== undefined && names.slice(0, i).some((n) => n !== null)) {
        throw new DbError('42601', 'positional argument cannot follow named argument').withPosition(positionOf(ast.args[i]?.location ?? ast.location));
      }
      placed[i] = arg;
      return;
    }
    const at = parameters.names.indexOf(name);
    if (at < 0 || placed[at] !== undefined) throw unmatched(ast, args);
    placed[at] = arg;
  });
  const firstDefault = parameters.names.length - parameters.defaults.length;
  return Array.from(placed, (arg, i) => {
    if (arg !== undefined) return arg;
    if (i < firstDefault) throw unmatched(ast, args);
    return { kind: 'Literal', value: parameters.defaults[i - firstDefault] ?? null, type: signature.argTypes[i]! };
  });
}

function unmatched(ast: Extract<Ast.Expr, { kind: 'call' }>, args: readonly Expr[]): DbError {
  const list = args.map((a, i) => (ast.argNames?.[i] ? `${ast.argNames[i]} => ` : '') + typeLabel(a.type)).join(', ');
  return undefinedFunction(`${ast.name}(${list})`).withPosition(positionOf(ast.location));
}
