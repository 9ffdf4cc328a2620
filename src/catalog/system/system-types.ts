/**
 * The types of the system relations. PostgreSQL's catalog types (oid, name, "char", regclass,
 * information_schema's domains ...) are served as variants of Eventide's own types: the same
 * physical layout and operators (oid is an int4, name a text), but PostgreSQL's name, OID and
 * length, so RowDescription and format_type say what PostgreSQL says. Arrays, ACLs and node trees
 * only ever hold NULL (or text) here. information_schema's domains carry their base type's OID,
 * which is what PostgreSQL's RowDescription reports for a domain.
 */
import { Types, type DataType } from '../../../storage/types.js';

function variant(base: DataType, name: string, oid: number, typlen: number): DataType {
  return Object.freeze({ ...base, name, oid, typlen, typmod: -1 });
}

export const CatalogTypes = {
  oid: variant(Types.int4, 'oid', 26, 4),
  xid: variant(Types.int4, 'xid', 28, 4),
  name: variant(Types.text, 'name', 19, 64),
  char: variant(Types.text, '"char"', 18, 1),
  /** A relation name as regclass's output function prints it; casts resolve it against the catalog. */
  regclass: variant(Types.text, 'regclass', 2205, 4),
  regtype: variant(Types.text, 'regtype', 2206, 4),
  regproc: variant(Types.text, 'regproc', 24, 4),
  regnamespace: variant(Types.text, 'regnamespace', 4089, 4),
  bytea: variant(Types.text, 'bytea', 17, -1),
  inet: variant(Types.text, 'inet', 869, -1),
  int2vector: variant(Types.text, 'int2vector', 22, -1),
  oidvector: variant(Types.text, 'oidvector', 30, -1),
  pgNodeTree: variant(Types.text, 'pg_node_tree', 194, -1),
  charArray: variant(Types.text, '"char"[]', 1002, -1),
  nameArray: variant(Types.text, 'name[]', 1003, -1),
  int2Array: variant(Types.text, 'smallint[]', 1005, -1),
  textArray: variant(Types.text, 'text[]', 1009, -1),
  oidArray: variant(Types.text, 'oid[]', 1028, -1),
  aclitemArray: variant(Types.text, 'aclitem[]', 1034, -1),
  anyarray: variant(Types.text, 'anyarray', 2277, -1),
  cardinalNumber: variant(Types.int4, 'information_schema.cardinal_number', 23, 4),
  characterData: variant(Types.varchar, 'information_schema.character_data', 1043, -1),
  sqlIdentifier: variant(Types.text, 'information_schema.sql_identifier', 19, 64),
  timeStamp: variant(Types.timestamptz, 'information_schema.time_stamp', 1184, 8),
  yesOrNo: variant(Types.varchar, 'information_schema.yes_or_no', 1043, -1),
} as const;

/** The Eventide type of a system column, by its pg_type name. */
const byTypeName: Record<string, DataType> = {
  bool: Types.bool,
  int2: Types.int2,
  int4: Types.int4,
  int8: Types.int8,
  float4: Types.float4,
  text: Types.text,
  timestamptz: Types.timestamptz,
  oid: CatalogTypes.oid,
  xid: CatalogTypes.xid,
  name: CatalogTypes.name,
  char: CatalogTypes.char,
  regproc: CatalogTypes.regproc,
  regtype: CatalogTypes.regtype,
  bytea: CatalogTypes.bytea,
  inet: CatalogTypes.inet,
  int2vector: CatalogTypes.int2vector,
  oidvector: CatalogTypes.oidvector,
  pg_node_tree: CatalogTypes.pgNodeTree,
  _char: CatalogTypes.charArray,
  _int2: CatalogTypes.int2Array,
  _text: CatalogTypes.textArray,
  _oid: CatalogTypes.oidArray,
  _aclitem: CatalogTypes.aclitemArray,
  anyarray: CatalogTypes.anyarray,
  cardinal_number: CatalogTypes.cardinalNumber,
  character_data: CatalogTypes.characterData,
  sql_identifier: CatalogTypes.sqlIdentifier,
  time_stamp: CatalogTypes.timeStamp,
  yes_or_no: CatalogTypes.yesOrNo,
};

export function systemColumnType(typeName: string): DataType {
  const type = byTypeName[typeName];
  if (type === undefined) throw new Error(`system column type ${typeName} has no Eventide type`);
  return type;
}

/** One pg_type row: what pg_type, format_type and regtype need to know about a type. */
export interface TypeEntry {
  readonly oid: number;
  readonly typname: string;
  /** format_type's spelling, e.g. `character varying`, `"char"`. */
  readonly formatted: string;
  readonly typlen: number;
  readonly typbyval: boolean;
  readonly typtype: string;
  readonly typcategory: string;
  readonly typispreferred: boolean;
  readonly typelem: number;
  readonly typarray: number;
  readonly typbasetype: number;
  readonly typcollation: number;
  readonly typalign: string;
  readonly typstorage: string;
  readonly typnamespace: number;
}

// oid typname typlen typbyval typtype typcategory typispreferred typelem typarray typbasetype typcollation typalign typstorage typnamespace format_type
const typeRows = `16 bool 1 t b B t 0 1000 0 0 c p 11 boolean
17 bytea -1 f b U f 0 1001 0 0 i x 11 bytea
18 char 1 t b Z f 0 1002 0 0 c p 11 "char"
19 name 64 f b S f 18 1003 0 950 c p 11 name
20 int8 8 t b N f 0 1016 0 0 d p 11 bigint
21 int2 2 t b N f 0 1005 0 0 s p 11 smallint
22 int2vector -1 f b A f 21 1006 0 0 i p 11 int2vector
23 int4 4 t b N f 0 1007 0 0 i p 11 integer
24 regproc 4 t b N f 0 1008 0 0 i p 11 regproc
25 text -1 f b S t 0 1009 0 100 i x 11 text
26 oid 4 t b N t 0 1028 0 0 i p 11 oid
28 xid 4 t b U f 0 1011 0 0 i p 11 xid
30 oidvector -1 f b A f 26 1013 0 0 i p 11 oidvector
194 pg_node_tree -1 f b Z f 0 0 0 100 i x 11 pg_node_tree
700 float4 4 t b N f 0 1021 0 0 i p 11 real
701 float8 8 t b N t 0 1022 0 0 d p 11 double precision
705 unknown -2 f p X f 0 0 0 0 c p 11 unknown
869 inet -1 f b I t 0 1041 0 0 i m 11 inet
1002 _char -1 f b A f 18 0 0 0 i x 11 "char"[]
1003 _name -1 f b A f 19 0 0 950 i x 11 name[]
1005 _int2 -1 f b A f 21 0 0 0 i x 11 smallint[]
1009 _text -1 f b A f 25 0 0 100 i x 11 text[]
1028 _oid -1 f b A f 26 0 0 0 i x 11 oid[]
1034 _aclitem -1 f b A f 1033 0 0 0 i x 11 aclitem[]
1043 varchar -1 f b S f 0 1015 0 100 i x 11 character varying
1082 date 4 t b D f 0 1182 0 0 i p 11 date
1114 timestamp 8 t b D f 0 1115 0 0 d p 11 timestamp without time zone
1184 timestamptz 8 t b D t 0 1185 0 0 d p 11 timestamp with time zone
1700 numeric -1 f b N f 0 1231 0 0 i m 11 numeric
2205 regclass 4 t b N f 0 2210 0 0 i p 11 regclass
2206 regtype 4 t b N f 0 2211 0 0 i p 11 regtype
2277 anyarray -1 f p P f 0 0 0 0 d x 11 anyarray
3802 jsonb -1 f b U f 0 3807 0 0 i x 11 jsonb
4089 regnamespace 4 t b N f 0 4090 0 0 i p 11 regnamespace
13221 cardinal_number 4 t d N f 0 13220 23 0 i p 13207 information_schema.cardinal_number
13224 character_data -1 f d S f 0 13223 1043 950 i x 13207 information_schema.character_data
13226 sql_identifier 64 f d S f 0 13225 19 950 c p 13207 information_schema.sql_identifier
13232 time_stamp 8 t d D f 0 13231 1184 0 d p 13207 information_schema.time_stamp
13234 yes_or_no -1 f d S f 0 13233 1043 950 i x 13207 information_schema.yes_or_no`;

export const typeEntries: readonly TypeEntry[] = typeRows.split('\n').map((line) => {
  const f = line.split(' ');
  const n = (i: number) => Number(f[i]);
  return {
    oid: n(0),
    typname: f[1] as string,
    typlen: n(2),
    typbyval: f[3] === 't',
    typtype: f[4] as string,
    typcategory: f[5] as string,
    typispreferred: f[6] === 't',
    typelem: n(7),
    typarray: n(8),
    typbasetype: n(9),
    typcollation: n(10),
    typalign: f[11] as string,
    typstorage: f[12] as string,
    typnamespace: n(13),
    formatted: f.slice(14).join(' '),
  };
});

const entryByOid = new Map(typeEntries.map((t) => [t.oid, t]));

export function typeEntry(oid: number): TypeEntry | undefined {
  return entryByOid.get(oid);
}

/** format_type(oid, typmod): the type's SQL spelling with its modifier, as PostgreSQL prints it. */
export function formatTypeOid(oid: number, typmod: number | null): string | null {
  const entry = entryByOid.get(oid);
  if (entry === undefined) return oid === 0 ? '-' : '???';
  const mod = typmod ?? -1;
  if (mod >= 0 && oid === 1043) return `character varying(${mod - 4})`;
  if (mod >= 0 && oid === 1700) return `numeric(${((mod - 4) >> 16) & 0xffff},${(mod - 4) & 0xffff})`;
  if (mod >= 0 && (oid === 1114 || oid === 1184)) return entry.formatted.replace('timestamp', `timestamp(${mod})`);
  return entry.formatted;
}
