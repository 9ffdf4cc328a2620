/**
 * Generated events as INSERT parameters (text format), made before any timing and reused in a
 * cycle: the INSERT workloads then measure sending and the database's work, not the
 * generator's (which would take a core of this 2-core machine at these rates).
 */
import { EventsGenerator } from '../events-generator.js';
import { EVENTS_COLUMNS } from '../events-schema.js';
import { EVENTS_COLUMN_COUNT, writeEventParams } from '../events-text.js';
import { multiRowInsertSql } from '../wire-loader.js';

export const POOL_ROWS = 65_536;
const COLUMN_NAMES = EVENTS_COLUMNS.map((c) => c.name);
/** Index of duration_ms among the parameters: the visibility check's marker. */
export const DURATION_PARAM = COLUMN_NAMES.indexOf('duration_ms');

export class RowPool {
  /** POOL_ROWS rows, EVENTS_COLUMN_COUNT values each, flat. */
  private readonly values: (string | null)[];
  private readonly batches = new Map<number, (string | null)[][]>();

  constructor(seed: number) {
    this.values = new Array<string | null>(POOL_ROWS * EVENTS_COLUMN_COUNT);
    let row = 0;
    for (const chunk of new EventsGenerator({ rows: POOL_ROWS, seed }).chunks()) {
      for (let i = 0; i < chunk.rowCount; i++, row++) writeEventParams(chunk, i, this.values, row * EVENTS_COLUMN_COUNT);
    }
  }

  /** Parameters of row `n` (modulo the pool), a fresh array the caller may change. */
  row(n: number): (string | null)[] {
    const start = (n % POOL_ROWS) * EVENTS_COLUMN_COUNT;
    return this.values.slice(start, start + EVENTS_COLUMN_COUNT);
  }

  /** Parameters of the `n`-th batch of `rows` rows (modulo the pool), shared: do not change. */
  batch(n: number, rows: number): (string | null)[] {
    let batches = this.batches.get(rows);
    if (batches === undefined) {
      const count = Math.max(1, Math.floor(POOL_ROWS / rows));
      batches = Array.from({ length: count }, (_, b) => this.values.slice(b * rows * EVENTS_COLUMN_COUNT, (b + 1) * rows * EVENTS_COLUMN_COUNT));
      this.batches.set(rows, batches);
    }
    return batches[n % batches.length] as (string | null)[];
  }
}

/** The prepared INSERT of `rows` rows into `table`. */
export function insertSql(table: string, rows: number): string {
  return multiRowInsertSql(table, COLUMN_NAMES, rows);
}

export function columnList(): string {
  return COLUMN_NAMES.join(', ');
}
