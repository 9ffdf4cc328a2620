/**
 * A portal: a bound statement with its parameters and result formats, executed on the first
 * Execute and streamed batch by batch across Executes with a row limit (PortalSuspended between
 * them). The portal owns the engine's row iterator and returns it when it is closed, so the
 * engine can release what the query holds.
 */
import type { CopyInTarget, CopyOutSource, PreparedStatement, ResultColumn, SessionContext, StatementResult } from '../engine.js';
import { DbError } from '../../storage/errors.js';
import { abortReason, untilAborted } from '../../planner/physical/context.js';
import type { DataType, Value } from '../../storage/types.js';
import { batchRows, type Batch } from '../../storage/vector.js';
import {
  writeCopyData,
  writeCopyDone,
  writeCopyInResponse,
  writeCopyOutResponse,
  writeCommandComplete,
  writeEmptyQueryResponse,
  writeNoticeResponse,
  writePortalSuspended,
  writeRowDescription,
} from './backend-messages.js';
import { engineReleaseTimeoutMs, eventLoopYieldIntervalMs, outputFlushBytes } from './limits.js';
import type { Outbox } from './outbox.js';
import { batchEncoder, encodeDataRows, type BatchEncoder } from './row-encoder.js';
import type { FormatSettings } from './value-codecs.js';

/**
 * A notice as the engine reports it. `severity` (WARNING for "there is no transaction in
 * progress", NOTICE otherwise), `detail` and `hint` are read when present; the engine contract
 * does not declare them yet.
 */
export interface Notice {
  readonly code: string;
  readonly message: string;
  readonly severity?: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface StoredStatement {
  readonly name: string;
  readonly sql: string;
  /** Null for an empty query string (Execute answers EmptyQueryResponse). */
  readonly prepared: PreparedStatement | null;
}

export interface RunOptions {
  readonly outbox: Outbox;
  readonly session: SessionContext;
  readonly settings: FormatSettings;
  /** Simple query protocol: RowDescription precedes the rows. */
  readonly describe: boolean;
}

type PortalState = 'ready' | 'suspended' | 'copying' | 'done' | 'failed';

export class Portal {
  readonly controller = new AbortController();
  private state: PortalState = 'ready';
  private result: StatementResult | null = null;
  private iterator: AsyncIterator<Batch> | null = null;
  private encoder: BatchEncoder | null = null;
  /** Next live row of `encoder.batch` to send. */
  private row = 0;
  /** When the stream last let the event loop run other work. */
  private lastYieldMs = performance.now();
  /** Settles when the engine has released the rows (see close). */
  private released: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly statement: StoredStatement,
    readonly params: readonly Value[],
    /** Format code per result column (0 text, 1 binary, others rejected at Execute). */
    readonly formats: Int16Array,
  ) {}

  get columns(): readonly ResultColumn[] | null {
    return this.statement.prepared?.columns ?? null;
  }

  get endsTransaction(): boolean {
    return this.statement.prepared?.endsTransaction ?? true;
  }

  /** ParameterStatus changes reported by the completed statement. */
  get parameterStatus(): ReadonlyArray<readonly [string, string]> {
    return (this.state === 'done' && this.result?.parameterStatus) || [];
  }

  /** COPY FROM STDIN in progress: where the session sends CopyData (null otherwise). */
  get copyTarget(): CopyInTarget | null {
    return this.state === 'copying' ? (this.result?.copyIn ?? null) : null;
  }

  /** CopyDone: the rows are stored; CommandComplete goes out. */
  async finishCopy(out: RunOptions['outbox']['out']): Promise<void> {
    const target = this.copyTarget;
    if (target === null) throw new DbError('08P01', 'COPY is not in progress');
    const rows = await target.finish();
    this.state = 'done';
    writeCommandComplete(out, (this.result as StatementResult).commandTag(rows));
  }

  /**
   * Sends up to `maxRows` rows (0 = all), then CommandComplete, or PortalSuspended when the limit
   * was reached; for COPY FROM STDIN, CopyInResponse and 'copyIn' (the session then feeds
   * `copyTarget`). Throws on error; the caller then closes the portal.
   */
  async run(maxRows: number, options: RunOptions): Promise<'complete' | 'suspended' | 'copyIn'> {
    const out = options.outbox.out;
    const prepared = this.statement.prepared;
    if (prepared === null) {
      writeEmptyQueryResponse(out);
      this.state = 'done';
      return 'complete';
    }
    if (this.state === 'failed' || this.state === 'copying' || (this.state === 'done' && this.columns === null)) {
      throw new DbError('55000', `portal "${this.name}" cannot be run`);
    }
    if (this.state === 'done') {
      // An exhausted row-returning portal answers with an empty completion, as PostgreSQL does.
      writeCommandComplete(out, (this.result as StatementResult).commandTag(0));
      return 'complete';
    }
    const signal = this.controller.signal;
    if (this.state === 'ready') {
      for (const format of this.formats) {
        if (format !== 0 && format !== 1) throw new DbError('22023', `unsupported format code: ${format}`);
      }
      const pending = prepared.execute(this.params, { session: options.session, signal });
      const result = await untilAborted(pending, signal).catch((error: unknown) => {
        // A result that arrives after we gave up still holds resources: release them.
        if (signal.aborted) void pending.then((late) => closeRows(late), () => undefined);
        throw error;
      });
      this.result = result;
      if (result.rows !== null) this.iterator = result.rows[Symbol.asyncIterator]();
      throwIfAborted(signal);
      for (const notice of (result.notices ?? []) as readonly Notice[]) writeNoticeResponse(out, notice);
      const columns = result.columns ?? prepared.columns;
      if (options.describe && columns !== null) writeRowDescription(out, columns, this.formats);
      this.state = 'suspended';
    }
    const result = this.result as StatementResult;
    if (result.copyIn !== undefined) {
      writeCopyInResponse(out, result.copyIn.binary, result.copyIn.columnCount);
      this.state = 'copying';
      return 'copyIn';
    }
    if (result.copyOut !== undefined) {
      await this.copyOut(result.copyOut, options);
      this.state = 'done';
      writeCommandComplete(out, result.commandTag(result.copyOut.rowCount()));
      return 'complete';
    }
    let sent = 0;
    if (this.iterator !== null) {
      const types = (result.columns ?? prepared.columns ?? []).map((c) => c.type);
      const suspended = await this.stream(maxRows, types, options);
      sent = suspended.sent;
      if (suspended.limitReached) {
        writePortalSuspended(out);
        return 'suspended';
      }
    }
    this.state = 'done';
    this.iterator = null;
    writeCommandComplete(out, result.commandTag(sent));
    return 'complete';
  }

  /** CopyOutResponse, the payloads as CopyData at the socket's pace, CopyDone. */
  private async copyOut(source: CopyOutSource, options: RunOptions): Promise<void> {
    const { outbox } = options;
    const signal = this.controller.signal;
    writeCopyOutResponse(outbox.out, source.binary, source.columnCount);
    const iterator = source.chunks[Symbol.asyncIterator]();
    this.iterator = iterator as unknown as AsyncIterator<Batch>;
    for (;;) {
      throwIfAborted(signal);
      const next = await untilAborted(iterator.next(), signal);
      if (next.done === true) break;
      writeCopyData(outbox.out, next.value);
      await outbox.flushIfFull(signal);
      if (outbox.isClosed) throw clientGone();
    }
    this.iterator = null;
    writeCopyDone(outbox.out);
  }

  private async stream(
    maxRows: number,
    types: readonly DataType[],
    options: RunOptions,
  ): Promise<{ sent: number; limitReached: boolean }> {
    const { outbox, settings } = options;
    const out = outbox.out;
    const signal = this.controller.signal;
    let sent = 0;
    for (;;) {
      if (this.encoder === null) {
        throwIfAborted(signal);
        const next = await this.nextBatch(outbox, signal);
        if (next.done === true) {
          // An engine that stops early on abort must not look like a complete result.
          throwIfAborted(signal);
          return { sent, limitReached: false };
        }
        if (batchRows(next.value) === 0) continue;
        this.encoder = batchEncoder(next.value, types, this.formats, settings);
        this.row = 0;
      }
      const live = batchRows(this.encoder.batch);
      const to = maxRows === 0 ? live : Math.min(live, this.row + (maxRows - sent));
      while (this.row < to) {
        const stop = encodeDataRows(out, this.encoder, this.row, to, outputFlushBytes);
        sent += stop - this.row;
        this.row = stop;
        await outbox.flushIfFull(signal);
        throwIfAborted(signal);
        if (outbox.isClosed) throw clientGone();
      }
      if (this.row >= live) this.encoder = null;
      if (maxRows !== 0 && sent >= maxRows) return { sent, limitReached: true };
    }
  }

  /**
   * The next batch. When the engine is not ready at once (a slow scan), the rows encoded so far
   * go to the client while it works, so results stream instead of waiting for a full chunk.
   */
  private async nextBatch(outbox: Outbox, signal: AbortSignal): Promise<IteratorResult<Batch>> {
    // An engine whose batches are always ready keeps the event loop in microtasks, where no
    // CancelRequest, disconnect or other session can be served; give it a turn now and then.
    // Rows that waited that long go out too, so a slow result streams.
    if (performance.now() - this.lastYieldMs >= eventLoopYieldIntervalMs) {
      await nextMacrotask();
      await outbox.flushAndWait(signal);
      this.lastYieldMs = performance.now();
      throwIfAborted(signal);
    }
    const next = untilAborted((this.iterator as AsyncIterator<Batch>).next(), signal);
    if (outbox.out.length === 0) return next;
    const first = await Promise.race([next, nextMacrotask()]);
    if (first !== notYet) return first;
    await outbox.flushAndWait(signal);
    return next;
  }

  /**
   * Marks the portal done (or failed) and returns the engine's iterator. Every caller gets the
   * same promise; it settles once the engine has released the query, or after
   * `engineReleaseTimeoutMs` for an engine that does not respond (its generator then finishes on
   * its own time).
   */
  close(failed = false): Promise<void> {
    // A COPY FROM STDIN that did not finish stores nothing.
    const copy = this.copyTarget;
    if (copy !== null) this.released = copy.abort().catch(() => undefined);
    if (failed) this.state = 'failed';
    else if (this.state !== 'failed') this.state = 'done';
    const iterator = this.iterator;
    this.iterator = null;
    this.encoder = null;
    if (iterator?.return !== undefined) {
      const released = iterator.return().then(
        () => undefined,
        // The query is being abandoned; its cleanup errors have no one to go to.
        () => undefined,
      );
      this.released = Promise.race([released, delay(engineReleaseTimeoutMs)]);
    }
    return this.released;
  }
}

export function clientGone(): DbError {
  return new DbError('08006', 'connection to client lost', {}, 'FATAL');
}

/** Why a portal's query was stopped: the DbError given to abort(), else a cancel. */

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal);
}

const notYet = Symbol('not yet');

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

function nextMacrotask(): Promise<typeof notYet> {
  return new Promise((resolve) => setImmediate(() => resolve(notYet)));
}


async function closeRows(result: StatementResult): Promise<void> {
  const iterator = result.rows?.[Symbol.asyncIterator]();
  try {
    await iterator?.return?.();
  } catch {
    // Nothing to report to: the query was abandoned.
  }
}
