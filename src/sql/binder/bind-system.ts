/**
 * The binder's side of the system catalog: system relations in FROM (pg_catalog.pg_class,
 * unqualified pg_class through the search path, information_schema.tables) become Values of the
 * catalog's rows at bind time; the OID alias types (regclass, regtype, regnamespace) are resolved
 * against the catalog (constants fold, a column maps through the known OIDs); and the functions
 * that depend on the session (current_user, current_database(), pg_get_userbyid ...) bind as
 * constants, as they are stable for a session.
 */
import { DbError, featureNotSupported, undefinedTable } from '../../../storage/errors.js';
import { Types, type DataType, type Value } from '../../../storage/types.js';
import type { Expr } from '../../../planner/expr.js';
import type { LogicalPlan } from '../../../planner/logical-plan.js';
import type * as Ast from '../ast.js';
import { tableOid, type Catalog } from '../../catalog/catalog.js';
import {
  databaseOwnerRoleOid,
  findSystemRelation,
  namespaceOids,
  superuserOid,
  systemRelations,
  type SystemContext,
} from '../../catalog/system/system-catalog.js';
import { systemRelationRows } from '../../catalog/system/system-relations.js';
import { liveRelations } from '../../catalog/system/eventide-relations.js';
import { CatalogTypes, typeEntries, typeEntry } from '../../catalog/system/system-types.js';
import { arraySubscriptFunction, arraySubscriptSignatures, quoteIdent } from '../../functions/catalog-functions.js';
import type { BindContext } from './bind-expr.js';
import { resolveTypeName } from './type-names.js';
import { findSetting, settingValue } from '../settings.js';

/** What the catalog binding needs of the session. */
export interface BindSession {
  readonly catalog: Catalog;
  readonly user: string;
  readonly database: string;
  readonly processId: number;
  readonly settings: ReadonlyMap<string, string>;
  /** Changeable settings this statement read at bind time (current_setting), and their values. */
  readonly settingsRead?: Map<string, string>;
  /** Set when the statement reads a system view of live counters, so it is bound at each execution. */
  readonly liveRead?: { value: boolean };
}

const catalogTypeNames: Record<string, DataType> = {
  oid: CatalogTypes.oid,
  xid: CatalogTypes.xid,
  name: CatalogTypes.name,
  char: CatalogTypes.char,
  regclass: CatalogTypes.regclass,
  regtype: CatalogTypes.regtype,
  regnamespace: CatalogTypes.regnamespace,
  regproc: CatalogTypes.regproc,
  pg_node_tree: CatalogTypes.pgNodeTree,
};

/** The one-dimensional arrays of catalog columns, by element type name. */
/** Arrays of the catalog's own types; text[], int2[] ... are Eventide's array types. */
const catalogArrayTypes: Record<string, DataType> = {
  oid: CatalogTypes.oidArray,
  name: CatalogTypes.nameArray,
  char: CatalogTypes.charArray,
};

/** The array type whose elements are `element`, among the arrays Eventide has (the catalog's); null otherwise. */
export function arrayTypeOf(element: DataType): DataType | null {
  if (element.id === 'varchar') return CatalogTypes.textArray;
  const entry = typeEntries.find((t) => t.typelem === element.oid && t.typcategory === 'A');
  return entry === undefined ? null : (Object.values(CatalogTypes).find((t) => t.oid === entry.oid) ?? null);
}

/** A type name in a cast: Eventide's types and the catalog's (oid, name, regclass, oid[] ...). */
export function resolveCastType(typeName: Ast.TypeName): DataType {
  const catalogType = typeName.arrayBounds === 0 ? catalogTypeNames[typeName.name] : typeName.arrayBounds === 1 ? catalogArrayTypes[typeName.name] : undefined;
  return catalogType ?? resolveTypeName(typeName);
}

function systemContext(session: BindSession): SystemContext {
  const rules = session.catalog.ingestRules;
  return {
    tables: session.catalog.database.listTables(),
    user: session.user,
    database: session.database,
    settings: session.settings,
    botFlags: rules === null ? undefined : (live) => rules.botFlagRows(live),
  };
}

function literal(value: Value, type: DataType): Expr {
  return { kind: 'Literal', value, type };
}

export function bindSystemRelation(item: Extract<Ast.FromItem, { kind: 'table' }>, context: BindContext): LogicalPlan | null {
  const relation = findSystemRelation(item.name.schema, item.name.name);
  if (relation === undefined) return null;
  const session = context.session;
  if (session === undefined) throw featureNotSupported(`system relation ${relation.name} here`);
  if (liveRelations.has(relation.name) && session.liveRead !== undefined) session.liveRead.value = true;
  const rows = systemRelationRows(relation, systemContext(session));
  return {
    kind: 'Values',
    rows: rows.map((row) => row.map((value, i) => literal(value, (relation.columns[i] as { type: DataType }).type))),
    schema: relation.columns.map((c) => ({ name: c.name, type: c.type, tableId: 0, columnNumber: 0 })),
  };
}

interface NamedOid {
  readonly oid: number;
  /** The output of the reg* type: quoted, qualified only when not on the search path. */
  readonly name: string;
  /** Spellings that resolve to it. */
  readonly keys: readonly string[];
}

function relationNames(session: BindSession): NamedOid[] {
  const entry = (oid: number, schema: string, name: string): NamedOid => {
    const visible = schema === 'public' || schema === 'pg_catalog';
    const quoted = quoteIdent(name);
    const qualified = `${quoteIdent(schema)}.${quoted}`;
    const keys = [...(visible ? [name, quoted] : []), `${schema}.${name}`, qualified];
    return { oid, name: visible ? quoted : qualified, keys: keys.filter((k, i) => keys.indexOf(k) === i) };
  };
  return [
    ...session.catalog.database.listTables().map((t) => entry(tableOid(t.id), t.schema, t.name)),
    ...systemRelations.map((r) => entry(r.oid, r.schema, r.name)),
  ];
}

function typeNames(): NamedOid[] {
  return typeEntries.map((t) => ({ oid: t.oid, name: t.formatted, keys: [t.typname, t.formatted] }));
}

function namespaceNames(): NamedOid[] {
  return Object.entries(namespaceOids).map(([name, oid]) => ({ oid, name, keys: [name] }));
}

/** A name as regclass_in reads it: identifiers fold to lower case unless quoted. */
function normalizeName(text: string): string {
  return text
    .trim()
    .split('.')
    .map((part) => (part.startsWith('"') && part.endsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase()))
    .join('.');
}

function namesFor(type: DataType, session: BindSession): NamedOid[] | null {
  if (type === CatalogTypes.regclass) return relationNames(session);
  if (type === CatalogTypes.regtype) return typeNames();
  if (type === CatalogTypes.regnamespace) return namespaceNames();
  return null;
}

function notFound(type: DataType, text: string): DbError {
  if (type === CatalogTypes.regclass) return undefinedTable(text);
  if (type === CatalogTypes.regtype) return new DbError('42704', `type "${text}" does not exist`);
  return new DbError('42704', `schema "${text}" does not exist`);
}

const isOidLike = (type: DataType) => type.id === 'int2' || type.id === 'int4' || type.id === 'int8';
const isRegType = (type: DataType) => type === CatalogTypes.regclass || type === CatalogTypes.regtype || type === CatalogTypes.regnamespace;

/**
 * Casts to and from regclass, regtype and regnamespace, which PostgreSQL stores as OIDs but
 * prints as names; null when the cast is not one of these.
 */
export function bindCatalogCast(expr: Expr, target: DataType, context: BindContext): Expr | null {
  const session = context.session;
  const from = expr.type;
  const targetNames = isRegType(target) && session !== undefined ? namesFor(target, session) : null;
  if (targetNames !== null) {
    if (from === target) return expr;
    if (expr.kind === 'Literal' && expr.value === null) return literal(null, target);
    if (expr.kind === 'Literal' && (from.id === 'unknown' || from.id === 'text' || from.id === 'varchar')) {
      const text = expr.value as string;
      if (/^\d+$/.test(text.trim())) return literal(targetNames.find((n) => n.oid === Number(text))?.name ?? text.trim(), target);
      const key = normalizeName(text);
      const found = targetNames.find((n) => n.keys.includes(key));
      if (found === undefined) throw notFound(target, text);
      return literal(found.name, target);
    }
    if (from.id === 'text' || from.id === 'varchar') {
      // A name computed per row (Metabase's format('%I.%I', schema, table)::regclass); a name
      // that matches nothing is NULL here, where PostgreSQL raises 42P01.
      return {
        kind: 'Case',
        whens: targetNames.flatMap((n) => n.keys.map((key) => ({ when: equals(expr, literal(key, from)), then: literal(n.name, target) }))),
        otherwise: literal(null, target),
        type: target,
      };
    }
    if (isOidLike(from)) {
      if (expr.kind === 'Literal') return literal(targetNames.find((n) => n.oid === Number(expr.value))?.name ?? String(expr.value), target);
      return {
        kind: 'Case',
        whens: targetNames.map((n) => ({ when: equals(expr, literal(n.oid, from)), then: literal(n.name, target) })),
        otherwise: { kind: 'Cast', arg: expr, type: target, explicit: true },
        type: target,
      };
    }
    return null;
  }
  const sourceNames = isRegType(from) && session !== undefined ? namesFor(from, session) : null;
  if (sourceNames !== null && (isOidLike(target) || target.id === 'text' || target.id === 'varchar')) {
    if (!isOidLike(target)) return expr.kind === 'Literal' ? literal(expr.value, target) : { kind: 'Cast', arg: expr, type: target, explicit: true };
    const oidType = target.id === 'int4' ? target : CatalogTypes.oid;
    const oidOf = (name: string) => sourceNames.find((n) => n.name === name)?.oid ?? Number(name);
    if (expr.kind === 'Literal') return literal(expr.value === null ? null : oidOf(expr.value as string), oidType);
    return {
      kind: 'Case',
      whens: sourceNames.map((n) => ({ when: equals(expr, literal(n.name, from)), then: literal(n.oid, oidType) })),
      otherwise: literal(null, oidType),
      type: oidType,
    };
  }
  return null;
}

function equals(left: Expr, right: Expr): Expr {
  return { kind: 'Call', fn: 'eq', args: [left, right], type: Types.bool };
}

/** An OID compared with a reg* value compares OIDs, as PostgreSQL's binary-coercible casts do. */
export function alignCatalogOperands(left: Expr, right: Expr, context: BindContext): [Expr, Expr] {
  if (isRegType(left.type) && isOidLike(right.type)) {
    const l = bindCatalogCast(left, CatalogTypes.oid, context) ?? left;
    return [l, right];
  }
  if (isRegType(right.type) && isOidLike(left.type)) {
    const r = bindCatalogCast(right, CatalogTypes.oid, context) ?? right;
    return [left, r];
  }
  return [left, right];
}

export function regAsOid(expr: Expr, context: BindContext): Expr {
  return isRegType(expr.type) ? (bindCatalogCast(expr, CatalogTypes.oid, context) ?? expr) : expr;
}

/** SQL value functions of the session: CURRENT_USER, SESSION_USER, CURRENT_CATALOG, CURRENT_SCHEMA. */
export function bindSessionValue(name: string, context: BindContext): Expr | null {
  const session = context.session;
  if (session === undefined) return null;
  switch (name) {
    case 'current_user':
    case 'session_user':
    case 'user':
    case 'current_role':
      return literal(session.user, CatalogTypes.name);
    case 'current_catalog':
      return literal(session.database, CatalogTypes.name);
    case 'current_schema':
      return literal('public', CatalogTypes.name);
    default:
      return null;
  }
}

export const sessionFunctionNames = new Set(['current_setting', 'current_database', 'current_schema', 'current_user', 'session_user', 'pg_backend_pid', 'current_schemas', 'pg_get_userbyid']);

/** Functions whose result is fixed for the session; null when `name` is not one of them. */
export function bindSessionFunction(name: string, args: readonly Expr[], context: BindContext, position: number | undefined): Expr | null {
  const session = context.session;
  if (session === undefined) return null;
  const none = args.length === 0;
  switch (name) {
    case 'current_database':
      return none ? literal(session.database, CatalogTypes.name) : null;
    case 'current_schema':
      return none ? literal('public', CatalogTypes.name) : null;
    case 'current_user':
    case 'session_user':
      return none ? literal(session.user, CatalogTypes.name) : null;
    case 'current_setting': {
      // The value is fixed at bind time; a prepared statement that read a changeable setting is
      // bound again when the setting has changed (settingsRead).
      const arg = args[0];
      if (args.length !== 1 || arg === undefined || (arg.type.id !== 'unknown' && arg.type.id !== 'text')) return null;
      if (arg.kind !== 'Literal' || arg.value === null) throw featureNotSupported('current_setting() of a non-constant name').withPosition(position);
      const setting = findSetting(arg.value as string);
      const value = settingValue(session.settings, setting.name);
      if (setting.readOnly !== true) {
        if (session.settingsRead === undefined) throw featureNotSupported(`current_setting('${setting.name}') here; use SHOW`).withPosition(position);
        session.settingsRead.set(setting.name, value);
      }
      return literal(value, Types.text);
    }
    case 'pg_backend_pid':
      return none ? literal(session.processId, Types.int4) : null;
    case 'current_schemas': {
      const arg = args[0];
      if (args.length !== 1 || arg === undefined || arg.type.id !== 'bool') return null;
      if (arg.kind !== 'Literal') throw featureNotSupported('current_schemas() of a non-constant argument').withPosition(position);
      if (arg.value === null) return literal(null, CatalogTypes.nameArray);
      return literal(arg.value === true ? '{pg_catalog,public}' : '{public}', CatalogTypes.nameArray);
    }
    case 'pg_get_userbyid': {
      const arg = args[0];
      if (args.length !== 1 || arg === undefined || !(isOidLike(arg.type) || arg.type.id === 'unknown')) return null;
      const roles: [number, string][] = [[superuserOid, session.user], [databaseOwnerRoleOid, 'pg_database_owner']];
      const oid = arg.kind === 'Literal' && arg.type.id === 'unknown' ? literal(Number(arg.value), CatalogTypes.oid) : arg;
      return {
        kind: 'Case',
        whens: roles.map(([roleOid, role]) => ({ when: equals(oid, literal(roleOid, oid.type)), then: literal(role, CatalogTypes.name) })),
        otherwise: {
          kind: 'Call',
          fn: 'concat',
          args: [{ kind: 'Call', fn: 'concat', args: [literal('unknown (OID=', Types.text), { kind: 'Cast', arg: oid, type: Types.text, explicit: true }], type: Types.text }, literal(')', Types.text)],
          type: CatalogTypes.name,
        },
        type: CatalogTypes.name,
      };
    }
    default:
      return null;
  }
}

export function isCatalogArray(type: DataType): boolean {
  return type.id === 'text' && typeEntry(type.oid)?.typcategory === 'A';
}

/** The elements of a constant array (a typed catalog array or an untyped '{...}' literal); undefined when not constant. */
export function arrayLiteralElements(array: Expr): readonly string[] | null | undefined {
  if (array.kind !== 'Literal' || !(isCatalogArray(array.type) || array.type.id === 'unknown')) return undefined;
  if (array.value === null) return null;
  const text = array.value as string;
  if (!/^\{[^"\\]*\}$/.test(text)) throw featureNotSupported('array literals with quoted elements');
  return text.slice(1, -1).split(',').filter((e) => e !== '');
}

/** `element = ANY (array column)`: NULL when either is NULL, else whether the array holds it. */
export function arrayContains(array: Expr, element: Expr): Expr {
  const position: Expr = { kind: 'Function', name: 'array_position', signature: 0, args: [array, element], type: Types.int4 };
  return {
    kind: 'Case',
    whens: [{ when: { kind: 'Or', args: [{ kind: 'IsNull', arg: array, negated: false, type: Types.bool }, { kind: 'IsNull', arg: element, negated: false, type: Types.bool }], type: Types.bool }, then: literal(null, Types.bool) }],
    otherwise: { kind: 'IsNull', arg: position, negated: true, type: Types.bool },
    type: Types.bool,
  };
}

/** `array[i]` over the catalog's arrays: `(current_schemas(true))[1]` folds; a column's element is read per row. */
export function bindArraySubscript(array: Expr, index: Expr, position: number | undefined): Expr {
  const signature = arraySubscriptSignatures.findIndex((s) => s.argTypes[0] === array.type);
  if (signature < 0) throw featureNotSupported(`subscripts of type ${array.type.name}`).withPosition(position);
  const elementType = (arraySubscriptSignatures[signature] as { returnType: DataType }).returnType;
  if (array.kind === 'Literal' && index.kind === 'Literal') {
    if (array.value === null || index.value === null) return literal(null, elementType);
    const elements = (array.value as string).replace(/^\{|\}$/g, '').split(',').filter((e) => e !== '');
    const element = elements[(index.value as number) - 1];
    return element === undefined ? literal(null, elementType) : { kind: 'Cast', arg: literal(element, Types.text), type: elementType, explicit: true };
  }
  return { kind: 'Function', name: arraySubscriptFunction, signature, args: [array, index], type: elementType };
}
