/**
 * Builds Batches of a table's rows from events, one row per accepted event: each event is parsed
 * (or given parsed), its fields written into the column sinks, and a rejected event leaves
 * nothing behind (its row slot is reused by the next one). Columns an event lacks are NULL, or
 * take their DEFAULT, evaluated afterwards for all such rows at once.
 */
import { DbError, notNullViolation, toDbError } from '../../storage/errors.js';
import { parseJsonb } from '../../storage/jsonb.js';
import type { ColumnDef } from '../../storage/table-def.js';
import type { Batch, Vector } from '../../storage/vector.js';
import { columnSink, type ColumnSink } from './column-sinks.js';
import type { EventMapping } from './event-mapping.js';

export interface LineError {
  /** 1-based line of the body (element of a JSON array body), or null for the body as a whole. */
  readonly line: number | null;
  readonly column?: string;
  readonly sqlstate: string;
  readonly message: string;
  readonly detail?: string;
}

/** Values of a column's DEFAULT for `rows` rows, in the storage layout (null for NULL). */
export type DefaultValues = (column: ColumnDef, rows: number) => Promise<readonly unknown[]>;

export function lineError(line: number | null, error: unknown, column?: string): LineError {
  const e = toDbError(error);
  const detail = e.fields.detail;
  return { line, ...(column === undefined ? {} : { column }), sqlstate: e.code, message: e.message, ...(detail === undefined ? {} : { detail }) };
}

/** PostgreSQL's error for text that is not JSON, as its json input function words it. */
export function jsonSyntaxError(line: number | null, text: string): LineError {
  try {
    parseJsonb(text);
  } catch (error) {
    return lineError(line, error);
  }
  // JSON.parse and PostgreSQL's parser disagree (they should not): say so plainly.
  return { line, sqlstate: '22P02', message: 'invalid input syntax for type json' };
}

/**
 * The per-line errors of a request: every one counted, the first `keep` kept with their details,
 * so memory stays bounded however many bad lines a body holds.
 */
export class ErrorLog {
  readonly kept: LineError[] = [];
  count = 0;

  constructor(readonly keep: number) {}

  /** Whether the next error is kept (else its details need not be worked out). */
  get wantsDetail(): boolean {
    return this.kept.length < this.keep;
  }

  add(error: LineError): void {
    this.count++;
    if (this.kept.length < this.keep) this.kept.push(error);
  }
}

export class EventBatchBuilder {
  private readonly sinks: ColumnSink[];
  /** Per column, the rows that lacked the field (to take the DEFAULT). */
  private readonly missing: number[][];
  private readonly lines: Int32Array;
  private readonly missingNow: number[] = [];
  /** The current event's field per column (reused). */
  private readonly values: unknown[];
  rows = 0;

  constructor(
    private readonly mapping: EventMapping,
    readonly capacity: number,
    private readonly log: ErrorLog,
  ) {
    const columns = mapping.table.columns;
    this.sinks = columns.map((column) => columnSink(column, capacity));
    this.missing = columns.map(() => []);
    this.lines = new Int32Array(capacity);
    this.values = new Array<unknown>(columns.length).fill(undefined);
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  /** Parses one line of JSON-lines and adds it; returns its error, or null when accepted. */
  addLine(text: string, line: number): LineError | null {
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      // PostgreSQL's wording takes a second parse: only for errors that will be shown.
      return this.log.wantsDetail ? jsonSyntaxError(line, text) : { line, sqlstate: '22P02', message: 'invalid input syntax for type json' };
    }
    return this.addEvent(event, line);
  }

  /** Adds a parsed event; returns its error, or null when accepted. */
  addEvent(event: unknown, line: number): LineError | null {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      return { line, sqlstate: '22023', message: `an event must be a JSON object, not ${event === null ? 'null' : Array.isArray(event) ? 'an array' : `a ${typeof event}`}` };
    }
    const record = event as Record<string, unknown>;
    const row = this.rows;
    const mapping = this.mapping;
    const columns = mapping.table.columns;
    const missingNow = this.missingNow;
    missingNow.length = 0;
    const values = this.values;
    let column = -1;
    try {
      const jsonb = mapping.distribute(record, values);
      for (column = 0; column < columns.length; column++) {
        const sink = this.sinks[column] as ColumnSink;
        if (column === mapping.jsonbColumn) {
          if (jsonb === undefined) this.markMissing(sink, row, column);
          else if (jsonb === null) this.setNull(sink, row);
          else sink.setStored(row, jsonb);
          continue;
        }
        const value = values[column];
        if (value === undefined) this.markMissing(sink, row, column);
        else if (value === null) this.setNull(sink, row);
        else sink.set(row, value);
      }
    } catch (error) {
      // Errors of the field mapping come before any column: an unknown field (42703) is the
      // line's, anything else is in building the jsonb column's value.
      const code = error instanceof DbError ? error.code : '';
      const def = code === '42703' ? undefined : column >= 0 ? columns[column] : columns[mapping.jsonbColumn];
      return lineError(line, error, def?.name);
    }
    for (const index of missingNow) (this.missing[index] as number[]).push(row);
    this.lines[row] = line;
    this.rows = row + 1;
    return null;
  }

  private setNull(sink: ColumnSink, row: number): void {
    if (sink.column.notNull) throw notNullViolation(sink.column.name, this.mapping.table.name);
    sink.setNull(row);
  }

  private markMissing(sink: ColumnSink, row: number, column: number): void {
    if (sink.column.defaultSql === null) {
      this.setNull(sink, row);
      return;
    }
    sink.setNull(row);
    this.missingNow.push(column);
  }

  /**
   * The batch of the rows accepted so far, with DEFAULTs filled in. Rows whose DEFAULT turned out
   * NULL in a NOT NULL column are left out (by the batch's selection) and reported.
   */
  async finish(defaults: DefaultValues): Promise<Batch> {
    const rows = this.rows;
    let rejected: Uint8Array | null = null;
    for (let column = 0; column < this.sinks.length; column++) {
      const missingRows = (this.missing[column] as number[]).filter((row) => row < rows);
      if (missingRows.length === 0) continue;
      const sink = this.sinks[column] as ColumnSink;
      const values = await defaults(sink.column, missingRows.length);
      for (let i = 0; i < missingRows.length; i++) {
        const row = missingRows[i] as number;
        const value = values[i] ?? null;
        if (value !== null) {
          sink.setStored(row, value);
        } else if (sink.column.notNull) {
          rejected ??= new Uint8Array(rows);
          if (rejected[row] === 0) this.log.add(lineError(this.lines[row] as number, notNullViolation(sink.column.name, this.mapping.table.name), sink.column.name));
          rejected[row] = 1;
        }
      }
    }
    const columns: Vector[] = this.sinks.map((sink) => sink.vector(rows));
    let selection: Int32Array | null = null;
    if (rejected !== null) {
      const live: number[] = [];
      for (let row = 0; row < rows; row++) if (rejected[row] === 0) live.push(row);
      selection = Int32Array.from(live);
    }
    return { length: rows, columns, selection };
  }
}
