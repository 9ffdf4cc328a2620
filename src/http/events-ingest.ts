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
import { eventMapping } from './event-mapping.js';
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

/** An upper bound of the lines in a body (newlines + 1), so a small request gets small column arrays. */
function lineBound(body: Buffer): number {
  let count = 1;
  for (let at = body.indexOf(10); at >= 0; at = body.indexOf(10, at + 1)) count++;
  return count;
}

/** Events of a JSON array converted between event-loop turns, this many at a time. */
const arrayEventsPerTurn = 16_384;

export async function ingestEvents(engine: SqlEngine, table: TableDef, body: Buffer, format: BodyFormat): Promise<IngestOutcome> {
  const mapping = eventMapping(table);
  const errors = new ErrorLog(maxReportedErrors);
  const defaults = defaultEvaluator(engine);
  const events = format === 'array' ? parseArray(body, errors) : null;
  const capacity = Math.min(batchRowsPerChunk, Math.max(1, events === null ? lineBound(body) : events.length));
  const finished: Promise<Batch>[] = [];
  let builder = new EventBatchBuilder(mapping, capacity, errors);
  const added = (error: LineError | null) => {
    if (error !== null) {
      errors.add(error);
    } else if (builder.full) {
      finished.push(builder.finish(defaults));
      builder = new EventBatchBuilder(mapping, capacity, errors);
    }
  };
  let lines: number;
  if (events === null) {
    lines = await splitLinesYielding(body, {
      line: (text, line) => added(builder.addLine(text, line)),
      bad: (line, error) => errors.add(lineError(line, error)),
    });
  } else {
    for (let i = 0; i < events.length; i++) {
      added(builder.addEvent(events[i], i + 1));
      if ((i + 1) % arrayEventsPerTurn === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    lines = events.length;
  }
  finished.push(builder.finish(defaults));
  const built: Batch[] = [];
  for (const batch of await Promise.all(finished)) if (batchRows(batch) > 0) built.push(batch);
  const accepted = built.reduce((sum, batch) => sum + batchRows(batch), 0);
  if (accepted > 0) await engine.ingest(table.id, built);
  const kept = errors.kept.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { accepted, rejected: errors.count, errors: kept, lines };
}

/** The events of a JSON array body (a single object is one event), or [] with the error logged. */
function parseArray(body: Buffer, errors: ErrorLog): unknown[] {
  let text: string;
  try {
    const bytes = body.subarray(textStart(body));
    if (!isUtf8(bytes)) checkUtf8(bytes);
    text = bytes.toString('utf8');
  } catch (error) {
    errors.add(lineError(null, error));
    return [];
  }
  if (text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    errors.add(jsonSyntaxError(null, text));
    return [];
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}
