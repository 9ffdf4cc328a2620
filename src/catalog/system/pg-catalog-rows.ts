/**
 * The rows of pg_catalog's relations. Eventide has one database, the schemas pg_catalog, public
 * and information_schema, the user tables of the catalog (OID 16384 + id) and the system
 * relations themselves; a relation without rows here (pg_index, pg_constraint, pg_proc ...) is
 * empty, as it is for objects Eventide does not have.
 */
import type { DataType } from '../../../storage/types.js';
import { tableOid } from '../catalog.js';
import { allSettings, findSetting } from '../../sql/settings.js';
import {
  databaseOwnerRoleOid,
  namespaceOids,
  superuserOid,
  systemRelations,
  type SystemContext,
  type SystemRow,
} from './system-catalog.js';
import { typeEntries, typeEntry } from './system-types.js';

type Rows = (context: SystemContext) => SystemRow[];

export const databaseOid = 5;
export const publicSchemaDescription = 'standard public schema';
const heapAccessMethodOid = 2;
const defaultCollationOid = 100;
const defaultTablespaceOid = 1663;

/** A relation of pg_class, user table or system relation, with what its rows need. */
interface RelationInfo {
  readonly oid: number;
  readonly name: string;
  readonly namespace: number;
  readonly kind: 'r' | 'v';
  readonly columns: readonly { readonly name: string; readonly type: DataType; readonly notNull: boolean; readonly defaultSql: string | null }[];
}

export function relations(context: SystemContext): RelationInfo[] {
  const user = context.tables.map((t) => ({ oid: tableOid(t.id), name: t.name, namespace: namespaceOids.public, kind: 'r' as const, columns: t.columns }));
  const system = systemRelations.map((r) => ({
    oid: r.oid,
    name: r.name,
    namespace: namespaceOids[r.schema],
    kind: r.relkind,
    columns: r.columns.map((c) => ({ name: c.name, type: c.type, notNull: false, defaultSql: null })),
  }));
  return [...user, ...system];
}

function namespaceRows(context: SystemContext): SystemRow[] {
  const row = (name: keyof typeof namespaceOids, owner: number, acl: string | null) => ({ oid: namespaceOids[name], nspname: name, nspowner: owner, nspacl: acl });
  const ownedBy = (role: string) => `{${role}=UC/${role},=U/${role}}`;
  return [
    row('pg_toast', superuserOid, null),
    row('pg_catalog', superuserOid, ownedBy(context.user)),
    row('public', databaseOwnerRoleOid, ownedBy('pg_database_owner')),
    row('information_schema', superuserOid, ownedBy(context.user)),
  ];
}

function classRows(context: SystemContext): SystemRow[] {
  return relations(context).map((r) => ({
    oid: r.oid,
    relname: r.name,
    relnamespace: r.namespace,
    reltype: 0,
    reloftype: 0,
    relowner: superuserOid,
    relam: r.kind === 'r' ? heapAccessMethodOid : 0,
    relfilenode: r.kind === 'r' ? r.oid : 0,
    reltablespace: 0,
    relpages: 0,
    reltuples: -1,
    relallvisible: 0,
    reltoastrelid: 0,
    relhasindex: false,
    relisshared: false,
    relpersistence: 'p',
    relkind: r.kind,
    relnatts: r.columns.length,
    relchecks: 0,
    relhasrules: r.kind === 'v',
    relhastriggers: false,
    relhassubclass: false,
    relrowsecurity: false,
    relforcerowsecurity: false,
    relispopulated: true,
    relreplident: r.kind === 'r' ? 'd' : 'n',
    relispartition: false,
    relrewrite: 0,
    relfrozenxid: 0,
    relminmxid: 0,
  }));
}

function typeFacts(type: DataType) {
  const entry = typeEntry(type.oid);
  return {
    atttypid: type.oid,
    attlen: entry?.typlen ?? type.typlen,
    atttypmod: type.typmod,
    attbyval: entry?.typbyval ?? false,
    attalign: entry?.typalign ?? 'i',
    attstorage: entry?.typstorage ?? 'p',
    attcollation: entry?.typcollation ?? 0,
  };
}

function attributeRows(context: SystemContext): SystemRow[] {
  return relations(context).flatMap((r) =>
    r.columns.map((c, i) => ({
      attrelid: r.oid,
      attname: c.name,
      ...typeFacts(c.type),
      attstattarget: -1,
      attnum: i + 1,
      attndims: 0,
      attcacheoff: -1,
      attcompression: '',
      attnotnull: c.notNull,
      atthasdef: c.defaultSql !== null,
      atthasmissing: false,
      attidentity: '',
      attgenerated: '',
      attisdropped: false,
      attislocal: true,
      attinhcount: 0,
    })),
  );
}

function attrdefRows(context: SystemContext): SystemRow[] {
  let oid = 1;
  return relations(context).flatMap((r) =>
    r.columns.flatMap((c, i) => (c.defaultSql === null ? [] : [{ oid: r.oid * 1000 + oid++, adrelid: r.oid, adnum: i + 1, adbin: c.defaultSql }])),
  );
}

function typeRows(): SystemRow[] {
  return typeEntries.map((t) => ({
    oid: t.oid,
    typname: t.typname,
    typnamespace: t.typnamespace,
    typowner: superuserOid,
    typlen: t.typlen,
    typbyval: t.typbyval,
    typtype: t.typtype,
    typcategory: t.typcategory,
    typispreferred: t.typispreferred,
    typisdefined: true,
    typdelim: ',',
    typrelid: 0,
    typsubscript: '-',
    typelem: t.typelem,
    typarray: t.typarray,
    typinput: `${t.typname}in`,
    typoutput: `${t.typname}out`,
    typreceive: '-',
    typsend: '-',
    typmodin: '-',
    typmodout: '-',
    typanalyze: '-',
    typalign: t.typalign,
    typstorage: t.typstorage,
    typnotnull: false,
    typbasetype: t.typbasetype,
    typtypmod: -1,
    typndims: 0,
    typcollation: t.typcollation,
  }));
}

function databaseRows(context: SystemContext): SystemRow[] {
  return [
    {
      oid: databaseOid,
      datname: context.database,
      datdba: superuserOid,
      encoding: 6,
      datlocprovider: 'c',
      datistemplate: false,
      datallowconn: true,
      datconnlimit: -1,
      datfrozenxid: 0,
      datminmxid: 1,
      dattablespace: defaultTablespaceOid,
      datcollate: 'C',
      datctype: 'C',
      datcollversion: null,
    },
  ];
}

function tablesRows(context: SystemContext): SystemRow[] {
  const schemaName = (oid: number) => (Object.keys(namespaceOids) as (keyof typeof namespaceOids)[]).find((k) => namespaceOids[k] === oid) ?? null;
  return relations(context)
    .filter((r) => r.kind === 'r')
    .map((r) => ({
      schemaname: schemaName(r.namespace),
      tablename: r.name,
      tableowner: context.user,
      tablespace: null,
      hasindexes: false,
      hasrules: false,
      hastriggers: false,
      rowsecurity: false,
    }));
}

function settingsRows(context: SystemContext): SystemRow[] {
  return allSettings(context.settings).map(([name, setting, description]) => {
    const boot = findSetting(name).defaultValue;
    return {
    name,
    setting,
    unit: null,
    category: 'Eventide',
    short_desc: description,
    extra_desc: null,
    context: 'user',
    vartype: setting === 'on' || setting === 'off' ? 'bool' : /^-?\d+$/.test(setting) ? 'integer' : 'string',
    source: setting === boot ? 'default' : 'session',
    boot_val: boot,
    reset_val: boot,
    pending_restart: false,
    };
  });
}

function roleRow(name: string, oid: number, superuser: boolean): SystemRow {
  return {
    rolname: name,
    rolsuper: superuser,
    rolinherit: true,
    rolcreaterole: superuser,
    rolcreatedb: superuser,
    rolcanlogin: superuser,
    rolreplication: superuser,
    rolconnlimit: -1,
    rolpassword: '********',
    rolvaliduntil: null,
    rolbypassrls: superuser,
    rolconfig: null,
    oid,
  };
}

function rolesRows(context: SystemContext): SystemRow[] {
  return [roleRow(context.user, superuserOid, true), roleRow('pg_database_owner', databaseOwnerRoleOid, false)];
}

function userRows(context: SystemContext): SystemRow[] {
  return [
    {
      usename: context.user,
      usesysid: superuserOid,
      usecreatedb: true,
      usesuper: true,
      userepl: true,
      usebypassrls: true,
      passwd: '********',
      valuntil: null,
      useconfig: null,
    },
  ];
}

export const pgCatalogRows: Readonly<Record<string, Rows>> = {
  pg_namespace: namespaceRows,
  pg_class: classRows,
  pg_attribute: attributeRows,
  pg_attrdef: attrdefRows,
  pg_type: typeRows,
  pg_database: databaseRows,
  pg_tables: tablesRows,
  pg_settings: settingsRows,
  pg_roles: rolesRows,
  pg_user: userRows,
  pg_description: () => [{ objoid: namespaceOids.public, classoid: 2615, objsubid: 0, description: publicSchemaDescription }],
  pg_am: () => [
    { oid: heapAccessMethodOid, amname: 'heap', amhandler: 'heap_tableam_handler', amtype: 't' },
    { oid: 403, amname: 'btree', amhandler: 'bthandler', amtype: 'i' },
  ],
  pg_tablespace: () => [
    { oid: defaultTablespaceOid, spcname: 'pg_default', spcowner: superuserOid },
    { oid: 1664, spcname: 'pg_global', spcowner: superuserOid },
  ],
  pg_collation: () => [
    { oid: defaultCollationOid, collname: 'default', collnamespace: namespaceOids.pg_catalog, collowner: superuserOid, collprovider: 'd', collisdeterministic: true, collencoding: -1, collcollate: null, collctype: null },
    { oid: 950, collname: 'C', collnamespace: namespaceOids.pg_catalog, collowner: superuserOid, collprovider: 'c', collisdeterministic: true, collencoding: -1, collcollate: 'C', collctype: 'C' },
  ],
};
