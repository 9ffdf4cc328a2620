/**
 * The memory a statement's buffering operators hold (sort buffers, hash join build sides, group
 * tables, window partitions), so one query cannot exhaust the process: over the limit it fails
 * with 53200 and the server and the connection stay up.
 *
 * Each operator says what it holds now (`hold`, an absolute figure, estimated once per batch, never
 * per row); the statement's total is the sum. Absolute figures make re-running an operator (a
 * correlated subquery's plan runs once per outer key) replace its old figure instead of adding up.
 */
import { DbError } from '../../storage/errors.js';
import type { Vector } from '../../storage/vector.js';

const megabyte = 2 ** 20;

export class QueryMemory {
  private readonly held = new Map<object, number>();
  private total = 0;

  /** `limitBytes` 0 means no limit. */
  constructor(readonly limitBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  /** Records that `owner` now holds `bytes`; throws 53200 when the statement goes over the limit. */
  hold(owner: object, bytes: number): void {
    this.total += bytes - (this.held.get(owner) ?? 0);
    this.held.set(owner, bytes);
    if (this.limitBytes > 0 && this.total > this.limitBytes) {
      throw new DbError('53200', `query needs more than ${Math.round(this.limitBytes / megabyte)} MB of memory (limit set by eventide.query_memory_limit)`, {
        hint: 'Raise it with SET eventide.query_memory_limit, or narrow the query (fewer columns, a filter, a LIMIT).',
      });
    }
  }

  /** `owner` holds nothing any more (its execution ended). */
  release(owner: object): void {
    this.total -= this.held.get(owner) ?? 0;
    this.held.delete(owner);
  }
}

/** Bytes of a JS string slot plus a string's header; its characters are estimated separately. */
const stringOverheadBytes = 24;

/**
 * Estimated bytes of `rows` rows of these vectors once buffered: exact for typed arrays, and for
 * strings an average length taken from a few rows (dictionary-coded strings share their entries).
 */
export function estimateBytes(columns: readonly Vector[], rows: number): number {
  let bytes = 0;
  for (const v of columns) {
    if (v.validity !== null) bytes += rows;
    if (v.kind === 'fixed') {
      bytes += v.values.BYTES_PER_ELEMENT * rows;
      continue;
    }
    if (v.dictionary !== undefined) {
      bytes += 8 * rows;
      continue;
    }
    const sample = Math.min(v.length, 16);
    let characters = 0;
    for (let i = 0; i < sample; i++) characters += (v.values[Math.floor((i * v.length) / sample)] as string).length;
    bytes += rows * (stringOverheadBytes + (sample === 0 ? 0 : characters / sample));
  }
  return bytes;
}

/** Per group of a hash aggregate: its slot in the table, its keys and one state per aggregate. */
export function groupBytes(groups: number, keys: number, aggregates: number): number {
  return groups * (32 + 24 * (keys + aggregates));
}

/** Per entry of a Set or Map keyed by a row's composed key string (UTF-16, with separators). */
export function rowKeyBytes(columns: readonly Vector[]): number {
  return 64 + 2 * estimateBytes(columns, 1);
}
