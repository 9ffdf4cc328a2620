/**
 * The key under which values equal in PostgreSQL meet, for hashing: numerics by value (1.0 =
 * 1.00), intervals by span ('1 day' = '24 hours'), jsonb by canonical text; and composite keys of
 * several columns as one string, for the places that hash whole rows into a Map.
 */
import { intervalEqualityKey } from '../../storage/interval.js';
import { jsonbKey } from '../../storage/jsonb-value.js';
import type { DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';

/** numeric values equal in PostgreSQL (1.0 = 1.00) must share a group: strip trailing zeros. */
export function numericKey(text: string): string {
  if (!text.includes('.')) return text === '-0' ? '0' : text;
  const stripped = text.replace(/\.?0+$/, '');
  return stripped === '-0' || stripped === '' ? '0' : stripped;
}

/**
 * The key under which equal values of a string-layout type meet: numeric by value, interval by
 * span ('1 day' = '24 hours'); null when the value is its own key.
 */
export function equalityKeyOf(type: DataType): ((text: string) => string) | null {
  if (type.id === 'numeric') return numericKey;
  if (type.id === 'interval') return intervalEqualityKey;
  if (type.id === 'jsonb') return jsonbKey;
  return null;
}

/** A composite key of several columns as one string; NULLs get their own marker, so they match each other. */
export function compositeKey(columns: readonly Vector[]): (row: number) => string {
  const keyOfs = columns.map((c) => equalityKeyOf(c.type));
  return (i) => {
    let key = '';
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k] as Vector;
      const keyOf = keyOfs[k] ?? null;
      if (c.validity !== null && c.validity[i] === 0) {
        key += '\u0000|';
        continue;
      }
      const v = c.values[i] as unknown;
      // Length-prefixed strings keep composite keys unambiguous whatever the text holds.
      const part = typeof v === 'string' ? (keyOf !== null ? keyOf(v) : v) : String(v);
      key += `${part.length}:${part}|`;
    }
    return key;
  };
}
