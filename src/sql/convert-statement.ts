/** Converts libpg-query's raw statement nodes into the typed AST's Statement and Query. */
import type { CopyOptionValue, ColumnDefinition, Expr, FromItem, GroupingItem, QualifiedName, Query, SelectTarget, Statement } from './ast.js';
import { convertExpr, convertExprList, convertSortList, convertWindowSpec, convertTypeName, nodeType, stringsOf, type RawNode } from './convert-expr.js';

type Fields = Record<string, any>;

function qualifiedName(f: Fields): QualifiedName {
  return { schema: f.schemaname ?? null, name: String(f.relname ?? ''), location: Number(f.location ?? -1) };
}

export function convertQuery(node: RawNode): Query {
  const [type, f] = nodeType(node);
  if (type !== 'SelectStmt') return { kind: 'unsupported', what: `query ${type}`, location: -1 };
  const location = -1;
  const limit = f.limitCount ? convertExpr(f.limitCount) : null;
  const offset = f.limitOffset ? convertExpr(f.limitOffset) : null;
  const orderBy = convertSortList(f.sortClause);
  if (f.op && f.op !== 'SETOP_NONE') {
    const op = String(f.op).replace('SETOP_', '').toLowerCase() as 'union' | 'intersect' | 'except';
    const ctes = ((f.withClause?.ctes ?? []) as RawNode[]).map((c) => {
      const [, cf] = nodeType(c);
      return { name: String(cf.ctename), columnAliases: stringsOf(cf.aliascolnames), query: convertQuery(cf.ctequery), recursive: f.withClause?.recursive === true, location: Number(cf.location ?? -1) };
    });
    return { kind: 'setop', op, all: f.all === true, left: convertQuery({ SelectStmt: f.larg }), right: convertQuery({ SelectStmt: f.rarg }), orderBy, limit, offset, with: ctes, location };
  }
  if (Array.isArray(f.valuesLists)) {
    const rows = (f.valuesLists as RawNode[]).map((row) => convertExprList(nodeType(row)[1].items));
    return { kind: 'values', rows, orderBy, limit, offset, location };
  }
  let unsupported: string | null = null;
  if (f.lockingClause) unsupported = 'FOR UPDATE/SHARE';
  else if (f.intoClause) unsupported = 'SELECT INTO';
  else if (f.limitOption === 'LIMIT_OPTION_WITH_TIES') unsupported = 'FETCH ... WITH TIES';
  const distinctList = Array.isArray(f.distinctClause) ? (f.distinctClause as RawNode[]) : null;
  const distinctOn = distinctList && distinctList.some((n) => Object.keys(n).length > 0) ? convertExprList(distinctList) : null;
  const targets: SelectTarget[] = ((f.targetList ?? []) as RawNode[]).map((t) => {
    const [, tf] = nodeType(t);
    return { expr: convertExpr(tf.val), alias: tf.name ?? null, location: Number(tf.location ?? -1) };
  });
  const from: FromItem[] = ((f.fromClause ?? []) as RawNode[]).map(convertFromItem);
  const ctes = ((f.withClause?.ctes ?? []) as RawNode[]).map((c) => {
    const [, cf] = nodeType(c);
    return { name: String(cf.ctename), columnAliases: stringsOf(cf.aliascolnames), query: convertQuery(cf.ctequery), recursive: f.withClause?.recursive === true, location: Number(cf.location ?? -1) };
  });
  const groupNodes = (f.groupClause ?? []) as RawNode[];
  const hasSets = groupNodes.some((g) => nodeType(g)[0] === 'GroupingSet');
  const groupBy = hasSets ? [] : convertExprList(f.groupClause);
  const groupingSets = hasSets ? groupNodes.map(convertGroupingItem) : null;
  return {
    kind: 'select',
    distinct: distinctList !== null && distinctOn === null,
    distinctOn,
    targets,
    from,
    where: f.whereClause ? convertExpr(f.whereClause) : null,
    groupBy,
    groupingSets,
    groupByDistinct: f.groupDistinct === true,
    having: f.havingClause ? convertExpr(f.havingClause) : null,
    orderBy,
    limit,
    offset,
    unsupported,
    with: ctes,
    windows: ((f.windowClause ?? []) as RawNode[]).map((w) => convertWindowSpec(nodeType(w)[1])),
    location,
  };
}

/** A GROUP BY item; a parenthesised list inside ROLLUP/CUBE/GROUPING SETS arrives as a RowExpr. */
function convertGroupingItem(n: RawNode): GroupingItem {
  const [t, g] = nodeType(n);
  if (t !== 'GroupingSet') return { kind: 'set', exprs: [convertExpr(n)] };
  const location = Number(g.location ?? -1);
  const content = (g.content ?? []) as RawNode[];
  const columnList = (c: RawNode): Expr[] => {
    const [ct, cf] = nodeType(c);
    return ct === 'RowExpr' && cf.row_format === 'COERCE_IMPLICIT_CAST' ? convertExprList(cf.args) : [convertExpr(c)];
  };
  switch (g.kind) {
    case 'GROUPING_SET_EMPTY':
      return { kind: 'set', exprs: [] };
    case 'GROUPING_SET_ROLLUP':
      return { kind: 'rollup', elements: content.map(columnList), location };
    case 'GROUPING_SET_CUBE':
      return { kind: 'cube', elements: content.map(columnList), location };
    default:
      return {
        kind: 'sets',
        items: content.map((c): GroupingItem => {
          const [ct] = nodeType(c);
          return ct === 'GroupingSet' ? convertGroupingItem(c) : { kind: 'set', exprs: columnList(c) };
        }),
        location,
      };
  }
}

function convertFromItem(n: RawNode): FromItem {
  const [ft, ff] = nodeType(n);
  const alias = (ff.alias?.aliasname as string | undefined) ?? null;
  const columnAliases = stringsOf(ff.alias?.colnames);
  switch (ft) {
    case 'RangeVar':
      return { kind: 'table', name: qualifiedName(ff), alias, columnAliases };
    case 'RangeSubselect':
      return { kind: 'subquery', query: convertQuery(ff.subquery), alias, columnAliases, lateral: ff.lateral === true, location: -1 };
    case 'JoinExpr': {
      const types: Record<string, 'inner' | 'left' | 'right' | 'full'> = { JOIN_INNER: 'inner', JOIN_LEFT: 'left', JOIN_RIGHT: 'right', JOIN_FULL: 'full' };
      const joinType = types[String(ff.jointype)];
      if (joinType === undefined) return { kind: 'unsupported', what: `join type ${String(ff.jointype)}`, location: -1 };
      if (ff.alias) return { kind: 'unsupported', what: 'an alias on a JOIN', location: -1 };
      return {
        kind: 'join',
        joinType,
        left: convertFromItem(ff.larg),
        right: convertFromItem(ff.rarg),
        condition: ff.quals ? convertExpr(ff.quals) : null,
        using: ff.usingClause ? stringsOf(ff.usingClause) : null,
        natural: ff.isNatural === true,
        location: -1,
      };
    }
    case 'RangeFunction': {
      const functions = (ff.functions ?? []) as RawNode[];
      if (ff.ordinality === true) return { kind: 'unsupported', what: 'WITH ORDINALITY', location: -1 };
      if (functions.length !== 1 || ff.is_rowsfrom === true) return { kind: 'unsupported', what: 'ROWS FROM', location: -1 };
      const [, list] = nodeType(functions[0] as RawNode);
      const [callNode, definitions] = (list.items ?? []) as RawNode[];
      if (definitions !== undefined && Object.keys(definitions).length > 0) return { kind: 'unsupported', what: 'column definition lists', location: -1 };
      const call = convertExpr(callNode as RawNode);
      if (call.kind !== 'call') return { kind: 'unsupported', what: 'this expression in FROM', location: call.location };
      return { kind: 'function', call, alias, columnAliases, location: call.location };
    }
    default:
      return { kind: 'unsupported', what: `FROM item ${ft}`, location: Number(ff.location ?? -1) };
  }
}

function convertCreate(f: Fields, sql: string): Statement {
  const columns: ColumnDefinition[] = [];
  let primaryKey: string[] | null = null;
  const unique: string[][] = [];
  let unsupported: string | null = null;
  for (const element of (f.tableElts ?? []) as RawNode[]) {
    const [et, ef] = nodeType(element);
    if (et === 'ColumnDef') {
      let notNull = false;
      let defaultExpr = null;
      let defaultSql: string | null = null;
      let pk = false;
      let uq = false;
      for (const c of (ef.constraints ?? []) as RawNode[]) {
        const [, cf] = nodeType(c);
        switch (cf.contype) {
          case 'CONSTR_NOTNULL':
            notNull = true;
            break;
          case 'CONSTR_NULL':
            notNull = false;
            break;
          case 'CONSTR_DEFAULT':
            defaultExpr = convertExpr(cf.raw_expr);
            defaultSql = expressionText(sql, Number(cf.location ?? -1));
            break;
          case 'CONSTR_PRIMARY':
            pk = true;
            notNull = true;
            break;
          case 'CONSTR_UNIQUE':
            uq = true;
            break;
          case 'CONSTR_CHECK':
            unsupported ??= 'CHECK constraints';
            break;
          case 'CONSTR_FOREIGN':
            unsupported ??= 'FOREIGN KEY constraints';
            break;
          case 'CONSTR_GENERATED':
          case 'CONSTR_IDENTITY':
            unsupported ??= 'generated and identity columns';
            break;
          default:
            break;
        }
      }
      if (ef.collClause) unsupported ??= 'COLLATE';
      columns.push({
        name: String(ef.colname ?? ''),
        type: convertTypeName(ef.typeName ?? {}),
        notNull,
        defaultExpr,
        defaultSql,
        primaryKey: pk,
        unique: uq,
        location: Number(ef.location ?? -1),
      });
    } else if (et === 'Constraint') {
      const keys = stringsOf(ef.keys);
      if (ef.contype === 'CONSTR_PRIMARY') primaryKey = keys;
      else if (ef.contype === 'CONSTR_UNIQUE') unique.push(keys);
      else unsupported ??= `table constraint ${String(ef.contype).replace('CONSTR_', '')}`;
    } else {
      unsupported ??= `table element ${et}`;
    }
  }
  for (const c of columns) {
    if (c.primaryKey) primaryKey = [c.name];
    if (c.unique) unique.push([c.name]);
  }
  if (f.inhRelations) unsupported ??= 'INHERITS';
  if (f.partbound) unsupported ??= 'PARTITION OF';
  if (f.relation?.relpersistence === 't') unsupported ??= 'temporary tables';
  let partitionBy = null;
  if (f.partspec) {
    const params = ((f.partspec.partParams ?? []) as RawNode[]).map((p) => nodeType(p)[1]);
    partitionBy = {
      strategy: String(f.partspec.strategy ?? '').replace('PARTITION_STRATEGY_', '').toLowerCase(),
      columns: params.map((p) => (p.name === undefined ? '' : String(p.name))),
      location: Number(f.partspec.location ?? -1),
    };
  }
  const options = ((f.options ?? []) as RawNode[]).map((o) => {
    const [, of] = nodeType(o);
    const [at, af] = nodeType(of.arg ?? { String: { sval: 'true' } });
    const value = at === 'Integer' ? String(af.ival ?? 0) : at === 'Float' ? String(af.fval) : at === 'Boolean' ? String(af.boolval === true) : at === 'TypeName' ? stringsOf(af.names).join('.') : String(af.sval ?? '');
    return { name: String(of.defname ?? '').toLowerCase(), value, location: Number(of.location ?? -1) };
  });
  return {
    kind: 'createTable',
    table: qualifiedName(f.relation ?? {}),
    ifNotExists: f.if_not_exists === true,
    columns,
    primaryKey,
    unique,
    partitionBy,
    options,
    unsupported,
  };
}

/** The source text of a DEFAULT clause's expression, from the location of the DEFAULT keyword. */
function expressionText(sql: string, location: number): string | null {
  if (location < 0) return null;
  const rest = sql.slice(location).replace(/^default\s+/i, '');
  // Scan to the end of the expression: a comma or closing parenthesis at depth 0, outside quotes.
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i] as string;
    if (quote !== null) {
      if (ch === quote) quote = rest[i + 1] === quote ? (i++, quote) : null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) return rest.slice(0, i).trim();
      depth--;
    } else if (ch === ',' && depth === 0) return rest.slice(0, i).trim();
    else if (depth === 0 && /\s/.test(ch)) {
      const word = /^\s+(not\s+null|null|primary|unique|check|references|constraint|collate|generated)\b/i.exec(rest.slice(i));
      if (word) return rest.slice(0, i).trim();
    }
  }
  return rest.trim();
}

function settingValue(args: unknown): string[] {
  return ((args ?? []) as RawNode[]).map((a) => {
    const [t, af] = nodeType(a);
    if (t === 'A_Const') {
      if ('ival' in af) return String(af.ival?.ival ?? 0);
      if ('fval' in af) return String(af.fval?.fval);
      if ('sval' in af) return String(af.sval?.sval ?? '');
      if ('boolval' in af) return af.boolval?.boolval ? 'on' : 'off';
    }
    if (t === 'TypeCast') return settingValue([af.arg])[0] ?? '';
    return '';
  });
}

export function convertStatement(node: RawNode, sql: string): Statement {
  const [type, f] = nodeType(node);
  switch (type) {
    case 'SelectStmt':
      return { kind: 'query', query: convertQuery(node) };
    case 'InsertStmt': {
      const columns = f.cols ? ((f.cols as RawNode[]).map((c) => nodeType(c)[1]).map((c) => ({ name: String(c.name), location: Number(c.location ?? -1) }))) : null;
      if (f.onConflictClause) return { kind: 'unsupported', what: 'INSERT ... ON CONFLICT', location: -1 };
      if (f.withClause) return { kind: 'unsupported', what: 'WITH', location: -1 };
      return { kind: 'insert', table: qualifiedName(f.relation ?? {}), columns, source: f.selectStmt ? convertQuery(f.selectStmt) : null, returning: Array.isArray(f.returningList) };
    }
    case 'CreateStmt':
      return convertCreate(f, sql);
    case 'DropStmt': {
      if (f.removeType !== 'OBJECT_TABLE') return { kind: 'unsupported', what: `DROP ${String(f.removeType).replace('OBJECT_', '')}`, location: -1 };
      const tables = ((f.objects ?? []) as RawNode[]).map((o) => {
        const parts = stringsOf(nodeType(o)[1].items);
        return parts.length > 1 ? { schema: parts[parts.length - 2] ?? null, name: parts[parts.length - 1] ?? '', location: -1 } : { schema: null, name: parts[0] ?? '', location: -1 };
      });
      return { kind: 'dropTable', tables, ifExists: f.missing_ok === true };
    }
    case 'TransactionStmt': {
      const kind = String(f.kind);
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') return { kind: 'transaction', action: 'begin' };
      if (kind === 'TRANS_STMT_COMMIT') return { kind: 'transaction', action: 'commit' };
      if (kind === 'TRANS_STMT_ROLLBACK') return { kind: 'transaction', action: 'rollback' };
      return { kind: 'unsupported', what: kind.replace('TRANS_STMT_', '').toLowerCase().replace(/_/g, ' ').toUpperCase(), location: -1 };
    }
    case 'VariableSetStmt': {
      const kind = String(f.kind);
      const name = String(f.name ?? '').toLowerCase();
      if (kind === 'VAR_RESET_ALL') return { kind: 'reset', name: null };
      if (kind === 'VAR_RESET') return { kind: 'reset', name };
      if (kind === 'VAR_SET_DEFAULT') return { kind: 'set', name, value: null, local: f.is_local === true };
      if (kind === 'VAR_SET_MULTI') return { kind: 'set', name: name === 'session characteristics' ? 'session_characteristics' : name, value: [], local: f.is_local === true };
      if (kind === 'VAR_SET_CURRENT') return { kind: 'unsupported', what: 'SET ... FROM CURRENT', location: -1 };
      return { kind: 'set', name, value: settingValue(f.args), local: f.is_local === true };
    }
    case 'VariableShowStmt':
      return { kind: 'show', name: String(f.name ?? '').toLowerCase() };
    case 'ExplainStmt': {
      const options = ((f.options ?? []) as RawNode[]).map((o) => nodeType(o)[1]);
      const flag = (name: string) => options.some((o) => o.defname === name && (o.arg === undefined || settingValue([o.arg])[0] !== 'off' && settingValue([o.arg])[0] !== 'false'));
      return { kind: 'explain', analyze: flag('analyze'), verbose: flag('verbose'), statement: convertStatement(f.query, sql) };
    }
    case 'CheckPointStmt':
      return { kind: 'checkpoint' };
    case 'CopyStmt':
      return convertCopy(f);
    case 'DiscardStmt':
      return { kind: 'discard' };
    default: {
      const words = type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
      return { kind: 'unsupported', what: words, location: -1 };
    }
  }
}

function convertCopy(f: Fields): Extract<Statement, { kind: 'copy' }> {
  const columns = f.attlist ? stringsOf(f.attlist).map((name) => ({ name, location: -1 })) : null;
  const options = ((f.options ?? []) as RawNode[]).map((o) => {
    const d = nodeType(o)[1];
    return { name: String(d.defname), value: copyOptionValue(d.arg as RawNode | undefined), location: Number(d.location ?? -1) };
  });
  return {
    kind: 'copy',
    table: f.relation ? qualifiedName(f.relation as Fields) : null,
    columns,
    query: f.query ? convertQuery(f.query as RawNode) : null,
    from: f.is_from === true,
    file: typeof f.filename === 'string' ? { name: f.filename, program: f.is_program === true } : null,
    options,
    hasWhere: f.whereClause !== undefined,
  };
}

function copyOptionValue(arg: RawNode | undefined): CopyOptionValue {
  if (arg === undefined) return true;
  const [type, v] = nodeType(arg);
  switch (type) {
    case 'String':
      return String(v.sval ?? '');
    case 'Boolean':
      return v.boolval === true ? 'true' : 'false';
    case 'Integer':
      return String(v.ival ?? 0);
    case 'Float':
      return String(v.fval ?? '0');
    case 'A_Star':
      return '*';
    case 'List':
      return stringsOf(v.items);
    default:
      return type;
  }
}
