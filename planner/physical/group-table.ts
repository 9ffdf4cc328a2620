/**
 * Assigns a dense group id to every row by its key columns, and keeps one copy of each distinct
 * key. Single keys hash their own value in a Map (numbers, bigints and strings hash natively);
 * composite keys are encoded into one string. NULLs form one group per key, as GROUP BY wants.
 */
import { intervalEqualityKey } from '../../storage/interval.js';
import type { DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import { jsonbKey } from '../../storage/jsonb-value.js';

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

export class GroupTable {
  private readonly single = new Map<unknown, number>();
  private nullGroup = -1;
  readonly keys: VectorBuilder[];
  count = 0;

  constructor(readonly types: readonly DataType[]) {
    this.keys = types.map((t) => new VectorBuilder(t));
  }

  /** Group id per row; new keys are appended to `keys`. */
  assign(columns: readonly Vector[], length: number): Int32Array {
    const ids = new Int32Array(length);
    if (columns.length === 0) {
      if (this.count === 0) this.count = 1;
      return ids;
    }
    const newRows: number[] = [];
    const keyOf = columns.length === 1 ? singleKey(columns[0] as Vector) : compositeKey(columns);
    for (let i = 0; i < length; i++) {
      const key = keyOf(i);
      if (key === null) {
        if (this.nullGroup < 0) {
          this.nullGroup = this.count++;
          newRows.push(i);
        }
        ids[i] = this.nullGroup;
        continue;
      }
      let id = this.single.get(key);
      if (id === undefined) {
        id = this.count++;
        this.single.set(key, id);
        newRows.push(i);
      }
      ids[i] = id;
    }
    if (newRows.length > 0) {
      const rows = Int32Array.from(newRows);
      columns.forEach((c, k) => (this.keys[k] as VectorBuilder).appendVector(c, rows));
    }
    return ids;
  }
}

function singleKey(column: Vector): (row: number) => unknown {
  const validity = column.validity;
  const values = column.values as ArrayLike<unknown>;
  const keyOf = equalityKeyOf(column.type);
  if (keyOf !== null) {
    return (i) => (validity !== null && validity[i] === 0 ? null : keyOf(values[i] as string));
  }
  return (i) => (validity !== null && validity[i] === 0 ? null : values[i]);
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
