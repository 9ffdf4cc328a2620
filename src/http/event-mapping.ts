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

export class EventMapping {
  /** Column index by name. */
  readonly columnByName: ReadonlyMap<string, number>;
  /** Index of the jsonb column that takes properties and unknown fields, or -1. */
  readonly jsonbColumn: number;
  /** Field names the jsonb column's base is taken from, in order of precedence. */
  readonly baseFields: readonly string[];
  /** Columns whose names are also properties of Object.prototype, read with an own-property check. */
  readonly inheritedNames: ReadonlySet<number>;

  constructor(readonly table: TableDef) {
    this.columnByName = new Map(table.columns.map((c, i) => [c.name, i]));
    const jsonbColumns = table.columns.flatMap((c, i) => (c.type.id === 'jsonb' ? [i] : []));
    const named = (name: string) => jsonbColumns.find((i) => table.columns[i]?.name === name);
    this.jsonbColumn = named('properties') ?? named('event_properties') ?? jsonbColumns[0] ?? -1;
    const own = this.jsonbColumn < 0 ? null : (table.columns[this.jsonbColumn]?.name as string);
    this.baseFields = own === null ? [] : [own, ...propertiesFields.filter((f) => f !== own && !this.columnByName.has(f))];
    this.inheritedNames = new Set(table.columns.flatMap((c, i) => (c.name in Object.prototype ? [i] : [])));
  }

  /** The field value of column `index`, undefined when the event has no such own field. */
  field(event: Record<string, unknown>, index: number, name: string): unknown {
    if (this.inheritedNames.has(index) && !Object.hasOwn(event, name)) return undefined;
    return event[name];
  }

  /**
   * The jsonb column's normalized text for an event, or undefined when the event has neither a
   * base nor unknown fields (the column then takes its DEFAULT), or null for a JSON null base.
   */
  jsonbValue(event: Record<string, unknown>): string | null | undefined {
    let baseField: string | null = null;
    for (const name of this.baseFields) {
      if (Object.hasOwn(event, name)) {
        baseField = name;
        break;
      }
    }
    let extra: Record<string, unknown> | null = null;
    for (const key in event) {
      if (key === baseField || this.columnByName.has(key)) continue;
      extra ??= {};
      extra[key] = event[key];
    }
    if (this.jsonbColumn < 0) {
      if (extra !== null) {
        const name = Object.keys(extra)[0] as string;
        throw new DbError('42703', `column "${name}" of relation "${this.table.name}" does not exist`, {
          hint: 'Unknown fields are kept only in a table with a jsonb column.',
        });
      }
      return undefined;
    }
    const base = baseField === null ? undefined : event[baseField];
    if (extra === null) return base === undefined ? undefined : base === null ? null : jsonbText(base);
    if (base === undefined || base === null) return objectText(extra, null);
    if (typeof base === 'object' && !Array.isArray(base)) return objectText(base as Record<string, unknown>, extra);
    const column = this.table.columns[this.jsonbColumn]?.name as string;
    throw new DbError('42804', `field "${baseField}" is not a JSON object, so the unknown fields (${Object.keys(extra).join(', ')}) cannot be kept in column "${column}"`);
  }
}
