/**
 * How an event's fields map onto a table's columns (see README.md, "Fields and columns"):
 *   - a top-level field whose name is a column's name goes to that column;
 *   - the table's jsonb column J is the one named `properties`, else `event_properties`, else the
 *     first jsonb column;
 *   - J's base value is the first of the fields named J, `event_properties`, `properties` that
 *     the event has and that is not itself another column's name;
 *   - every other top-level field is unknown and is kept in J as an extra key; where the base
 *     object has the same key, the base's value wins;
 *   - a table without a jsonb column rejects an event with unknown fields (42703), so nothing
 *     sent is dropped without a word.
 */
import { DbError } from '../../storage/errors.js';
import type { TableDef } from '../../storage/table-def.js';
import { jsonbText, objectText } from './jsonb-text.js';

/** Names the base of the jsonb column is looked for under, after the column's own name. */
const propertiesFields = ['event_properties', 'properties'] as const;

/** Mappings by table definition (a definition never changes; a new table gets a new one). */
const mappings = new WeakMap<TableDef, EventMapping>();

/** The mapping of a table, made once per definition: small requests need not pay for it each time. */
export function eventMapping(table: TableDef): EventMapping {
  let mapping = mappings.get(table);
  if (mapping === undefined) {
    mapping = new EventMapping(table);
    mappings.set(table, mapping);
  }
  return mapping;
}

export class EventMapping {
  /** Column index by name. */
  readonly columnByName: ReadonlyMap<string, number>;
  /** Index of the jsonb column that takes properties and unknown fields, or -1. */
  readonly jsonbColumn: number;
  /** Field names the jsonb column's base is taken from, in order of precedence. */
  readonly baseFields: readonly string[];

  constructor(readonly table: TableDef) {
    this.columnByName = new Map(table.columns.map((c, i) => [c.name, i]));
    const jsonbColumns = table.columns.flatMap((c, i) => (c.type.id === 'jsonb' ? [i] : []));
    const named = (name: string) => jsonbColumns.find((i) => table.columns[i]?.name === name);
    this.jsonbColumn = named('properties') ?? named('event_properties') ?? jsonbColumns[0] ?? -1;
    const own = this.jsonbColumn < 0 ? null : (table.columns[this.jsonbColumn]?.name as string);
    this.baseFields = own === null ? [] : [own, ...propertiesFields.filter((f) => f !== own && !this.columnByName.has(f))];
  }

  /**
   * Spreads an event over the columns in one pass over its fields: `values[i]` gets column i's
   * field (undefined when the event has none). Returns the jsonb column's normalized text, or
   * undefined when the event has neither a base nor unknown fields (the column then takes its
   * DEFAULT), or null for a JSON null base. One pass with one map lookup per field costs less
   * than reading each column's name from the event (a megamorphic load per column).
   */
  distribute(event: Record<string, unknown>, values: unknown[]): string | null | undefined {
    values.fill(undefined);
    let others: string[] | null = null;
    for (const key in event) {
      const index = this.columnByName.get(key);
      if (index !== undefined) values[index] = event[key];
      else (others ??= []).push(key);
    }
    if (this.jsonbColumn < 0) {
      if (others !== null) {
        throw new DbError('42703', `column "${others[0]}" of relation "${this.table.name}" does not exist`, {
          hint: 'Unknown fields are kept only in a table with a jsonb column.',
        });
      }
      return undefined;
    }
    let baseField: string | null = null;
    let base: unknown;
    if (values[this.jsonbColumn] !== undefined) {
      baseField = this.baseFields[0] as string;
      base = values[this.jsonbColumn];
    } else if (others !== null) {
      for (const name of this.baseFields) {
        if (others.includes(name)) {
          baseField = name;
          base = event[name];
          break;
        }
      }
    }
    // A null-prototype object, so a field named __proto__ is kept as a key like any other.
    let extra: Record<string, unknown> | null = null;
    if (others !== null) {
      for (const key of others) {
        if (key === baseField) continue;
        extra ??= Object.create(null) as Record<string, unknown>;
        extra[key] = event[key];
      }
    }
    if (extra === null) return base === undefined ? undefined : base === null ? null : jsonbText(base);
    if (base === undefined || base === null) return objectText(extra, null);
    if (typeof base === 'object' && !Array.isArray(base)) return objectText(base as Record<string, unknown>, extra);
    const column = this.table.columns[this.jsonbColumn]?.name as string;
    throw new DbError('42804', `field "${baseField}" is not a JSON object, so the unknown fields (${Object.keys(extra).join(', ')}) cannot be kept in column "${column}"`);
  }
}
