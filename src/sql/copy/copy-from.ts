/**
 * COPY FROM STDIN on the engine side: bytes from the client are read into records (text/CSV or
 * binary), records into typed column builders, full builders into batches in table order (the
 * other columns' DEFAULTs evaluated per batch), and batches into storage through the ingest door
 * at CopyDone, all together or not at all. A bad record fails the COPY with PostgreSQL's error and
 * its line in the context; nothing of a failed or abandoned COPY is stored.
 */
import { DbError, notNullViolation } from '../../../storage/errors.js';
import type { TableDef } from '../../../storage/table-def.js';
import { decodeBinary, type FormatSettings } from '../../../storage/value-codecs.js';
import { constantVector, type Batch, type Vector } from '../../../storage/vector.js';
import { evaluate, type EvalContext } from '../../../planner/kernels/eval.js';
import type { CopyInTarget } from '../../engine.js';
import type { BoundCopyFrom } from '../binder/bind-copy.js';
import { CopyBinaryReader } from './copy-binary-reader.js';
import { columnBuilder, type ColumnBuilder } from './copy-columns.js';
import { badCopyFormat, copyLineContext, CopyTextReader, limitPrintout, type RecordSink } from './copy-text-reader.js';

/** Where the batches of a COPY go: staged as they fill, stored all at once by `commit`. */
export interface CopyDestination {
  stage(batch: Batch): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export class CopyFrom implements CopyInTarget, RecordSink {
  readonly binary: boolean;
  readonly columnCount: number;
  private readonly table: TableDef;
  private readonly builders: ColumnBuilder[];
  private readonly reader: { push(bytes: Uint8Array): void; end(): void };
  private readonly lines: Int32Array;
  private readonly full: Batch[] = [];
  private rows = 0;
  private total = 0;
  private done = false;

  constructor(
    private readonly bound: BoundCopyFrom,
    settings: FormatSettings,
    private readonly evalContext: EvalContext,
    private readonly destination: CopyDestination,
    private readonly batchRows: number,
  ) {
    this.table = bound.table;
    this.binary = bound.format.kind === 'binary';
    this.columnCount = bound.targets.length;
    this.builders = bound.targets.map((i) => columnBuilder(this.table.columns[i]!.type, batchRows, settings));
    this.lines = new Int32Array(batchRows);
    this.reader = this.binary
      ? new CopyBinaryReader(this.columnCount, this.table.name, this)
      : new CopyTextReader(bound.format, this.columnCount, this, (names, nulls, line, text) => this.checkHeader(names, nulls, line, text), this.table.name);
  }

  /** Rows read so far (all of them once finish() resolved). */
  get rowCount(): number {
    return this.total + this.rows;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.done) return;
    this.reader.push(chunk);
    await this.stageFull();
  }

  async finish(): Promise<number> {
    this.reader.end();
    if (this.rows > 0) this.full.push(this.takeBatch());
    await this.stageFull();
    this.done = true;
    await this.destination.commit();
    return this.total;
  }

  async abort(): Promise<void> {
    this.done = true;
    this.full.length = 0;
    await this.destination.abort();
  }

  private async stageFull(): Promise<void> {
    while (this.full.length > 0) await this.destination.stage(this.full.shift() as Batch);
  }

  /** Text and CSV records (see CopyTextReader). */
  onRecord(count: number, line: number, lineText: () => string): void {
    const n = this.columnCount;
    if (count < n) {
      const missing = this.table.columns[this.bound.targets[count]!]!.name;
      throw this.lineError(badCopyFormat(`missing data for column "${missing}"`), line, lineText);
    }
    if (count > n) throw this.lineError(badCopyFormat('extra data after last expected column'), line, lineText);
    const reader = this.reader as CopyTextReader;
    const { fields, nulls, quoted } = reader;
    const row = this.rows;
    const csv = this.bound.format.kind === 'csv';
    for (let i = 0; i < n; i++) {
      const builder = this.builders[i]!;
      let isNull = nulls[i] === 1;
      let text = fields[i]!;
      if (csv) {
        if (isNull && this.bound.forceNotNull[i]) {
          isNull = false;
          text = this.bound.format.nullText;
        } else if (!isNull && quoted[i] === 1 && this.bound.forceNull[i] && text === this.bound.format.nullText) isNull = true;
      }
      if (isNull) {
        this.setNull(i, line, lineText);
        continue;
      }
      try {
        builder.set(row, text);
      } catch (error) {
        throw this.valueError(error, i, line, text);
      }
    }
    this.endRow(line);
  }

  /** A binary record's field: the value in the column type's binary format. */
  setBinary(column: number, bytes: Uint8Array, line: number): void {
    const builder = this.builders[column]!;
    try {
      builder.setValue(this.rows, decodeBinary(builder.type, bytes));
    } catch (error) {
      throw this.valueError(error, column, line, null);
    }
  }

  /** Column `column` of the row being read is NULL. */
  setNull(column: number, line: number, lineText: () => string): void {
    const def = this.table.columns[this.bound.targets[column]!]!;
    if (def.notNull) throw this.lineError(notNullViolation(def.name, this.table.name), line, lineText);
    this.builders[column]!.setNull(this.rows);
  }

  endRow(line: number): void {
    this.lines[this.rows] = line;
    this.rows++;
    if (this.rows === this.batchRows) this.full.push(this.takeBatch());
  }

  private takeBatch(): Batch {
    const length = this.rows;
    this.rows = 0;
    const byColumn = new Map<number, Vector>();
    this.bound.targets.forEach((c, i) => byColumn.set(c, this.builders[i]!.take(length)));
    const empty: Batch = { length, columns: [], selection: null };
    const columns = this.table.columns.map((column, c) => {
      const given = byColumn.get(c);
      if (given !== undefined) return given;
      const expr = this.bound.defaults[c];
      const vector = expr ? evaluate(expr, empty, this.evalContext) : constantVector(column.type, null, length);
      // A column left to NULL (no DEFAULT) has all-zero validity, so its first row is the failing one.
      if (column.notNull && vector.validity !== null) {
        const row = vector.validity.indexOf(0);
        if (row >= 0) throw this.lineError(notNullViolation(column.name, this.table.name), this.lines[row]!, () => '');
      }
      return vector;
    });
    this.total += length;
    return { length, columns, selection: null };
  }

  private checkHeader(names: readonly string[], nulls: Uint8Array, line: number, text: string): void {
    const expected = this.bound.targets.map((i) => this.table.columns[i]!.name);
    const context = () => text;
    if (names.length !== expected.length) {
      throw this.lineError(badCopyFormat(`wrong number of fields in header line: got ${names.length}, expected ${expected.length}`), line, context);
    }
    names.forEach((name, i) => {
      if (nulls[i] === 1) {
        throw this.lineError(badCopyFormat(`column name mismatch in header line field ${i + 1}: got null value ("${this.bound.format.nullText}"), expected "${expected[i]}"`), line, context);
      }
      if (name !== expected[i]) {
        throw this.lineError(badCopyFormat(`column name mismatch in header line field ${i + 1}: got "${name}", expected "${expected[i]}"`), line, context);
      }
    });
  }

  private lineError(error: DbError, line: number, lineText: () => string): DbError {
    const text = lineText();
    const where = text === '' ? `COPY ${this.table.name}, line ${line}` : copyLineContext(this.table.name, line, text);
    return new DbError(error.code, error.message, { ...error.fields, where }, error.severity);
  }

  private valueError(thrown: unknown, column: number, line: number, text: string | null): unknown {
    if (!(thrown instanceof DbError)) return thrown;
    const name = this.table.columns[this.bound.targets[column]!]!.name;
    const copyWhere = `COPY ${this.table.name}, line ${line}, column ${name}${text === null ? '' : `: "${limitPrintout(text)}"`}`;
    // The input function's own context (JSON data, line ...) comes first, as in PostgreSQL.
    const where = thrown.fields.where === undefined ? copyWhere : `${thrown.fields.where}\n${copyWhere}`;
    return new DbError(thrown.code, thrown.message, { ...thrown.fields, where }, thrown.severity);
  }
}
