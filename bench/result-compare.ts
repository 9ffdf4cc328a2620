/**
 * Whether two peers gave the same answer. Values are compared after normalising what may
 * legitimately differ between engines: number formatting (avg as numeric vs double, to 10
 * significant digits) and timestamp text; row order unless the query orders its result.
 */
import type { ResultRow } from './peers/peer.js';

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export function normalizeValue(value: string | null): string {
  if (value === null) return '\u0000';
  if (NUMBER.test(value)) return String(Number(Number(value).toPrecision(10)));
  const time = TIMESTAMP.exec(value);
  if (time !== null) {
    const zone = time[3] === undefined ? 'Z' : time[3] === 'Z' ? 'Z' : time[3].length === 3 ? `${time[3]}:00` : time[3];
    const ms = Date.parse(`${time[1]}T${time[2]}${zone}`);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return value;
}

export function normalizeResult(rows: readonly ResultRow[], ordered: boolean): string[] {
  const lines = rows.map((row) => row.map(normalizeValue).join('\u0001'));
  return ordered ? lines : lines.sort();
}

export function sameResult(a: readonly ResultRow[], b: readonly ResultRow[], ordered: boolean): boolean {
  const x = normalizeResult(a, ordered);
  const y = normalizeResult(b, ordered);
  return x.length === y.length && x.every((line, i) => line === y[i]);
}
