/**
 * Binds AST expressions into typed planner expressions: resolves names, types literals and
 * parameters, resolves operators by PostgreSQL's rules and inserts casts. Constant casts are folded
 * here, so `'2024-01-01'::date` costs nothing per row and a bad literal fails with its position.
 */
import { DbError, featureNotSupported, undefinedFunction, undefinedOperator } from '../../../storage/errors.js';
import { Types, type DataType, type Value } from '../../../storage/types.js';
import { castValue, type FormatSettings } from '../../../storage/value-codecs.js';
import { exprKey } from '../../../planner/expr.js';
import type { AggregateCall, Expr, QuantifiedComparison, ScalarFunction, SubqueryMode } from '../../../planner/expr.js';
import { bindSubqueryExpr, resolveOuterColumn, type Correlation } from './bind-subquery.js';
import type { FunctionRegistry } from '../../../planner/functions.js';
import { resolveFunction } from './resolve-function.js';
import { containsAggregate } from './ast-walk.js';
import { bindIntervalArithmetic, bindIntervalNegation } from './interval-operators.js';
import { placeArguments } from './named-arguments.js';
import { arithmeticFunction, bindDateArithmetic, bindLiteral, comparisonFunction, jsonbOperators, knownUnsupportedFunctions } from './operators.js';

import type * as Ast from '../ast.js';
import type { Field, LogicalPlan } from '../../../planner/logical-plan.js';
import { bindAggregateCall, bindGroupingCall, isAggregateName } from './bind-aggregate.js';
import { bindJsonbOperator, toJsonbArguments } from './bind-jsonb.js';
import { bindAnyAll, bindArrayConstructor, bindSubscript } from './bind-array.js';
import { baseType, canCast, castContext, commonType, commonTypeOfList, isDateTime, isNumeric, isString } from './coercion.js';
import type { Scope } from './scope.js';
import {
  alignCatalogOperands,
  bindArraySubscript,
  bindCatalogCast,
  bindSessionFunction,
  bindSessionValue,
  regAsOid,
  arrayContains,
  arrayLiteralElements,
  isCatalogArray,
  resolveCastType,
  sessionFunctionNames,
  type BindSession,
} from './bind-system.js';
import { bindWindowCall, isWindowFunctionName, type WindowScope } from './bind-window.js';
import { intervalQualifiedLiteral } from './type-names.js';
import { bindRowComparison, bindRowIn } from './bind-row.js';

const BOOL = Types.bool;

/** POSIX regular-expression match operators and `^` (power), and the functions that implement them. */
const regexOperatorFunctions: Record<string, string> = { '~': 'textregexeq', '~*': 'texticregexeq', '!~': 'textregexne', '!~*': 'texticregexne', '^': 'power' };

/** Where an expression stands, for PostgreSQL's "not allowed in ..." messages. */
export type ExprPlace = 'WHERE' | 'HAVING' | 'SELECT' | 'GROUP BY' | 'ORDER BY' | 'VALUES' | 'LIMIT' | 'OFFSET' | 'DEFAULT' | 'FILTER' | 'JOIN' | 'functions in FROM';

/** Shared state of one statement's binding: parameter types and session settings. */
/** A subquery of an expression, with how its result is used. */
export interface BoundSubquery {
  readonly plan: LogicalPlan;
  readonly mode: SubqueryMode;
  readonly op: QuantifiedComparison | null;
  /** Run per distinct outer value while the statement runs, not once before it. */
  readonly correlated: boolean;
}

export interface BindContext {
  /** $1..$n types; `unknown` until a use decides them. */
  readonly params: DataType[];
  readonly settings: FormatSettings;
  readonly functions: FunctionRegistry;
  /** The statement's subqueries, in the order uncorrelated ones must run (inner ones first). */
  readonly subqueries: BoundSubquery[];
  /** Scopes of the queries this one is nested in, innermost last, for correlated references. */
  readonly outerScopes?: readonly Scope[];
  /** What each nesting level's subquery expression reads from outerScopes[j] (same order). */
  readonly correlations?: readonly Correlation[];
  /** The session and catalog, for system relations and catalog functions; absent in DEFAULT expressions. */
  readonly session?: BindSession;
  /** Binds a subquery of an expression; absent where subqueries are not allowed. */
  readonly bindSubquery?: (query: Ast.Query, scope: Scope, correlation: Correlation) => LogicalPlan;
}

/** Turns group-by matches and aggregate calls into references to the Aggregate node's output. */
export interface AggregateScope {
  readonly groupBy: readonly Expr[];
  readonly aggregates: AggregateCall[];
  /** Scope of the aggregate's input, where aggregate arguments are bound. */
  readonly inputScope: Scope;
}

export function positionOf(location: number): number | undefined {
  return location >= 0 ? location + 1 : undefined;
}

export function typeLabel(type: DataType): string {
  return type.name;
}

export class ExprBinder {
  constructor(
    readonly context: BindContext,
    readonly scope: Scope,
    readonly place: ExprPlace,
    readonly aggregateScope: AggregateScope | null = null,
    /** Where window calls are collected; 'nested' inside one (an error); null where not allowed. */
    readonly windowScope: WindowScope | 'nested' | null = null,
  ) {}

  bind(ast: Ast.Expr): Expr {
    if (this.aggregateScope !== null) return this.bindOverAggregate(ast, this.aggregateScope);
    return this.bindNode(ast);
  }

  /** Binds a boolean condition (WHERE, HAVING, FILTER): 42804 when it is not boolean. */
  bindCondition(ast: Ast.Expr): Expr {
    const expr = this.coerce(this.bind(ast), BOOL, 'implicit', ast.location, true);
    if (expr.type.id !== 'bool') {
      throw new DbError('42804', `argument of ${this.place} must be type boolean, not type ${typeLabel(expr.type)}`).withPosition(positionOf(ast.location));
    }
    return expr;
  }

  /**
   * Above an aggregation, an expression is either a GROUP BY expression (a reference to the group
   * key), an aggregate call, or built from those; a bare input column is an error (42803).
   */
  private bindOverAggregate(ast: Ast.Expr, agg: AggregateScope): Expr {
    if (ast.kind === 'call' && isAggregateName(ast.name) && !ast.hasOver) {
      const inputBinder = new ExprBinder(this.context, agg.inputScope, this.place);
      const call = ast.name === 'grouping' ? bindGroupingCall(ast, inputBinder, agg.groupBy) : bindAggregateCall(ast, inputBinder);
      const key = exprKey(call);
      let index = agg.aggregates.findIndex((a) => exprKey(a) === key);
      if (index < 0) index = agg.aggregates.push(call) - 1;
      return { kind: 'Column', index: agg.groupBy.length + index, type: call.type };
    }
    if (!containsAggregate(ast)) {
      const plain = tryBind(() => new ExprBinder(this.context, agg.inputScope, this.place).bindNode(ast));
      if (plain !== null) {
        const key = exprKey(plain);
        const group = agg.groupBy.findIndex((g) => exprKey(g) === key);
        if (group >= 0) return { kind: 'Column', index: group, type: plain.type };
        if (plain.kind === 'Literal' || plain.kind === 'Param') return plain;
      }
      if (ast.kind === 'column') {
        const column = agg.inputScope.resolve(ast.parts, positionOf(ast.location));
        const table = agg.inputScope.tables.find((t) => t.columns.includes(column));
        throw new DbError(
          '42803',
          `column "${table ? `${table.name}.` : ''}${column.name}" must appear in the GROUP BY clause or be used in an aggregate function`,
        ).withPosition(positionOf(ast.location));
      }
    }
    return this.bindNode(ast);
  }

  /** Binds one node; children go back through `bind`, so aggregate handling applies at every level. */
  bindNode(ast: Ast.Expr): Expr {
    const at = positionOf(ast.location);
    switch (ast.kind) {
      case 'column': {
        let column;
        try {
          column = this.scope.resolve(ast.parts, at);
        } catch (error) {
          // Not here (42703/42P01, never an ambiguity): maybe a column of a query around this one.
          if (!(error instanceof DbError) || (error.code !== '42703' && error.code !== '42P01')) throw error;
          const outer = resolveOuterColumn(ast.parts, at, this.context.outerScopes ?? [], this.context.correlations ?? []);
          if (outer === null) throw error;
          return outer;
        }
        return { kind: 'Column', index: column.index, type: column.type };
      }
      case 'subquery':
        return bindSubqueryExpr(this, ast);
      case 'literal':
        return bindLiteral(ast.value);
      case 'param':
        return this.bindParam(ast.index, ast.location);
      case 'cast': {
        const qualified = intervalQualifiedLiteral(ast.type, ast.arg);
        if (qualified !== null) return this.coerce(bindLiteral({ kind: 'string', text: qualified }), Types.interval, 'explicit', ast.location);
        const target = resolveCastType(ast.type);
        const arg = ast.arg.kind === 'array' ? bindArrayConstructor(this, ast.arg, target) : this.bind(ast.arg);
        return bindCatalogCast(arg, target, this.context) ?? this.coerce(arg, target, 'explicit', ast.location);
      }
      case 'arrayCompare':
        // The catalog's name[]/oid[] ... columns and functions keep their own search; other arrays are Eventide's.
        return isCatalogArray(this.bind(ast.array).type) ? this.bindArrayCompare(ast) : bindAnyAll(this, ast);
      case 'subscript': {
        const array = this.bind(ast.arg);
        if (!isCatalogArray(array.type)) return bindSubscript(this, ast);
        return bindArraySubscript(array, this.coerce(this.bind(ast.index), Types.int4, 'implicit', ast.index.location), at);
      }
      case 'binary':
        return this.bindBinary(ast.op, ast.left, ast.right, ast.location);
      case 'unary':
        return this.bindUnary(ast.op, ast.operand, ast.location);
      case 'and':
      case 'or':
        return { kind: ast.kind === 'and' ? 'And' : 'Or', args: ast.args.map((a) => this.condition(a, ast.kind.toUpperCase())), type: BOOL };
      case 'not':
        return { kind: 'Not', arg: this.condition(ast.arg, 'NOT'), type: BOOL };
      case 'isNull':
        return { kind: 'IsNull', arg: this.resolveUnknown(this.bind(ast.arg)), negated: ast.negated, type: BOOL };
      case 'isBool':
        return { kind: 'IsBool', arg: this.condition(ast.arg, 'IS'), test: ast.test, negated: ast.negated, type: BOOL };
      case 'in':
        return this.bindIn(ast);
      case 'between': {
        if (ast.symmetric) throw featureNotSupported('BETWEEN SYMMETRIC').withPosition(at);
        const low = this.bindComparison(ast.negated ? '<' : '>=', ast.arg, ast.low, ast.location);
        const high = this.bindComparison(ast.negated ? '>' : '<=', ast.arg, ast.high, ast.location);
        return { kind: ast.negated ? 'Or' : 'And', args: [low, high], type: BOOL };
      }
      case 'like': {
        const arg = this.bind(ast.arg);
        const pattern = this.bind(ast.pattern);
        if ((!isString(arg.type) && arg.type.id !== 'unknown') || (!isString(pattern.type) && pattern.type.id !== 'unknown')) {
          const op = `${ast.negated ? '!~~' : '~~'}${ast.caseInsensitive ? '*' : ''}`;
          throw undefinedOperator(`${typeLabel(arg.type)} ${op} ${typeLabel(pattern.type)}`).withPosition(at);
        }
        return {
          kind: 'Like',
          arg: this.coerce(arg, Types.text, 'implicit', ast.location),
          pattern: this.coerce(pattern, Types.text, 'implicit', ast.location),
          negated: ast.negated,
          caseInsensitive: ast.caseInsensitive,
          type: BOOL,
        };
      }
      case 'distinctFrom': {
        const [left, right] = this.unify(ast.left, ast.right, '=', ast.location);
        return { kind: 'DistinctFrom', left, right, negated: ast.negated, type: BOOL };
      }
      case 'case':
        return this.bindCase(ast);
      case 'coalesce': {
        const args = ast.args.map((a) => this.bind(a));
        const type = this.listType(args, 'COALESCE', ast.location);
        return { kind: 'Coalesce', args: args.map((a) => this.coerce(a, type, 'implicit', ast.location)), type };
      }
      case 'call':
        return this.bindCall(ast);
      case 'star':
        throw new DbError('42601', 'a star (*) is only allowed in a select list or count(*)').withPosition(at);
      case 'default':
        throw new DbError('42601', 'DEFAULT is not allowed in this context').withPosition(at);
      case 'nullif': {
        // NULLIF(a, b) is CASE WHEN a = b THEN NULL ELSE a END, of a's type.
        const first = this.resolveUnknown(this.bind(ast.left));
        const [l, r] = this.unifyBound(first, this.bind(ast.right), '=', ast.location, ast.left.location, ast.right.location);
        return {
          kind: 'Case',
          whens: [{ when: { kind: 'Call', fn: 'eq', args: [l, r], type: BOOL }, then: { kind: 'Literal', value: null, type: first.type } }],
          otherwise: first,
          type: first.type,
        };
      }
      case 'minmax': {
        const args = ast.args.map((a) => this.bind(a));
        const type = this.listType(args, ast.op.toUpperCase(), ast.location);
        if (type.id === 'jsonb' || type.id === 'bool') {
          throw undefinedFunction(`${ast.op}(${args.map((a) => typeLabel(a.type)).join(', ')})`).withPosition(at);
        }
        return { kind: 'MinMax', op: ast.op, args: args.map((a) => this.coerce(a, type, 'implicit', ast.location)), type };
      }
      case 'sqlFunction':
        return this.bindSqlValueFunction(ast.name, ast.location);
      case 'array':
        return bindArrayConstructor(this, ast, null);
      case 'row':
        throw featureNotSupported('row constructors outside comparisons').withPosition(at);
      case 'unsupported':
        throw featureNotSupported(ast.what).withPosition(at);
    }
  }

  /**
   * `x = ANY (array)` over the catalog's arrays: a constant array is an IN list of its elements;
   * an array column is searched by each element's text (catalog arrays hold no NULL elements).
   */
  private bindArrayCompare(ast: Extract<Ast.Expr, { kind: 'arrayCompare' }>): Expr {
    const at = positionOf(ast.location);
    const array = this.bind(ast.array);
    const elements = arrayLiteralElements(array);
    const equality = (ast.op === '=' && !ast.all) || (ast.op === '<>' && ast.all);
    if (!equality) throw featureNotSupported(`${ast.op} ${ast.all ? 'ALL' : 'ANY'} over an array`).withPosition(at);
    if (elements !== undefined) {
      if (elements === null) return { kind: 'Literal', value: null, type: BOOL };
      if (elements.length === 0) return { kind: 'Literal', value: ast.all, type: BOOL };
      const list: Ast.Expr[] = elements.map((text) => ({ kind: 'literal', value: { kind: 'string', text }, location: ast.array.location }));
      return this.bindIn({ kind: 'in', arg: ast.arg, list, negated: ast.all, location: ast.location });
    }
    if (ast.all || !isCatalogArray(array.type)) throw featureNotSupported('ANY/ALL over an array').withPosition(at);
    return arrayContains(array, this.coerce(this.resolveUnknown(this.bind(ast.arg)), Types.text, 'explicit', ast.arg.location));
  }

  /** CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP: now() of the statement, cast as the SQL form says. */
  private bindSqlValueFunction(name: string, location: number): Expr {
    const at = positionOf(location);
    const sessionValue = bindSessionValue(name, this.context);
    if (sessionValue !== null) return sessionValue;
    const now = this.context.functions.lookup('now');
    const base = name.replace(/_n$/, '');
    const target = base === 'current_timestamp' ? Types.timestamptz : base === 'current_date' ? Types.date : base === 'localtimestamp' ? Types.timestamp : null;
    if (now === undefined || target === null) throw featureNotSupported(name.replace(/_n$/, '').toUpperCase()).withPosition(at);
    const call: Expr = { kind: 'Function', name: 'now', signature: 0, args: [], type: Types.timestamptz };
    return target.id === 'timestamptz' ? call : { kind: 'Cast', arg: call, type: target, explicit: true };
  }

  private condition(ast: Ast.Expr, what: string): Expr {
    const expr = this.coerce(this.bind(ast), BOOL, 'implicit', ast.location, true);
    if (expr.type.id !== 'bool') {
      throw new DbError('42804', `argument of ${what} must be type boolean, not type ${typeLabel(expr.type)}`).withPosition(positionOf(ast.location));
    }
    return expr;
  }

  private bindParam(index: number, location: number): Expr {
    if (index < 1 || index > 65535) throw new DbError('42P02', `there is no parameter $${index}`).withPosition(positionOf(location));
    const params = this.context.params;
    while (params.length < index) params.push(Types.unknown);
    return { kind: 'Param', index: index - 1, type: params[index - 1] as DataType };
  }

  /** Unknown literals and parameters left without context become text, as in PostgreSQL. */
  resolveUnknown(expr: Expr): Expr {
    return expr.type.id === 'unknown' ? this.coerce(expr, Types.text, 'implicit', -1) : expr;
  }

  /**
   * Casts `expr` to `target`. Constants fold; unknown parameters take the type. With `soft`, a
   * cast that does not exist in the context returns the expression unchanged for the caller to
   * report; otherwise it throws 42804/42846 like PostgreSQL.
   */
  coerce(expr: Expr, target: DataType, context: 'implicit' | 'assignment' | 'explicit', location: number, soft = false): Expr {
    if (expr.type.id === target.id && expr.type.typmod === target.typmod) {
      // The catalog's variants of a type (oid of int4, name of text) share its values: a relabel.
      if (expr.type.oid === target.oid) return expr;
      return expr.kind === 'Literal' ? { ...expr, type: target } : { kind: 'Cast', arg: expr, type: target, explicit: context === 'explicit' };
    }
    if (expr.kind === 'Param' && expr.type.id === 'unknown') {
      this.context.params[expr.index] = baseType(target);
      const typed: Expr = { kind: 'Param', index: expr.index, type: baseType(target) };
      return target.typmod >= 0 ? { kind: 'Cast', arg: typed, type: target, explicit: context === 'explicit' } : typed;
    }
    if (expr.type.id === target.id && context !== 'explicit' && target.typmod < 0) return expr;
    if (!canCast(expr.type, target, context)) {
      if (soft) return expr;
      const at = positionOf(location);
      if (context === 'explicit' || castContext(expr.type, target) === null) {
        throw new DbError('42846', `cannot cast type ${typeLabel(expr.type)} to ${typeLabel(target)}`).withPosition(at);
      }
      throw new DbError('42804', `expression is of type ${typeLabel(expr.type)} but is expected to be of type ${typeLabel(target)}`).withPosition(at);
    }
    if (expr.kind === 'Literal') {
      try {
        return { kind: 'Literal', value: castValue(expr.value, expr.type, target, this.context.settings, context), type: target };
      } catch (error) {
        throw error instanceof DbError ? error.withPosition(positionOf(location)) : error;
      }
    }
    return { kind: 'Cast', arg: expr, type: target, explicit: context === 'explicit' };
  }

  private unify(leftAst: Ast.Expr, rightAst: Ast.Expr, op: string, location: number): [Expr, Expr] {
    const left = this.bind(leftAst);
    const right = this.bind(rightAst);
    return this.unifyBound(left, right, op, location, leftAst.location, rightAst.location);
  }

  private unifyBound(leftExpr: Expr, rightExpr: Expr, op: string, location: number, leftLocation: number, rightLocation: number): [Expr, Expr] {
    const [left, right] = alignCatalogOperands(leftExpr, rightExpr, this.context);
    const type = commonType(left.type, right.type);
    if (type === null) {
      throw undefinedOperator(`${typeLabel(left.type)} ${op} ${typeLabel(right.type)}`).withPosition(positionOf(location));
    }
    return [this.coerce(left, type, 'implicit', leftLocation), this.coerce(right, type, 'implicit', rightLocation)];
  }

  private bindComparison(op: string, leftAst: Ast.Expr, rightAst: Ast.Expr, location: number): Expr {
    const [left, right] = this.unify(leftAst, rightAst, op, location);
    return { kind: 'Call', fn: comparisonFunction(op), args: [left, right], type: BOOL };
  }

  private bindBinary(op: string, leftAst: Ast.Expr, rightAst: Ast.Expr, location: number): Expr {
    const at = positionOf(location);
    if (op === '=' || op === '<>' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
      if (leftAst.kind === 'row' || rightAst.kind === 'row') return bindRowComparison(op === '!=' ? '<>' : op, leftAst, rightAst, location, this.rowCompare);
      return this.bindComparison(op === '!=' ? '<>' : op, leftAst, rightAst, location);
    }
    const regex = regexOperatorFunctions[op];
    if (regex !== undefined) {
      try {
        return this.bindCall({ kind: 'call', name: regex, schema: null, args: [leftAst, rightAst], star: false, distinct: false, filter: null, hasOver: false, hasOrder: false, location });
      } catch (error) {
        if (!(error instanceof DbError) || error.code !== '42883') throw error;
        throw undefinedOperator(`${typeLabel(this.bind(leftAst).type)} ${op} ${typeLabel(this.bind(rightAst).type)}`).withPosition(at);
      }
    }
    const left = this.bind(leftAst);
    const right = this.bind(rightAst);
    const jsonb = bindJsonbOperator(this, op, left, right, leftAst.location, rightAst.location, location);
    if (jsonb !== null) return jsonb;
    if (op === '||') {
      if (isString(left.type) || isString(right.type) || (left.type.id === 'unknown' && right.type.id === 'unknown') || (left.type.id === 'unknown' && right.type.id !== 'jsonb') || (right.type.id === 'unknown' && left.type.id !== 'jsonb')) {
        const l = left.type.id === 'unknown' || isString(left.type) ? this.coerce(left, Types.text, 'implicit', leftAst.location) : this.coerce(left, Types.text, 'explicit', leftAst.location);
        const r = right.type.id === 'unknown' || isString(right.type) ? this.coerce(right, Types.text, 'implicit', rightAst.location) : this.coerce(right, Types.text, 'explicit', rightAst.location);
        return { kind: 'Call', fn: 'concat', args: [l, r], type: Types.text };
      }
      throw undefinedOperator(`${typeLabel(left.type)} || ${typeLabel(right.type)}`).withPosition(at);
    }
    if ((op === '->' || op === '->>') && left.type.id === 'jsonb') {
      const keyType = right.type.id === 'int2' || right.type.id === 'int4' ? Types.int4 : Types.text;
      if (!isString(right.type) && right.type.id !== 'unknown' && keyType !== Types.int4) {
        throw undefinedOperator(`jsonb ${op} ${typeLabel(right.type)}`).withPosition(at);
      }
      const key = this.coerce(right, keyType, 'implicit', rightAst.location);
      return { kind: 'Call', fn: op === '->' ? 'jsonb_get' : 'jsonb_get_text', args: [left, key], type: op === '->' ? Types.jsonb : Types.text };
    }
    const fn = arithmeticFunction(op);
    if (fn === null && jsonbOperators.has(op)) throw featureNotSupported(`jsonb operator ${op}`).withPosition(at);
    if (fn === null) throw undefinedOperator(`${typeLabel(left.type)} ${op} ${typeLabel(right.type)}`).withPosition(at);
    if (left.type.id === 'unknown' && right.type.id === 'unknown') {
      throw new DbError('42725', `operator is not unique: unknown ${op} unknown`, {
        hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.',
      }).withPosition(at);
    }
    const intervalArithmetic = bindIntervalArithmetic(this, fn, left, right, leftAst.location, rightAst.location);
    if (intervalArithmetic !== null) return intervalArithmetic;
    // date +/- integer and date - date, the date arithmetic of the core SQL.
    const dateArithmetic = bindDateArithmetic(this, fn, left, right, leftAst.location, rightAst.location);
    if (dateArithmetic !== null) return dateArithmetic;
    const numericOperands = (isNumeric(left.type) || left.type.id === 'unknown') && (isNumeric(right.type) || right.type.id === 'unknown');
    if (!numericOperands || (fn === 'mod' && (left.type.id.startsWith('float') || right.type.id.startsWith('float')))) {
      throw undefinedOperator(`${typeLabel(left.type)} ${op} ${typeLabel(right.type)}`).withPosition(at);
    }
    const [l, r] = this.unifyBound(left, right, op, location, leftAst.location, rightAst.location);
    return { kind: 'Call', fn, args: [l, r], type: l.type };
  }

  private bindUnary(op: string, operandAst: Ast.Expr, location: number): Expr {
    const operand = this.bind(operandAst);
    if ((op === '-' || op === '+') && (isNumeric(operand.type) || operand.type.id === 'unknown')) {
      if (operand.type.id === 'unknown') {
        throw new DbError('42725', `operator is not unique: ${op} unknown`).withPosition(positionOf(location));
      }
      if (op === '+') return operand;
      if (operand.kind === 'Literal' && typeof operand.value === 'number' && operand.type.id.startsWith('float')) {
        return { kind: 'Literal', value: -operand.value, type: operand.type };
      }
      return { kind: 'Call', fn: 'neg', args: [operand], type: operand.type };
    }
    const negatedInterval = op === '-' ? bindIntervalNegation(operand) : null;
    if (negatedInterval !== null) return negatedInterval;
    if (op === '@' && isNumeric(operand.type)) return { kind: 'Call', fn: 'abs', args: [operand], type: operand.type };
    throw undefinedOperator(`${op} ${typeLabel(operand.type)}`).withPosition(positionOf(location));
  }

  private readonly rowCompare = (op: string, left: Ast.Expr, right: Ast.Expr, location: number): Expr => this.bindComparison(op, left, right, location);

  private bindIn(ast: Extract<Ast.Expr, { kind: 'in' }>): Expr {
    if (ast.arg.kind === 'row') return bindRowIn(ast, this.rowCompare);
    const arg = this.bind(ast.arg);
    const list = ast.list.map((a) => this.bind(a));
    const type = commonTypeOfList([arg.type, ...list.map((e) => e.type)]);
    if (type === null) {
      const other = list.find((e) => commonType(arg.type, e.type) === null) ?? list[0];
      throw undefinedOperator(`${typeLabel(arg.type)} = ${typeLabel(other?.type ?? Types.unknown)}`).withPosition(positionOf(ast.location));
    }
    return {
      kind: 'InList',
      arg: this.coerce(arg, type, 'implicit', ast.arg.location),
      list: list.map((e, i) => this.coerce(e, type, 'implicit', ast.list[i]?.location ?? -1)),
      negated: ast.negated,
      type: BOOL,
    };
  }

  private bindCase(ast: Extract<Ast.Expr, { kind: 'case' }>): Expr {
    const operand = ast.operand ? this.bind(ast.operand) : null;
    const whens = ast.whens.map((w) => {
      let when: Expr;
      if (operand !== null) {
        const right = this.bind(w.when);
        const [l, r] = this.unifyBound(operand, right, '=', w.when.location, ast.location, w.when.location);
        when = { kind: 'Call', fn: 'eq', args: [l, r], type: BOOL };
      } else {
        when = this.condition(w.when, 'CASE/WHEN');
      }
      return { when, then: this.bind(w.then) };
    });
    const otherwise = ast.otherwise ? this.bind(ast.otherwise) : null;
    const results = [...whens.map((w) => w.then), ...(otherwise ? [otherwise] : [])];
    const type = this.listType(results, 'CASE', ast.location);
    return {
      kind: 'Case',
      whens: whens.map((w) => ({ when: w.when, then: this.coerce(w.then, type, 'implicit', ast.location) })),
      otherwise: otherwise ? this.coerce(otherwise, type, 'implicit', ast.location) : null,
      type,
    };
  }

  private listType(exprs: readonly Expr[], what: string, location: number): DataType {
    const type = commonTypeOfList(exprs.map((e) => e.type));
    if (type === null) {
      const [a, b] = exprs.map((e) => e.type).filter((t, i, all) => all.findIndex((u) => u.id === t.id) === i);
      throw new DbError('42804', `${what} types ${typeLabel(a ?? Types.unknown)} and ${typeLabel(b ?? Types.unknown)} cannot be matched`).withPosition(positionOf(location));
    }
    return type;
  }

  /** A value as its type's text output (booleans print t/f, unlike the cast to text). */
  private asOutputText(arg: Expr, location: number): Expr {
    if (arg.type.id !== 'bool') return this.coerce(arg, Types.text, 'explicit', location);
    const text = (value: string): Expr => ({ kind: 'Literal', value, type: Types.text });
    return { kind: 'Case', whens: [{ when: arg, then: text('t') }], otherwise: { kind: 'Case', whens: [{ when: { kind: 'Not', arg, type: BOOL }, then: text('f') }], otherwise: { kind: 'Literal', value: null, type: Types.text }, type: Types.text }, type: Types.text };
  }

  private bindCall(ast: Extract<Ast.Expr, { kind: 'call' }>): Expr {
    const at = positionOf(ast.location);
    if (ast.over != null) return bindWindowCall(ast, this);
    if (isWindowFunctionName(ast.name) && ast.schema === null) throw new DbError('42809', `window function ${ast.name} requires an OVER clause`).withPosition(at);
    if (isAggregateName(ast.name)) {
      throw new DbError('42803', `aggregate functions are not allowed in ${this.place}`).withPosition(at);
    }
    if ((ast.schema === null || ast.schema === 'pg_catalog') && sessionFunctionNames.has(ast.name)) {
      const bound = bindSessionFunction(ast.name, ast.args.map((a) => this.bind(a)), this.context, at);
      if (bound !== null) return bound;
    }
    const def = ast.schema === null || ast.schema === 'pg_catalog' ? this.context.functions.lookup(ast.name) : undefined;
    if (def === undefined && knownUnsupportedFunctions.has(ast.name)) {
      throw featureNotSupported(`function ${ast.name}`).withPosition(at);
    }
    const bound = ast.args.map((a, i) => {
      // A reg* argument is its OID to a function (PostgreSQL's binary-coercible regclass -> oid).
      const arg = regAsOid(this.bind(a), this.context);
      return textOutputArgument(def?.name, i, arg) ? this.asOutputText(arg, a.location) : arg;
    });
    let args = placeArguments(def, ast, bound);
    if (def?.name === 'jsonb_build_object') args = toJsonbArguments(this, args, ast.args.map((a) => a.location));
    const chosen = def === undefined ? null : resolveFunction(def, args.map((a) => a.type));
    if (def === undefined || chosen === null) {
      throw undefinedFunction(`${ast.schema === null ? '' : `${ast.schema}.`}${ast.name}(${args.map((a) => typeLabel(a.type)).join(', ')})`).withPosition(at);
    }
    if (ast.star || ast.distinct || ast.filter !== null || ast.hasOrder) {
      const what = ast.star ? '*' : ast.distinct ? 'DISTINCT' : ast.filter !== null ? 'FILTER' : 'ORDER BY';
      throw new DbError('42809', `${what} specified, but ${ast.name} is not an aggregate function`).withPosition(at);
    }
    const coerced = args.map((a, i) => this.coerce(a, chosen.argTypes[i] as DataType, 'implicit', ast.args[i]?.location ?? ast.location));
    return { kind: 'Function', name: def.name, signature: chosen.index, args: coerced, type: chosen.returnType };
  }
}

/** concat, concat_ws and format take "any" values and use each one's text output. */
function textOutputArgument(name: string | undefined, index: number, arg: Expr): boolean {
  if (name !== 'concat' && !((name === 'concat_ws' || name === 'format') && index > 0)) return false;
  return !isString(arg.type) && arg.type.id !== 'unknown';
}

function tryBind(f: () => Expr): Expr | null {
  try {
    return f();
  } catch (error) {
    if (error instanceof DbError) return null;
    throw error;
  }
}
