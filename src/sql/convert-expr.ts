/** Converts libpg-query's raw expression nodes into the typed AST's Expr. */
import type { Expr, LiteralValue, SortItem, TypeName, WindowSpec } from './ast.js';
import { convertQuery } from './convert-statement.js';

/** A raw parse node: `{ NodeType: { ...fields } }`. */
export type RawNode = Record<string, unknown>;
type Fields = Record<string, any>;

export function nodeType(node: RawNode): [string, Fields] {
  const key = Object.keys(node)[0] ?? 'Unknown';
  return [key, (node[key] ?? {}) as Fields];
}

export function stringsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const [type, f] = nodeType(item as RawNode);
    return type === 'String' ? String(f.sval ?? '') : type === 'A_Star' ? '*' : '';
  });
}

const unsupported = (what: string, location: number): Expr => ({ kind: 'unsupported', what, location });

export function convertTypeName(raw: Fields): TypeName {
  const names = stringsOf(raw.names);
  const modifiers: number[] = [];
  for (const m of (raw.typmods ?? []) as RawNode[]) {
    const [type, f] = nodeType(m);
    if (type === 'A_Const') modifiers.push(Number(f.ival?.ival ?? 0));
  }
  return {
    name: (names[names.length - 1] ?? '').toLowerCase(),
    modifiers,
    arrayBounds: Array.isArray(raw.arrayBounds) ? raw.arrayBounds.length : 0,
    location: Number(raw.location ?? -1),
  };
}

function convertLiteral(f: Fields): LiteralValue {
  if (f.isnull) return { kind: 'null' };
  if ('ival' in f) return { kind: 'integer', text: String(f.ival?.ival ?? 0) };
  if ('fval' in f) return { kind: 'float', text: String(f.fval?.fval ?? '0') };
  if ('sval' in f) return { kind: 'string', text: String(f.sval?.sval ?? '') };
  if ('boolval' in f) return { kind: 'bool', value: f.boolval?.boolval === true };
  if ('bsval' in f) return { kind: 'string', text: String(f.bsval?.bsval ?? '') };
  return { kind: 'null' };
}

export function convertExprList(list: unknown): Expr[] {
  return Array.isArray(list) ? list.map((n) => convertExpr(n as RawNode)) : [];
}

export function convertExpr(node: RawNode): Expr {
  const [type, f] = nodeType(node);
  const location = Number(f.location ?? -1);
  switch (type) {
    case 'ColumnRef': {
      const parts = stringsOf(f.fields);
      if (parts[parts.length - 1] === '*') {
        return parts.length === 1 ? { kind: 'star', table: null, location } : parts.length === 2 ? { kind: 'star', table: parts[0] ?? null, location } : unsupported('qualified star with schema', location);
      }
      return { kind: 'column', parts, location };
    }
    case 'A_Const':
      return { kind: 'literal', value: convertLiteral(f), location };
    case 'ParamRef':
      return { kind: 'param', index: Number(f.number ?? 0), location };
    case 'TypeCast':
      return { kind: 'cast', arg: convertExpr(f.arg), type: convertTypeName(f.typeName ?? {}), location: location >= 0 ? location : Number(f.typeName?.location ?? -1) };
    case 'BoolExpr': {
      const args = convertExprList(f.args);
      if (f.boolop === 'NOT_EXPR') return { kind: 'not', arg: args[0] ?? unsupported('NOT without operand', location), location };
      return { kind: f.boolop === 'AND_EXPR' ? 'and' : 'or', args, location };
    }
    case 'NullTest':
      return { kind: 'isNull', arg: convertExpr(f.arg), negated: f.nulltesttype === 'IS_NOT_NULL', location };
    case 'BooleanTest': {
      const t = String(f.booltesttype ?? '');
      const test = t.includes('TRUE') ? 'true' : t.includes('FALSE') ? 'false' : 'unknown';
      return { kind: 'isBool', arg: convertExpr(f.arg), test, negated: t.includes('_NOT_'), location };
    }
    case 'A_Expr':
      return convertAExpr(f, location);
    case 'FuncCall': {
      const names = stringsOf(f.funcname);
      const name = (names[names.length - 1] ?? '').toLowerCase();
      // name => value arguments (make_interval(days => 3)) keep their names for the binder.
      const rawArgs = (Array.isArray(f.args) ? f.args : []) as RawNode[];
      const named = rawArgs.map((a) => nodeType(a)).map(([t, af]) => (t === 'NamedArgExpr' ? { name: String(af.name), arg: af.arg as RawNode } : null));
      return {
        kind: 'call',
        name,
        schema: names.length > 1 ? (names[0] ?? null) : null,
        args: rawArgs.map((a, i) => convertExpr(named[i]?.arg ?? a)),
        ...(named.some((n) => n !== null) ? { argNames: named.map((n) => n?.name ?? null) } : {}),
        star: f.agg_star === true,
        distinct: f.agg_distinct === true,
        filter: f.agg_filter ? convertExpr(f.agg_filter) : null,
        hasOver: f.over !== undefined,
        over: f.over === undefined ? null : convertWindowSpec(f.over),
        hasOrder: Array.isArray(f.agg_order) && f.agg_order.length > 0,
        location,
        orderBy: convertSortList(f.agg_order),
        withinGroup: f.agg_within_group === true,
      };
    }
    case 'GroupingFunc':
      // GROUPING is a reserved word, so no user function can share the name.
      return { kind: 'call', name: 'grouping', schema: null, args: convertExprList(f.args), star: false, distinct: false, filter: null, hasOver: false, hasOrder: false, location };
    case 'CaseExpr':
      return {
        kind: 'case',
        operand: f.arg ? convertExpr(f.arg) : null,
        whens: ((f.args ?? []) as RawNode[]).map((w) => {
          const [, wf] = nodeType(w);
          return { when: convertExpr(wf.expr), then: convertExpr(wf.result) };
        }),
        otherwise: f.defresult ? convertExpr(f.defresult) : null,
        location,
      };
    case 'CoalesceExpr':
      return { kind: 'coalesce', args: convertExprList(f.args), location };
    case 'MinMaxExpr':
      return { kind: 'minmax', op: f.op === 'IS_GREATEST' ? 'greatest' : 'least', args: convertExprList(f.args), location };
    case 'SQLValueFunction':
      return { kind: 'sqlFunction', name: String(f.op ?? '').replace(/^SVFOP_/, '').toLowerCase(), location };
    case 'SetToDefault':
      return { kind: 'default', location };
    case 'SubLink': {
      const type = String(f.subLinkType);
      const op = stringsOf(f.operName).join('.');
      const query = convertQuery(f.subselect);
      if (type === 'EXPR_SUBLINK') return { kind: 'subquery', mode: 'scalar', op: '', arg: null, query, location };
      if (type === 'ARRAY_SUBLINK') return { kind: 'subquery', mode: 'array', op: '', arg: null, query, location };
      if (type === 'EXISTS_SUBLINK') return { kind: 'subquery', mode: 'exists', op: '', arg: null, query, location };
      if (type === 'ANY_SUBLINK' && (op === '' || op === '=')) return { kind: 'subquery', mode: 'in', op: '=', arg: convertExpr(f.testexpr), query, location };
      if ((type === 'ANY_SUBLINK' || type === 'ALL_SUBLINK') && ['=', '<>', '<', '<=', '>', '>='].includes(op)) {
        return { kind: 'subquery', mode: type === 'ANY_SUBLINK' ? 'any' : 'all', op, arg: convertExpr(f.testexpr), query, location };
      }
      return unsupported(`${type.replace('_SUBLINK', '')} subqueries${op === '' ? '' : ` with ${op}`}`, location);
    }
    case 'A_ArrayExpr':
      return { kind: 'array', elements: convertExprList(f.elements), location };
    case 'RowExpr':
      return { kind: 'row', args: convertExprList(f.args), location };
    case 'CollateClause': {
      // Eventide compares strings in the C collation, which is what these names mean.
      const collation = stringsOf(f.collname).filter((s) => s !== 'pg_catalog').join('.');
      return ['default', 'C', 'POSIX'].includes(collation) ? convertExpr(f.arg) : unsupported(`COLLATE ${collation}`, location);
    }
    case 'A_Indirection':
      return convertIndirection(f, location);
    default:
      return unsupported(`expression ${type}`, location);
  }
}

/** a[i] (repeated for a[i][j]); slices and field selection are refused. */
function convertIndirection(f: Fields, location: number): Expr {
  let expr = convertExpr(f.arg);
  for (const step of (f.indirection ?? []) as RawNode[]) {
    const [type, sf] = nodeType(step);
    if (type !== 'A_Indices') return unsupported('field selection', location);
    if (sf.is_slice === true || !sf.uidx) return unsupported('array slices', location);
    expr = { kind: 'subscript', arg: expr, index: convertExpr(sf.uidx), location };
  }
  return expr;
}

function convertAExpr(f: Fields, location: number): Expr {
  const op = stringsOf(f.name).filter((s) => s !== 'pg_catalog').join('.');
  const left = (): Expr => (f.lexpr ? convertExpr(f.lexpr) : unsupported('missing operand', location));
  const right = (): Expr => (f.rexpr ? convertExpr(f.rexpr) : unsupported('missing operand', location));
  switch (f.kind) {
    case 'AEXPR_OP':
      if (!f.lexpr) return { kind: 'unary', op, operand: right(), location };
      return { kind: 'binary', op, left: left(), right: right(), location };
    case 'AEXPR_IN': {
      const [, lf] = nodeType(f.rexpr ?? {});
      return { kind: 'in', arg: left(), list: convertExprList(lf.items), negated: op === '<>', location };
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      return { kind: 'like', arg: left(), pattern: right(), negated: op.startsWith('!'), caseInsensitive: f.kind === 'AEXPR_ILIKE', location };
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const [, lf] = nodeType(f.rexpr ?? {});
      const [low, high] = convertExprList(lf.items);
      return {
        kind: 'between',
        arg: left(),
        low: low ?? unsupported('BETWEEN bound', location),
        high: high ?? unsupported('BETWEEN bound', location),
        negated: String(f.kind).includes('NOT'),
        symmetric: String(f.kind).endsWith('_SYM'),
        location,
      };
    }
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT':
      return { kind: 'distinctFrom', left: left(), right: right(), negated: f.kind === 'AEXPR_NOT_DISTINCT', location };
    case 'AEXPR_NULLIF':
      return { kind: 'nullif', left: left(), right: right(), location };
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      return { kind: 'arrayCompare', op, all: f.kind === 'AEXPR_OP_ALL', arg: left(), array: right(), location };
    case 'AEXPR_SIMILAR':
      return unsupported('SIMILAR TO', location);
    default:
      return unsupported(`operator expression ${String(f.kind)}`, location);
  }
}

export function convertWindowSpec(f: Fields): WindowSpec {
  return {
    name: f.name ?? null,
    refName: f.refname ?? null,
    partitionBy: convertExprList(f.partitionClause),
    orderBy: convertSortList(f.orderClause),
    frameOptions: Number(f.frameOptions ?? 0),
    startOffset: f.startOffset ? convertExpr(f.startOffset) : null,
    endOffset: f.endOffset ? convertExpr(f.endOffset) : null,
    location: Number(f.location ?? -1),
  };
}

export function convertSortList(list: unknown): SortItem[] {
  if (!Array.isArray(list)) return [];
  return list.map((n) => {
    const [, f] = nodeType(n as RawNode);
    const nulls = f.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : f.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : null;
    const expr = f.sortby_dir === 'SORTBY_USING' ? unsupported('ORDER BY USING', -1) : convertExpr(f.node);
    return { expr, descending: f.sortby_dir === 'SORTBY_DESC', nullsFirst: nulls };
  });
}
