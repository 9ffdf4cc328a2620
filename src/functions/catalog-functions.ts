/**
 * The system information functions psql, JDBC and BI tools call while browsing the catalog
 * (format_type, pg_table_is_visible, pg_get_expr, obj_description, has_*_privilege,
 * pg_encoding_to_char, version, quote_ident, array_to_string over catalog arrays).
 * Functions that depend on the session (current_user, pg_get_userbyid ...) are bound as constants
 * by the binder instead (src/sql/binder/bind-system.ts). Catalog queries are small, so these go
 * through one value at a time.
 */
import { DbError } from '../../storage/errors.js';
import { Types, type DataType, type Value } from '../../storage/types.js';
import { getValue, vectorFromValues, type Vector } from '../../storage/vector.js';
import type { FunctionSignature, ScalarFunctionDef } from '../../planner/functions.js';
import { CatalogTypes, formatTypeOid } from '../catalog/system/system-types.js';
import { serverVersion } from '../sql/settings.js';
import { namespaceOids } from '../catalog/system/system-catalog.js';
import { publicSchemaDescription } from '../catalog/system/pg-catalog-rows.js';

const T = Types.text;
const B = Types.bool;
const OID = CatalogTypes.oid;
const NAME = CatalogTypes.name;

/** Applies `f` to each row's argument values; `strict` rows with a NULL argument give NULL. */
function perRow(type: DataType, strict: boolean, f: (values: Value[]) => Value) {
  return (_signature: number, args: readonly Vector[], length: number): Vector => {
    const out = new Array<Value>(length);
    for (let row = 0; row < length; row++) {
      const values = args.map((a) => getValue(a, row));
      out[row] = strict && values.some((v) => v === null) ? null : f(values);
    }
    return vectorFromValues(type, out);
  };
}

function def(name: string, signatures: FunctionSignature[], strict: boolean, f: (values: Value[]) => Value): ScalarFunctionDef {
  const type = (signatures[0] as FunctionSignature).returnType;
  return { name, signatures, strict, evaluate: perRow(type, strict, f) };
}

const plainIdentifier = /^[a-z_][a-z0-9_$]*$/;
// The reserved key words quote_ident must quote (PostgreSQL's RESERVED_KEYWORD category).
const reservedWords = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric table then to trailing true union unique user using variadic when where window with').split(' '),
);

export function quoteIdent(name: string): string {
  return plainIdentifier.test(name) && !reservedWords.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The elements of a one-dimensional array literal such as `{a,"b c",NULL}`. */
function arrayElements(text: string): (string | null)[] {
  const body = text.replace(/^\{/, '').replace(/\}$/, '');
  if (body === '') return [];
  const out: (string | null)[] = [];
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let value = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        value += body[i] ?? '';
        i++;
      }
      out.push(value);
      i += 2;
    } else {
      const end = body.indexOf(',', i);
      const raw = body.slice(i, end < 0 ? body.length : end);
      out.push(raw === 'NULL' ? null : raw);
      i = end < 0 ? body.length + 1 : end + 1;
    }
  }
  return out;
}

/** format(): %s (text output), %I (quote_ident), %L (quote_literal) and %%, optionally as %n$s. */
function format(values: readonly Value[]): Value {
  const [template, ...args] = values;
  if (template === null || template === undefined) return null;
  let next = 0;
  return (template as string).replace(/%(?:(\d+)\$)?([sIL%])/g, (_match, position: string | undefined, kind: string) => {
    if (kind === '%') return '%';
    const index = position === undefined ? next++ : Number(position) - 1;
    if (position !== undefined) next = index + 1;
    if (index < 0 || index >= args.length) throw new DbError('22023', 'too few arguments for format()');
    const value = args[index] as string | null;
    if (kind === 's') return value ?? '';
    if (kind === 'I') {
      if (value === null) throw new DbError('22004', 'null values cannot be formatted as an SQL identifier');
      return quoteIdent(value);
    }
    return value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`;
  });
}

/** `array[i]`: bound by the binder only (the name cannot be written as a function call). */
export const arraySubscriptFunction = 'array subscript';
export const arraySubscriptSignatures: FunctionSignature[] = [
  { argTypes: [CatalogTypes.nameArray, Types.int4], returnType: NAME },
  { argTypes: [CatalogTypes.textArray, Types.int4], returnType: T },
  { argTypes: [CatalogTypes.oidArray, Types.int4], returnType: OID },
  { argTypes: [CatalogTypes.int2Array, Types.int4], returnType: Types.int2 },
  { argTypes: [CatalogTypes.charArray, Types.int4], returnType: CatalogTypes.char },
  // int2vector and oidvector: space-separated, subscripts from 0.
  { argTypes: [CatalogTypes.int2vector, Types.int4], returnType: Types.int2 },
  { argTypes: [CatalogTypes.oidvector, Types.int4], returnType: OID },
];

/** Per signature of arraySubscriptSignatures: an element's text to its value. */
const elementParsers: ((text: string) => Value)[] = [(t) => t, (t) => t, Number, Number, (t) => t, Number, Number];
const firstVectorSignature = 5;

function arraySubscript(signature: number, args: readonly Vector[], length: number): Vector {
  const parse = elementParsers[signature] as (text: string) => Value;
  const out = new Array<Value>(length);
  for (let row = 0; row < length; row++) {
    const array = getValue(args[0] as Vector, row);
    const index = getValue(args[1] as Vector, row);
    const vector = signature >= firstVectorSignature;
    const elements = array === null ? [] : vector ? (array as string).split(' ').filter((e) => e !== '') : arrayElements(array as string);
    const element = array === null || index === null ? null : (elements[(index as number) - (vector ? 0 : 1)] ?? null);
    out[row] = element === null ? null : parse(element);
  }
  return vectorFromValues((arraySubscriptSignatures[signature] as FunctionSignature).returnType, out);
}

const arrayTypes = [CatalogTypes.nameArray, CatalogTypes.textArray, CatalogTypes.oidArray, CatalogTypes.aclitemArray, CatalogTypes.charArray, CatalogTypes.int2Array];
const encodings: Record<number, string> = { 0: 'SQL_ASCII', 6: 'UTF8' };
const startedAtMicros = Date.now() * 1000;
const privilegeSignatures: FunctionSignature[] = [
  { argTypes: [T, T], returnType: B },
  { argTypes: [OID, T], returnType: B },
  { argTypes: [NAME, T, T], returnType: B },
  { argTypes: [NAME, OID, T], returnType: B },
];

export const catalogFunctions: readonly ScalarFunctionDef[] = [
  def('version', [{ argTypes: [], returnType: T }], false, () => `PostgreSQL ${serverVersion}, compiled for Node.js, 64-bit`),
  def('format_type', [{ argTypes: [OID, Types.int4], returnType: T }], false, ([oid, typmod]) =>
    oid === null || oid === undefined ? null : formatTypeOid(oid as number, (typmod ?? null) as number | null),
  ),
  // Every schema Eventide has but information_schema is on the search path (pg_catalog, public).
  def('pg_table_is_visible', [{ argTypes: [OID], returnType: B }], true, ([oid]) => !((oid as number) >= 13207 && (oid as number) < 14000)),
  def('pg_type_is_visible', [{ argTypes: [OID], returnType: B }], true, ([oid]) => (oid as number) < 13207),
  // pg_attrdef.adbin holds the DEFAULT expression's own text, which is what pg_get_expr prints.
  def('pg_get_expr', [{ argTypes: [CatalogTypes.pgNodeTree, OID], returnType: T }, { argTypes: [CatalogTypes.pgNodeTree, OID, B], returnType: T }], true, ([tree]) => tree ?? null),
  // pg_description holds one comment: the public schema's.
  def('obj_description', [{ argTypes: [OID], returnType: T }, { argTypes: [OID, NAME], returnType: T }], true, ([oid, catalog]) =>
    oid === namespaceOids.public && (catalog === undefined || catalog === 'pg_namespace') ? publicSchemaDescription : null,
  ),
  // pg_statistic_ext is empty: no statistics object to print.
  def('pg_get_statisticsobjdef_columns', [{ argTypes: [OID], returnType: T }], true, () => null),
  // Every table Eventide has could be published; no publication exists (pg_publication is empty).
  def('pg_relation_is_publishable', [{ argTypes: [OID], returnType: B }], true, ([oid]) => (oid as number) >= 16384),
  def('pg_function_is_visible', [{ argTypes: [OID], returnType: B }], true, () => true),
  // pg_proc is empty, so there is no function whose result or arguments these could print.
  def('pg_get_function_result', [{ argTypes: [OID], returnType: T }], true, () => null),
  def('pg_get_function_arguments', [{ argTypes: [OID], returnType: T }], true, () => null),
  def('pg_get_function_identity_arguments', [{ argTypes: [OID], returnType: T }], true, () => null),
  def('col_description', [{ argTypes: [OID, Types.int4], returnType: T }], true, () => null),
  def('shobj_description', [{ argTypes: [OID, NAME], returnType: T }], true, () => null),
  def('has_table_privilege', privilegeSignatures, true, () => true),
  def('has_schema_privilege', privilegeSignatures, true, () => true),
  def('has_database_privilege', privilegeSignatures, true, () => true),
  def('has_column_privilege', [{ argTypes: [OID, T, T], returnType: B }, { argTypes: [T, T, T], returnType: B }], true, () => true),
  def('pg_encoding_to_char', [{ argTypes: [Types.int4], returnType: NAME }], true, ([n]) => encodings[n as number] ?? ''),
  def('pg_postmaster_start_time', [{ argTypes: [], returnType: Types.timestamptz }], false, () => startedAtMicros),
  { name: arraySubscriptFunction, signatures: arraySubscriptSignatures, strict: true, evaluate: arraySubscript },
  def('array_upper', [{ argTypes: [CatalogTypes.anyarray, Types.int4], returnType: Types.int4 }], true, ([array, dimension]) => {
    const count = arrayElements(array as string).length;
    return dimension === 1 && count > 0 ? count : null;
  }),
  def('array_lower', [{ argTypes: [CatalogTypes.anyarray, Types.int4], returnType: Types.int4 }], true, ([array, dimension]) =>
    dimension === 1 && arrayElements(array as string).length > 0 ? 1 : null,
  ),
  // array_position over the catalog's arrays, element compared by its text (catalog arrays hold no NULLs).
  def('array_position', [{ argTypes: [CatalogTypes.anyarray, T], returnType: Types.int4 }], true, ([array, element]) => {
    const index = arrayElements(array as string).indexOf(element as string);
    return index < 0 ? null : index + 1;
  }),
  def('format', [{ argTypes: [T, T], returnType: T, variadic: true }], false, format),
  def('quote_ident', [{ argTypes: [T], returnType: T }], true, ([s]) => quoteIdent(s as string)),
  def('array_to_string', arrayTypes.map((a) => ({ argTypes: [a, T], returnType: T })), true, ([array, separator]) =>
    arrayElements(array as string).filter((e) => e !== null).join(separator as string),
  ),
];
