/**
 * Zone maps: per block and column, the row count, NULL count and min/max of the non-NULL values
 * in storage order (sort-order.ts). A scan skips a block when a conjunctive ColumnRange proves no
 * row of it can match; it may keep blocks that do not match (the caller filters anyway) but must
 * never skip one that does.
 *
 * On disk min/max are strings so every type round-trips losslessly through JSON: numbers via
 * String() ("NaN", "Infinity" included), int8 as decimal digits, text as itself.
 *
 * Text columns with few distinct values in a block (event types, countries, devices) also keep the
 * values themselves, a small exact dictionary: `event_type = 'purchase'` or `country IN ('DE',
 * 'FR')` skips every block and segment that holds none of them, whatever their min and max.
 */
import { compareDecimalText } from './decimal-text-order.js';
import { type OrderKind, compareByKind, compareCodePoints } from './sort-order.js';
import type { Value } from './types.js';
import type { Vector } from './vector.js';

export type ZoneValue = number | bigint | string;

export interface Zone {
  readonly rows: number;
  readonly nullCount: number;
  /** Smallest and largest non-NULL value; null when all rows are NULL or the type is unordered. */
  readonly min: ZoneValue | null;
  readonly max: ZoneValue | null;
  /** Text only: every distinct non-NULL value, when there are at most maxZoneValues of them. */
  readonly values?: readonly string[];
}

export interface StoredZone {
  readonly rows: number;
  readonly nulls: number;
  readonly min: string | null;
  readonly max: string | null;
  readonly values?: readonly string[];
}

/** Distinct values a block's zone lists at most (a segment's zone: twice as many). */
export const maxZoneValues = 32;

export function computeZone(vector: Vector, kind: OrderKind, nullCount: number): Zone {
  const n = vector.length;
  const rows = n;
  if (kind === 'unordered' || nullCount === n) return { rows, nullCount, min: null, max: null };
  const validity = vector.validity;
  if (vector.kind === 'string') {
    const values = vector.values;
    const compare = kind === 'decimal' ? compareDecimalText : compareCodePoints;
    let min: string | null = null;
    let max: string | null = null;
    let distinct: Set<string> | null = kind === 'text' ? new Set() : null;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const v = values[i] as string;
      if (distinct !== null) {
        distinct.add(v);
        if (distinct.size > maxZoneValues) distinct = null;
      }
      if (min === null || compare(v, min) < 0) min = v;
      if (max === null || compare(v, max) > 0) max = v;
    }
    return distinct === null ? { rows, nullCount, min, max } : { rows, nullCount, min, max, values: [...distinct] };
  }
  if (vector.values instanceof BigInt64Array) {
    const v = vector.values;
    const words = new Int32Array(v.buffer, v.byteOffset, n * 2);
    let minAt = -1;
    let maxAt = -1;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      if (minAt < 0) {
        minAt = maxAt = i;
        continue;
      }
      const hi = words[2 * i + 1] as number;
      const lo = (words[2 * i] as number) >>> 0;
      const minHi = words[2 * minAt + 1] as number;
      if (hi < minHi || (hi === minHi && lo < (words[2 * minAt] as number) >>> 0)) minAt = i;
      const maxHi = words[2 * maxAt + 1] as number;
      if (hi > maxHi || (hi === maxHi && lo > (words[2 * maxAt] as number) >>> 0)) maxAt = i;
    }
    return { rows, nullCount, min: v[minAt] as bigint, max: v[maxAt] as bigint };
  }
  const values = vector.values;
  let min = Infinity;
  let max = -Infinity;
  let nan = false;
  let any = false;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const v = values[i] as number;
    if (v !== v) {
      nan = true;
      continue;
    }
    any = true;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (nan) return { rows, nullCount, min: any ? min : Number.NaN, max: Number.NaN };
  return { rows, nullCount, min, max };
}

/**
 * The zone of a string block from its distinct non-NULL values (a dictionary block's entries,
 * first seen first): the same zone computeZone finds, without a pass over the rows.
 */
export function zoneOfDistinct(distinct: readonly string[], kind: OrderKind, rows: number, nullCount: number): Zone {
  if (kind === 'unordered' || distinct.length === 0) return { rows, nullCount, min: null, max: null };
  const compare = kind === 'decimal' ? compareDecimalText : compareCodePoints;
  let min = distinct[0]!;
  let max = min;
  for (const v of distinct) {
    if (compare(v, min) < 0) min = v;
    if (compare(v, max) > 0) max = v;
  }
  if (kind !== 'text' || distinct.length > maxZoneValues) return { rows, nullCount, min, max };
  return { rows, nullCount, min, max, values: [...distinct] };
}

export function mergeZones(zones: readonly Zone[], kind: OrderKind): Zone {
  let rows = 0;
  let nullCount = 0;
  let min: ZoneValue | null = null;
  let max: ZoneValue | null = null;
  let unordered = kind === 'unordered';
  for (const z of zones) {
    rows += z.rows;
    nullCount += z.nullCount;
    if (z.rows === z.nullCount) continue;
    if (z.min === null || z.max === null) unordered = true;
    else {
      if (min === null || compareByKind(kind, z.min, min) < 0) min = z.min;
      if (max === null || compareByKind(kind, z.max, max) > 0) max = z.max;
    }
  }
  if (unordered) return { rows, nullCount, min: null, max: null };
  const values = mergeValues(zones);
  return values === null ? { rows, nullCount, min, max } : { rows, nullCount, min, max, values };
}

/** The union of the blocks' value lists, when every block with values has one and it stays small. */
function mergeValues(zones: readonly Zone[]): string[] | null {
  const union = new Set<string>();
  for (const z of zones) {
    if (z.rows === z.nullCount) continue;
    if (z.values === undefined) return null;
    for (const v of z.values) union.add(v);
    if (union.size > 2 * maxZoneValues) return null;
  }
  return [...union];
}

export function storeZone(zone: Zone): StoredZone {
  return {
    rows: zone.rows,
    nulls: zone.nullCount,
    min: zone.min === null ? null : String(zone.min),
    max: zone.max === null ? null : String(zone.max),
    ...(zone.values === undefined ? {} : { values: zone.values }),
  };
}

function loadValue(kind: OrderKind, text: string | null): ZoneValue | null {
  if (text === null) return null;
  if (kind === 'number') return Number(text);
  if (kind === 'bigint') return BigInt(text);
  return text;
}

export function loadZone(stored: StoredZone, kind: OrderKind): Zone {
  const zone = { rows: stored.rows, nullCount: stored.nulls, min: loadValue(kind, stored.min), max: loadValue(kind, stored.max) };
  const values = stored.values;
  return kind === 'text' && Array.isArray(values) && values.every((v) => typeof v === 'string') ? { ...zone, values } : zone;
}

/** A range bound converted to the column's zone form; undefined when it cannot be used safely. */
export function boundValue(kind: OrderKind, value: Value, side: 'lower' | 'upper'): { value: ZoneValue; inclusive?: true } | undefined {
  if (value === null) return undefined;
  switch (kind) {
    case 'number':
      if (typeof value === 'number') return { value };
      if (typeof value === 'boolean') return { value: value ? 1 : 0 };
      if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return { value: Number(value) };
      return undefined;
    case 'bigint':
      if (typeof value === 'bigint') return { value };
      if (typeof value === 'number' && Number.isFinite(value)) {
        // A fractional bound on an integer column becomes the nearest integer inside the range.
        if (Number.isInteger(value)) return { value: BigInt(value) };
        return { value: BigInt(side === 'lower' ? Math.ceil(value) : Math.floor(value)), inclusive: true };
      }
      return undefined;
    case 'text':
      return typeof value === 'string' ? { value } : undefined;
    case 'decimal':
      if (typeof value === 'string' && /^(-?\d+(\.\d*)?|NaN|-?Infinity)$/.test(value)) return { value };
      if (typeof value === 'bigint') return { value: String(value) };
      if (typeof value === 'number' && Number.isFinite(value) && !/e/i.test(String(value))) return { value: String(value) };
      return undefined;
    case 'unordered':
      return undefined;
  }
}

export interface ZoneBound {
  readonly value: ZoneValue;
  readonly inclusive: boolean;
}

/** A ColumnRange in zone form, for one column. */
export interface ZoneRange {
  readonly column: number;
  readonly kind: OrderKind;
  readonly lower: ZoneBound | null;
  readonly upper: ZoneBound | null;
  readonly isNull: boolean | null;
  /** Text: the column equals one of these (= or IN); checked against the zone's value list. */
  readonly anyOf: readonly string[] | null;
}

/** False only when no row described by `zone` can satisfy `range`. */
export function zoneMayMatch(zone: Zone, range: ZoneRange): boolean {
  if (zone.rows === 0) return false;
  const valued = zone.rows - zone.nullCount;
  if (range.isNull === true && zone.nullCount === 0) return false;
  if (range.isNull === false && valued === 0) return false;
  if (range.lower === null && range.upper === null && range.anyOf === null) return true;
  if (valued === 0) return false; // a comparison with NULL is never true
  if (range.anyOf !== null && zone.values !== undefined && !range.anyOf.some((v) => zone.values!.includes(v))) return false;
  if (zone.min === null || zone.max === null) return true;
  if (range.lower !== null) {
    const c = compareByKind(range.kind, zone.max, range.lower.value);
    if (c < 0 || (c === 0 && !range.lower.inclusive)) return false;
  }
  if (range.upper !== null) {
    const c = compareByKind(range.kind, zone.min, range.upper.value);
    if (c > 0 || (c === 0 && !range.upper.inclusive)) return false;
  }
  return true;
}
