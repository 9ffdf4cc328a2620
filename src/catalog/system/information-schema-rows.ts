/**
 * The rows of information_schema's views (SQL-standard names and types), from the same relations
 * pg_class lists. Eventide has no views or routines, so those views are empty.
 */
import type { DataType } from '../../../storage/types.js';
import { namespaceOids, type SystemContext, type SystemRow } from './system-catalog.js';
import { relations } from './pg-catalog-rows.js';
import { typeEntry } from './system-types.js';

type Rows = (context: SystemContext) => SystemRow[];

const schemaNames = new Map<number, string>(Object.entries(namespaceOids).map(([name, oid]) => [oid, name]));

function schemataRows(context: SystemContext): SystemRow[] {
  return ['information_schema', 'pg_catalog', 'pg_toast', 'public'].map((name) => ({
    catalog_name: context.database,
    schema_name: name,
    schema_owner: name === 'public' ? 'pg_database_owner' : context.user,
  }));
}

function tablesRows(context: SystemContext): SystemRow[] {
  return relations(context).map((r) => ({
    table_catalog: context.database,
    table_schema: schemaNames.get(r.namespace) ?? null,
    table_name: r.name,
    table_type: r.kind === 'r' ? 'BASE TABLE' : 'VIEW',
    is_insertable_into: r.kind === 'r' && r.namespace === namespaceOids.public ? 'YES' : 'NO',
    is_typed: 'NO',
  }));
}

/** The standard's data_type: a built-in type by its SQL name, a domain by its base type's, an array as ARRAY. */
function dataTypeName(type: DataType): string {
  const entry = typeEntry(type.oid);
  if (entry === undefined) return 'USER-DEFINED';
  if (entry.typcategory === 'A') return 'ARRAY';
  if (entry.typtype === 'd') return typeEntry(entry.typbasetype)?.formatted ?? 'USER-DEFINED';
  if (entry.oid === 18) return '"char"';
  return entry.formatted;
}

/** character_maximum_length, numeric_precision ... as information_schema's _pg_char_max_length and friends compute them. */
function typeMeasures(type: DataType): SystemRow {
  const entry = typeEntry(type.oid);
  const base = entry !== undefined && entry.typtype === 'd' ? entry.typbasetype : type.oid;
  const mod = type.typmod;
  switch (base) {
    case 21:
      return { numeric_precision: 16, numeric_precision_radix: 2, numeric_scale: 0 };
    case 23:
      return { numeric_precision: 32, numeric_precision_radix: 2, numeric_scale: 0 };
    case 20:
      return { numeric_precision: 64, numeric_precision_radix: 2, numeric_scale: 0 };
    case 700:
      return { numeric_precision: 24, numeric_precision_radix: 2 };
    case 701:
      return { numeric_precision: 53, numeric_precision_radix: 2 };
    case 1700:
      return mod < 0 ? { numeric_precision_radix: 10 } : { numeric_precision: ((mod - 4) >> 16) & 0xffff, numeric_precision_radix: 10, numeric_scale: (mod - 4) & 0xffff };
    case 25:
      return { character_octet_length: 1073741824 };
    case 1043:
      return mod < 0 ? { character_octet_length: 1073741824 } : { character_maximum_length: mod - 4, character_octet_length: (mod - 4) * 4 };
    case 1082:
      return { datetime_precision: 0 };
    case 1114:
    case 1184:
      return { datetime_precision: mod < 0 ? 6 : mod };
    default:
      return {};
  }
}

function columnsRows(context: SystemContext): SystemRow[] {
  return relations(context).flatMap((r) =>
    r.columns.map((c, i) => {
      const entry = typeEntry(c.type.oid);
      const domain = entry !== undefined && entry.typtype === 'd';
      const udt = domain ? typeEntry(entry.typbasetype) : entry;
      return {
        table_catalog: context.database,
        table_schema: schemaNames.get(r.namespace) ?? null,
        table_name: r.name,
        column_name: c.name,
        ordinal_position: i + 1,
        column_default: c.defaultSql,
        is_nullable: c.notNull ? 'NO' : 'YES',
        data_type: dataTypeName(c.type),
        ...typeMeasures(c.type),
        domain_catalog: domain ? context.database : null,
        domain_schema: domain ? 'information_schema' : null,
        domain_name: domain ? (entry?.typname ?? null) : null,
        udt_catalog: context.database,
        udt_schema: 'pg_catalog',
        udt_name: udt?.typname ?? null,
        maximum_cardinality: null,
        dtd_identifier: String(i + 1),
        is_self_referencing: 'NO',
        is_identity: 'NO',
        identity_cycle: 'NO',
        is_generated: 'NEVER',
        is_updatable: r.kind === 'r' && r.namespace === namespaceOids.public ? 'YES' : 'NO',
      };
    }),
  );
}

export const informationSchemaRows: Readonly<Record<string, Rows>> = {
  schemata: schemataRows,
  tables: tablesRows,
  columns: columnsRows,
};
