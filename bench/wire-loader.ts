/**
 * Loads generated events into a database over the PostgreSQL wire protocol from several
 * concurrent connections, the way applications ingest: prepared multi-row INSERTs in text
 * format (`insert`), or COPY ... FROM STDIN in CSV (`copy`). Both pull from one shared
 * generator on demand, so memory holds only the batches in flight.
 */
import type pg from 'pg';
import { copyFromStdin } from './copy-from-stdin.js';
import { encodeEventsCsv } from './csv.js';
import type { EventsChunk } from './events-chunk.js';
import type { EventsGenerator } from './events-generator.js';
import { EVENTS_COLUMNS } from './events-schema.js';
import { EVENTS_COLUMN_COUNT, writeEventParams } from './events-text.js';

export type LoadMethod = 'insert' | 'copy';
export const LOAD_METHODS: readonly LoadMethod[] = ['insert', 'copy'];

export interface WireLoadOptions {
  readonly method: LoadMethod;
  /** Concurrent connections. */
  readonly connections: number;
  /** Rows per INSERT statement (PostgreSQL allows at most 65,535 parameters). */
  readonly batchRows: number;
  /** Called with the rows loaded so far, at most once per batch. */
  readonly onProgress?: (rows: number) => void;
}

export interface LoadResult {
  readonly rows: number;
  readonly elapsedMs: number;
}

/** `INSERT INTO table (columns) VALUES ($1, ..., $n), ...` for `rows` rows. */
export function multiRowInsertSql(table: string, columns: readonly string[], rows: number): string {
  const tuples = new Array<string>(rows);
  for (let row = 0; row < rows; row++) {
    const base = row * columns.length;
    tuples[row] = `(${columns.map((_, i) => `$${base + i + 1}`).join(', ')})`;
  }
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`;
}

/** Hands out consecutive row ranges of the generator's stream. */
class RowRanges {
  private chunk: EventsChunk | null = null;
  private offset = 0;

  constructor(private readonly generator: EventsGenerator) {}

  next(maxRows: number): { chunk: EventsChunk; start: number; count: number } | null {
    if (this.chunk === null || this.offset >= this.chunk.rowCount) {
      this.chunk = this.generator.next();
      this.offset = 0;
      if (this.chunk === null) return null;
    }
    const start = this.offset;
    const count = Math.min(maxRows, this.chunk.rowCount - start);
    this.offset += count;
    return { chunk: this.chunk, start, count };
  }
}

const columnNames = EVENTS_COLUMNS.map((c) => c.name);
/** INSERT text by batch size: built once, it is ~100 KB for 1,000 rows. */
const insertSqlByRows = new Map<number, string>();

function eventsInsertSql(rows: number): string {
  let sql = insertSqlByRows.get(rows);
  if (sql === undefined) {
    sql = multiRowInsertSql('events', columnNames, rows);
    insertSqlByRows.set(rows, sql);
  }
  return sql;
}

async function insertWorker(client: pg.Client, ranges: RowRanges, options: WireLoadOptions, loaded: (n: number) => void, stop: () => boolean) {
  for (let range = ranges.next(options.batchRows); range !== null && !stop(); range = ranges.next(options.batchRows)) {
    const values = new Array<string | null>(range.count * EVENTS_COLUMN_COUNT);
    for (let i = 0; i < range.count; i++) writeEventParams(range.chunk, range.start + i, values, i * EVENTS_COLUMN_COUNT);
    // One named statement per batch size: parsed once per connection, then only bound.
    await client.query({ name: `bench_insert_${range.count}`, text: eventsInsertSql(range.count), values });
    loaded(range.count);
  }
}

async function copyWorker(client: pg.Client, generator: EventsGenerator, loaded: (n: number) => void, stop: () => boolean) {
  async function* csv(): AsyncGenerator<Uint8Array> {
    for (let chunk = generator.next(); chunk !== null && !stop(); chunk = generator.next()) {
      yield encodeEventsCsv(chunk);
      loaded(chunk.rowCount);
    }
  }
  await copyFromStdin(client, `COPY events (${columnNames.join(', ')}) FROM STDIN WITH (FORMAT csv)`, csv());
}

/** Loads every remaining row of `generator` into `events` through `clients` (one per connection). */
export async function loadEventsOverWire(clients: readonly pg.Client[], generator: EventsGenerator, options: WireLoadOptions): Promise<LoadResult> {
  const started = performance.now();
  let rows = 0;
  let failed = false;
  const loaded = (n: number) => {
    rows += n;
    options.onProgress?.(rows);
  };
  const stop = () => failed;
  const ranges = new RowRanges(generator);
  const workers = clients.map((client) =>
    (options.method === 'insert' ? insertWorker(client, ranges, options, loaded, stop) : copyWorker(client, generator, loaded, stop)).catch(
      (error: unknown) => {
        failed = true;
        throw error;
      },
    ),
  );
  const outcomes = await Promise.allSettled(workers);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  return { rows, elapsedMs: performance.now() - started };
}
