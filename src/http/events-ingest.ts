/**
 * One POST's events into one table: the body becomes batches of accepted rows plus per-line
 * errors, and every accepted row of the request is committed at once through SqlEngine.ingest
 * (ingest rules, WAL, fsync), so the request is stored entirely or not at all, and the answer
 * goes out only once its rows are durable and visible to every later query.
 */
import { isUtf8 } from 'node:buffer';
import { formatType } from '../../storage/types.js';
import type { ColumnDef, TableDef } from '../../storage/table-def.js';
import { batchRows, getValue, type Batch } from '../../storage/vector.js';
import type { SessionContext } from '../engine.js';
import type { SqlEngine } from '../sql/engine.js';
import { checkUtf8 } from '../server/utf8.js';
import { splitLinesYielding, textStart } from './body-lines.js';
import { ErrorLog, EventBatchBuilder, jsonSyntaxError, lineError, type DefaultValues, type LineError } from './event-batch.js';
import { EventMapping } from './event-mapping.js';
import { batchRowsPerChunk, maxReportedErrors } from './limits.js';

export type BodyFormat = 'lines' | 'array';

export interface IngestOutcome {
  readonly accepted: number;
  readonly rejected: number;
  /** The first per-line errors found (up to maxReportedErrors), in line order; `rejected` counts them all. */
  readonly errors: readonly LineError[];
  /** Lines (or array elements) in the body, blank lines included. */
  readonly lines: number;
}

/** The session DEFAULT expressions are evaluated in: UTC, like timestamps without an offset. */
function defaultsSession(): SessionContext {
  return { processId: 0, user: 'eventide', database: 'eventide', settings: new Map([['timezone', 'UTC']]), transactionStatus: 'I' };
}

/** DEFAULT values by running `SELECT <default> FROM generate_series(1, n)`: one value per row, as INSERT evaluates them. */
function defaultEvaluator(engine: SqlEngine): DefaultValues {
  return async (column: ColumnDef, rows: number) => {
    const session = defaultsSession();
    const [statement] = engine.parse(`SELECT (${column.defaultSql})::${formatType(column.type)} FROM generate_series(1, ${rows})`);
    if (statement === undefined) return [];
    const prepared = engine.bind(statement, [], session);
    const result = await prepared.execute([], { session, signal: new AbortController().signal });
    const values: unknown[] = [];
    for await (const batch of result.rows ?? []) {
      const vector = batch.columns[0];
      if (vector === undefined) continue;
      const live = batch.selection;
      const n = batchRows(batch);
      for (let i = 0; i < n; i++) values.push(getValue(vector, live === null ? i : (live[i] as number)));
    }
    return values;
  };
}

export async function ingestEvents(engine: SqlEngine, table: TableDef, body: Buffer, format: BodyFormat): Promise<IngestOutcome> {
  const mapping = new EventMapping(table);
  const errors = new ErrorLog(maxReportedErrors);
  const built: Batch[] = [];
  const defaults = defaultEvaluator(engine);
  const finished: Promise<Batch>[] = [];
  let builder = new EventBatchBuilder(mapping, batchRowsPerChunk, errors);
  const rotate = () => {
    finished.push(builder.finish(defaults));
    builder = new EventBatchBuilder(mapping, batchRowsPerChunk, errors);
  };
  let lines: number;
  if (format === 'lines') {
    lines = await splitLinesYielding(body, {
      line(text, line) {
        const error = builder.addLine(text, line);
        if (error !== null) errors.add(error);
        else if (builder.full) rotate();
      },
      bad(line, error) {
        errors.add(lineError(line, error));
      },
    });
  } else {
    lines = addArray(
      body,
      (event, line) => {
        const error = builder.addEvent(event, line);
        if (error !== null) errors.add(error);
        else if (builder.full) rotate();
      },
      errors,
    );
  }
  finished.push(builder.finish(defaults));
  for (const batch of await Promise.all(finished)) if (batchRows(batch) > 0) built.push(batch);
  const accepted = built.reduce((sum, batch) => sum + batchRows(batch), 0);
  if (accepted > 0) await engine.ingest(table.id, built);
  const kept = errors.kept.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { accepted, rejected: errors.count, errors: kept, lines };
}

/** A JSON array body (or a single object): element i is "line" i + 1. */
function addArray(body: Buffer, add: (event: unknown, line: number) => void, errors: ErrorLog): number {
  let text: string;
  try {
    const bytes = body.subarray(textStart(body));
    if (!isUtf8(bytes)) checkUtf8(bytes);
    text = bytes.toString('utf8');
  } catch (error) {
    errors.add(lineError(null, error));
    return 0;
  }
  if (text.trim() === '') return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    errors.add(jsonSyntaxError(null, text));
    return 0;
  }
  const events = Array.isArray(parsed) ? parsed : [parsed];
  for (let i = 0; i < events.length; i++) add(events[i], i + 1);
  return events.length;
}
