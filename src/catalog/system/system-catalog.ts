/**
 * The system relations (pg_catalog's tables and views, information_schema's views) by name and
 * OID, with PostgreSQL 15's columns, and the fixed OIDs of the objects Eventide has: schemas,
 * the superuser (the session user) and the database owner role.
 */
import type { TableDef } from '../../../storage/table-def.js';
import type { DataType, Value } from '../../../storage/types.js';
import { systemRelationShapes, type SystemRelationShape } from './system-shapes.js';
import { eventideRelationShapes } from './eventide-relations.js';
import type { BotFlagRow } from '../../ingest/rules.js';
import { systemColumnType } from './system-types.js';

/** What the rows of a system relation depend on: the user tables and the session. */
export interface SystemContext {
  readonly tables: readonly TableDef[];
  readonly user: string;
  readonly database: string;
  /** Session settings by lower-case name (pg_settings). */
  readonly settings: ReadonlyMap<string, string>;
  /** The bot filters' counters for the live tables (eventide_bot_flags). */
  readonly botFlags?: (liveTableIds: ReadonlySet<number>) => BotFlagRow[];
}

/** A row by column name; a column it does not name is NULL. */
export type SystemRow = Readonly<Record<string, Value>>;

export interface SystemRelation {
  readonly schema: 'pg_catalog' | 'information_schema';
  readonly name: string;
  readonly oid: number;
  readonly relkind: 'r' | 'v';
  readonly columns: readonly { readonly name: string; readonly type: DataType }[];
}

export const namespaceOids = { pg_catalog: 11, pg_toast: 99, public: 2200, information_schema: 13207 } as const;

/** The bootstrap superuser, which the session user is, and the owner of schema public. */
export const superuserOid = 10;
export const databaseOwnerRoleOid = 6171;

function relationOf(shape: SystemRelationShape): SystemRelation {
  const columns = shape.columns.split(' ').map((pair) => {
    const [name, type] = pair.split(':') as [string, string];
    return { name, type: systemColumnType(type) };
  });
  return { schema: shape.schema, name: shape.name, oid: shape.oid, relkind: shape.relkind, columns };
}

export const systemRelations: readonly SystemRelation[] = [...systemRelationShapes, ...eventideRelationShapes].map(relationOf);

const byName = new Map(systemRelations.map((r) => [`${r.schema}.${r.name}`, r]));
const byOid = new Map(systemRelations.map((r) => [r.oid, r]));

/** The system relation `schema.name`; an unqualified name is looked up in pg_catalog only. */
export function findSystemRelation(schema: string | null, name: string): SystemRelation | undefined {
  return byName.get(`${schema ?? 'pg_catalog'}.${name}`);
}

export function systemRelationByOid(oid: number): SystemRelation | undefined {
  return byOid.get(oid);
}

