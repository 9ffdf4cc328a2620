/** Resolves SQL type names (as PostgreSQL's grammar spells them) to Eventide DataTypes. */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import { arrayType, Types, withTypmod, type DataType } from '../../../storage/types.js';
import type * as Ast from '../ast.js';
import type { TypeName } from '../ast.js';

const aliases: Record<string, DataType> = {
  bool: Types.bool,
  boolean: Types.bool,
  int2: Types.int2,
  smallint: Types.int2,
  int4: Types.int4,
  int: Types.int4,
  integer: Types.int4,
  int8: Types.int8,
  bigint: Types.int8,
  float4: Types.float4,
  real: Types.float4,
  float8: Types.float8,
  'double precision': Types.float8,
  numeric: Types.numeric,
  decimal: Types.numeric,
  text: Types.text,
  varchar: Types.varchar,
  'character varying': Types.varchar,
  date: Types.date,
  timestamp: Types.timestamp,
  timestamptz: Types.timestamptz,
  jsonb: Types.jsonb,
  interval: Types.interval,
};

const knownButUnsupported = new Set([
  'json', 'bpchar', 'char', 'character', 'bytea', 'uuid', 'time', 'timetz', 'inet', 'cidr',
  'money', 'bit', 'varbit', 'xml', 'point', 'oid', 'regclass', 'regtype', 'name', 'serial', 'bigserial',
]);

export function resolveTypeName(typeName: TypeName): DataType {
  if (typeName.arrayBounds > 0) {
    // int[], int[3] and int[][] are all one array type in PostgreSQL; element modifiers are dropped.
    const element = resolveTypeName({ ...typeName, arrayBounds: 0 });
    return arrayType(element.typmod < 0 ? element : Types[element.id]) as DataType;
  }
  const base = aliases[typeName.name];
  if (base === undefined) {
    if (knownButUnsupported.has(typeName.name)) {
      throw featureNotSupported(`type ${typeName.name}`).withPosition(position(typeName));
    }
    throw new DbError('42704', `type "${typeName.name}" does not exist`, position(typeName) === undefined ? {} : { position: position(typeName) });
  }
  const mods = typeName.modifiers;
  if (mods.length === 0) return base;
  switch (base.id) {
    case 'varchar': {
      const n = mods[0] as number;
      if (mods.length > 1) throw new DbError('42601', 'invalid type modifier');
      if (n < 1) throw new DbError('22023', 'length for type varchar must be at least 1');
      if (n > 10485760) throw new DbError('22023', 'length for type varchar cannot exceed 10485760');
      return withTypmod(base, n + 4);
    }
    case 'numeric': {
      const precision = mods[0] as number;
      const scale = mods[1] ?? 0;
      if (mods.length > 2) throw new DbError('42601', 'invalid type modifier');
      if (precision < 1 || precision > 1000) {
        throw new DbError('22023', `NUMERIC precision ${precision} must be between 1 and 1000`);
      }
      if (scale < -1000 || scale > 1000) throw new DbError('22023', `NUMERIC scale ${scale} must be between -1000 and 1000`);
      return withTypmod(base, ((precision << 16) | (scale & 0xffff)) + 4);
    }
    case 'timestamp':
    case 'timestamptz': {
      const p = mods[0] as number;
      if (p < 0) throw new DbError('22023', `TIMESTAMP(${p}) precision must not be negative`);
      // Precision is accepted; values keep microseconds (precision 6), as PostgreSQL's default.
      return base;
    }
    case 'float4':
    case 'float8': {
      // float(p): 1..24 is real, 25..53 is double precision.
      const p = mods[0] as number;
      if (p < 1) throw new DbError('22023', 'precision for type float must be at least 1 bit');
      if (p > 53) throw new DbError('22023', 'precision for type float must be less than 54 bits');
      return p <= 24 ? Types.float4 : Types.float8;
    }
    case 'interval':
      // Field restrictions and precision (interval(0), interval day to second) are not applied yet.
      throw featureNotSupported('interval type modifiers').withPosition(position(typeName));
    default:
      throw new DbError('42601', `type modifier is not allowed for type "${base.name}"`);
  }
}

function position(typeName: TypeName): number | undefined {
  return typeName.location >= 0 ? typeName.location + 1 : undefined;
}

/** PostgreSQL's INTERVAL_MASK bits of the single-field interval qualifiers (datetime.h). */
const intervalFieldUnits = new Map<number, string>([
  [1 << 2, 'years'],
  [1 << 1, 'months'],
  [1 << 3, 'days'],
  [1 << 10, 'hours'],
  [1 << 11, 'minutes'],
  [1 << 12, 'seconds'],
]);

/**
 * `interval '7' day` and the like: a bare number under a single-field qualifier counts that
 * field, so the literal becomes `7 days`. Null for anything else (other qualifiers stay refused).
 */
export function intervalQualifiedLiteral(typeName: TypeName, arg: Ast.Expr): string | null {
  if (typeName.name !== 'interval' || typeName.modifiers.length !== 1 || typeName.arrayBounds !== 0) return null;
  const unit = intervalFieldUnits.get(typeName.modifiers[0] as number);
  if (unit === undefined || arg.kind !== 'literal' || arg.value.kind !== 'string') return null;
  const text = arg.value.text.trim();
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? `${text} ${unit}` : null;
}
