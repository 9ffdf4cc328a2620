/**
 * The protocol state of one established connection: prepared statements, portals, the skip-to-Sync
 * state after an extended-protocol error, and pending ParameterStatus reports. It turns frontend
 * messages into engine calls and backend messages, following PostgreSQL's postgres.c.
 *
 * Invariants: a session handles one message at a time; an ERROR never ends the session (only
 * FATAL errors propagate to the connection); a portal whose query failed or whose transaction
 * ended has returned its row iterator to the engine.
 */
import type { Engine, ParsedStatement, SessionContext } from '../engine.js';
import { DbError, queryCanceled, toDbError } from '../../storage/errors.js';
import {
  writeBindComplete,
  writeCloseComplete,
  writeEmptyQueryResponse,
  writeErrorResponse,
  writeNoData,
  writeParameterDescription,
  writeParameterStatus,
  writeParseComplete,
  writeReadyForQuery,
  writeRowDescription,
} from './backend-messages.js';
import { formatSettings } from './format-settings.js';
import type { Frame } from './frame-reader.js';
import {
  decodeMessage,
  isExtendedQueryMessage,
  type BindMessage,
  type CloseMessage,
  type DescribeMessage,
  type ExecuteMessage,
  type ParseMessage,
} from './frontend-messages.js';
import { maxPortalsPerSession, maxStatementsPerSession } from './limits.js';
import type { Outbox } from './outbox.js';
import { decodeParams } from './param-decoder.js';
import { Portal, type StoredStatement } from './portal.js';
import { abortReason } from '../../planner/physical/context.js';

const syncType = 0x53;
const terminateType = 0x58;
const flushType = 0x48;
const copyDataType = 0x64;
const copyDoneType = 0x63;
const copyFailType = 0x66;

/** The statements of one simple Query still to run (a COPY FROM STDIN pauses them). */
interface SimpleRun {
  readonly statements: readonly ParsedStatement[];
  next: number;
  implicit: boolean;
}

/** COPY FROM STDIN in progress: CopyData goes to the portal's target until CopyDone or CopyFail. */
interface CopyInProgress {
  readonly portal: Portal;
  /** The rest of the simple Query that started it, or null under the extended protocol. */
  readonly simple: SimpleRun | null;
}

const inFailedTransaction = () =>
  new DbError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');

export class Session {
  private readonly statements = new Map<string, StoredStatement>();
  private readonly portals = new Map<string, Portal>();
  private readonly pendingParameterStatus = new Map<string, string>();
  private ignoreTillSync = false;
  /** The portal whose query is running now: the target of a CancelRequest. */
  private running: Portal | null = null;
  private abandoned: Promise<void> | null = null;
  private copyIn: CopyInProgress | null = null;
  private abandonReason: DbError | null = null;

  constructor(
    private readonly engine: Engine,
    readonly context: SessionContext,
    private readonly outbox: Outbox,
    private readonly log: (line: string) => void,
  ) {}

  /** Handles one message. Returns 'terminate' after Terminate; throws only FATAL errors. */
  async handle(frame: Frame): Promise<'continue' | 'terminate'> {
    if (frame.type === terminateType) return 'terminate';
    if (this.copyIn !== null) {
      await this.handleCopyIn(frame);
      return 'continue';
    }
    if (this.ignoreTillSync && frame.type !== syncType) return 'continue';
    try {
      await this.dispatch(frame);
    } catch (thrown) {
      const error = this.report(thrown);
      if (error.severity === 'ERROR') {
        // Extended-protocol messages skip to Sync; Sync itself and the others answer at once.
        if (isExtendedQueryMessage(frame.type) && frame.type !== syncType) this.ignoreTillSync = true;
        else this.sync();
      }
      this.outbox.flush();
      if (error.severity !== 'ERROR') throw error;
    }
    return 'continue';
  }

  /** CancelRequest: stops the running query, if any, with 57014. */
  cancel(): void {
    (this.running ?? this.copyIn?.portal)?.controller.abort(queryCanceled());
  }

  /**
   * Stops every query of the session (client gone, server shutdown) and releases the portals.
   * Later calls get the first call's promise, which settles once the engine released them all.
   */
  abandon(reason: DbError): Promise<void> {
    this.abandonReason ??= reason;
    this.abandoned ??= (async () => {
      const portals = new Set(this.portals.values());
      if (this.running !== null) portals.add(this.running);
      if (this.copyIn !== null) portals.add(this.copyIn.portal);
      this.copyIn = null;
      this.portals.clear();
      this.statements.clear();
      for (const portal of portals) portal.controller.abort(reason);
      await Promise.all([...portals].map((portal) => portal.close()));
    })();
    return this.abandoned;
  }

  private async dispatch(frame: Frame): Promise<void> {
    const message = decodeMessage(frame.type, frame.body);
    switch (message.kind) {
      case 'Query':
        return this.simpleQuery(message.sql);
      case 'Parse':
        return this.parse(message);
      case 'Bind':
        return this.bind(message);
      case 'Describe':
        return this.describe(message);
      case 'Execute':
        return this.execute(message);
      case 'Close':
        return this.close(message);
      case 'Sync':
        this.ignoreTillSync = false;
        this.endImplicitTransaction();
        this.sync();
        this.outbox.flush();
        return;
      case 'Flush':
        this.outbox.flush();
        return;
      case 'FunctionCall':
        throw new DbError('0A000', 'fastpath function calls are not supported');
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        // Outside COPY these are ignored, as PostgreSQL does after a failed COPY.
        return;
      case 'Terminate':
        return;
    }
  }

  /** Sends ErrorResponse for `thrown`; a transaction block in progress becomes failed. */
  private report(thrown: unknown): DbError {
    const error = toDbError(thrown);
    if (error.code === 'XX000') {
      const detail = thrown instanceof Error && thrown.stack !== undefined ? thrown.stack : String(thrown);
      this.log(`session ${this.context.processId}: ${detail}`);
    }
    if (this.outbox.isClosed) return error;
    writeErrorResponse(this.outbox.out, error);
    if (this.context.transactionStatus === 'T') this.context.transactionStatus = 'E';
    return error;
  }

  /** ParameterStatus for settings changed since the last one, then ReadyForQuery. */
  private sync(): void {
    const out = this.outbox.out;
    for (const [name, value] of this.pendingParameterStatus) writeParameterStatus(out, name, value);
    this.pendingParameterStatus.clear();
    writeReadyForQuery(out, this.context.transactionStatus);
  }

  private async simpleQuery(sql: string): Promise<void> {
    this.dropPortal('');
    this.statements.delete('');
    let run: SimpleRun | null = null;
    try {
      const parsed = this.engine.parse(sql);
      if (parsed.length === 0) writeEmptyQueryResponse(this.outbox.out);
      run = { statements: parsed, next: 0, implicit: false };
    } catch (thrown) {
      if (toDbError(thrown).severity !== 'ERROR') throw thrown;
      this.report(thrown);
    }
    if (run !== null) await this.continueSimple(run);
    else this.endSimple();
  }

  /**
   * Runs the statements of a simple Query from `run.next` on. Several statements run as one
   * implicit transaction, as in PostgreSQL: an error undoes the statements before it in the same
   * string. A COPY FROM STDIN pauses the run until its CopyDone.
   */
  private async continueSimple(run: SimpleRun): Promise<void> {
    try {
      if (run.statements.length > 1 && !run.implicit && this.context.transactionStatus === 'I') {
        this.engine.beginImplicitTransaction(this.context);
        run.implicit = true;
      }
      while (run.next < run.statements.length) {
        const statement = run.statements[run.next++] as ParsedStatement;
        const prepared = this.engine.bind(statement, [], this.context);
        const formats = new Int16Array(prepared.columns?.length ?? 0);
        const portal = new Portal('', { name: '', sql: statement.sql, prepared }, [], formats);
        this.portals.set('', portal);
        if ((await this.runPortal(portal, 0, true)) === 'copyIn') {
          this.copyIn = { portal, simple: run };
          this.outbox.flush();
          return;
        }
        this.dropPortal('');
      }
      if (run.implicit) {
        run.implicit = false;
        await this.engine.endImplicitTransaction(this.context, true);
      }
    } catch (thrown) {
      await this.failSimple(run, thrown);
    }
    this.endSimple();
  }

  /** An error ends a simple Query's run: its implicit transaction is undone, the error reported. */
  private async failSimple(run: SimpleRun, thrown: unknown): Promise<void> {
    if (run.implicit) await this.engine.endImplicitTransaction(this.context, false).catch(() => undefined);
    // FATAL errors end the session: the caller reports them.
    if (toDbError(thrown).severity !== 'ERROR') throw thrown;
    this.report(thrown);
  }

  private endSimple(): void {
    this.dropPortal('');
    this.endImplicitTransaction();
    this.sync();
    this.outbox.flush();
  }

  /**
   * A message while COPY FROM STDIN runs: CopyData feeds it, CopyDone stores its rows, CopyFail
   * or anything else but Flush/Sync (ignored, as in PostgreSQL) ends it with an error and stores
   * nothing.
   */
  private async handleCopyIn(frame: Frame): Promise<void> {
    const copy = this.copyIn as CopyInProgress;
    const portal = copy.portal;
    const target = portal.copyTarget;
    try {
      if (portal.controller.signal.aborted) throw abortReason(portal.controller.signal);
      if (target === null) throw new DbError('XX000', 'internal error: COPY target missing');
      switch (frame.type) {
        case copyDataType:
          await target.write(frame.body);
          return;
        case copyDoneType:
          this.copyIn = null;
          await portal.finishCopy(this.outbox.out);
          this.dropPortal(portal.name);
          break;
        case copyFailType: {
          const message = decodeMessage(frame.type, frame.body);
          throw new DbError('57014', `COPY from stdin failed: ${message.kind === 'CopyFail' ? message.message : ''}`);
        }
        case flushType:
        case syncType:
          return;
        default:
          throw new DbError('08P01', `unexpected message type 0x${frame.type.toString(16).toUpperCase().padStart(2, '0')} during COPY from stdin`);
      }
    } catch (thrown) {
      this.copyIn = null;
      this.portals.delete(portal.name);
      void portal.close(true);
      if (copy.simple !== null) {
        await this.failSimple(copy.simple, thrown);
        this.endSimple();
        return;
      }
      if (toDbError(thrown).severity !== 'ERROR') throw thrown;
      this.report(thrown);
      this.ignoreTillSync = true;
      this.outbox.flush();
      return;
    }
    // CopyDone: the rest of the Query that started the COPY runs now.
    if (copy.simple !== null) await this.continueSimple(copy.simple);
    else this.outbox.flush();
  }

  private parse(message: ParseMessage): void {
    if (message.statement === '') this.statements.delete('');
    else if (this.statements.has(message.statement)) {
      throw new DbError('42P05', `prepared statement "${message.statement}" already exists`);
    }
    if (this.statements.size >= maxStatementsPerSession) {
      throw new DbError('53400', `too many prepared statements (at most ${maxStatementsPerSession} per session)`);
    }
    const parsed = this.engine.parse(message.sql);
    if (parsed.length > 1) throw new DbError('42601', 'cannot insert multiple commands into a prepared statement');
    const first = parsed[0];
    const prepared = first === undefined ? null : this.engine.bind(first, message.paramTypeOids, this.context);
    if (prepared !== null && this.context.transactionStatus === 'E' && !prepared.endsTransaction) {
      throw inFailedTransaction();
    }
    this.statements.set(message.statement, { name: message.statement, sql: message.sql, prepared });
    writeParseComplete(this.outbox.out);
  }

  private findStatement(name: string): StoredStatement {
    const statement = this.statements.get(name);
    if (statement !== undefined) return statement;
    if (name === '') throw new DbError('26000', 'unnamed prepared statement does not exist');
    throw new DbError('26000', `prepared statement "${name}" does not exist`);
  }

  private findPortal(name: string): Portal {
    const portal = this.portals.get(name);
    if (portal === undefined) throw new DbError('34000', `portal "${name}" does not exist`);
    return portal;
  }

  private bind(message: BindMessage): void {
    const statement = this.findStatement(message.statement);
    const prepared = statement.prepared;
    const paramTypes = prepared?.paramTypes ?? [];
    if (this.context.transactionStatus === 'E' && prepared !== null && !prepared.endsTransaction) {
      throw inFailedTransaction();
    }
    if (message.portal === '') this.dropPortal('');
    else if (this.portals.has(message.portal)) throw new DbError('42P03', `cursor "${message.portal}" already exists`);
    if (this.portals.size >= maxPortalsPerSession) {
      throw new DbError('53400', `too many open portals (at most ${maxPortalsPerSession} per session)`);
    }
    const params = decodeParams(message, paramTypes, message.statement, formatSettings(this.context.settings));
    const columnCount = prepared?.columns?.length ?? 0;
    const requested = message.resultFormats;
    if (prepared?.columns && requested.length > 1 && requested.length !== columnCount) {
      throw new DbError('08P01', `bind message has ${requested.length} result formats but query has ${columnCount} columns`);
    }
    const formats = new Int16Array(columnCount);
    if (requested.length === 1) formats.fill(requested[0] as number);
    else if (requested.length === columnCount) formats.set(requested);
    this.portals.set(message.portal, new Portal(message.portal, statement, params, formats));
    writeBindComplete(this.outbox.out);
  }

  private describe(message: DescribeMessage): void {
    const out = this.outbox.out;
    if (message.target === 'S') {
      const prepared = this.findStatement(message.name).prepared;
      if (this.context.transactionStatus === 'E' && prepared?.columns) throw inFailedTransaction();
      writeParameterDescription(out, prepared?.paramTypes ?? []);
      if (prepared?.columns) writeRowDescription(out, prepared.columns, null);
      else writeNoData(out);
      return;
    }
    const portal = this.findPortal(message.name);
    const columns = portal.columns;
    if (this.context.transactionStatus === 'E' && columns !== null) throw inFailedTransaction();
    if (columns !== null) writeRowDescription(out, columns, portal.formats);
    else writeNoData(out);
  }

  private async execute(message: ExecuteMessage): Promise<void> {
    const portal = this.findPortal(message.portal);
    if (this.context.transactionStatus === 'E' && !portal.endsTransaction) throw inFailedTransaction();
    if ((await this.runPortal(portal, message.maxRows, false)) === 'copyIn') {
      this.copyIn = { portal, simple: null };
      this.outbox.flush();
    }
  }

  /** Runs a portal; on failure the portal is closed and the error (or abort reason) rethrown. */
  private async runPortal(portal: Portal, maxRows: number, describe: boolean): Promise<'complete' | 'suspended' | 'copyIn'> {
    // A session abandoned between two statements of one Query starts nothing new.
    if (this.abandonReason !== null) throw this.abandonReason;
    const before = this.context.transactionStatus;
    this.running = portal;
    try {
      const outcome = await portal.run(maxRows, {
        outbox: this.outbox,
        session: this.context,
        settings: formatSettings(this.context.settings),
        describe,
      });
      if (outcome === 'complete') {
        for (const [name, value] of portal.parameterStatus) this.pendingParameterStatus.set(name, value);
      }
      if (outcome === 'copyIn') return outcome;
    } catch (thrown) {
      // Not awaited: the error goes to the client while the engine releases the query.
      void portal.close(true);
      throw portal.controller.signal.aborted ? abortReason(portal.controller.signal) : thrown;
    } finally {
      this.running = null;
    }
    // COMMIT and ROLLBACK end the transaction, and with it every portal opened inside it.
    if (before !== 'I' && this.context.transactionStatus === 'I') this.closeAllPortals();
    return 'complete';
  }

  private close(message: CloseMessage): void {
    if (message.target === 'S') this.statements.delete(message.name);
    else this.dropPortal(message.name);
    writeCloseComplete(this.outbox.out);
  }

  /** Closing does not wait for the engine: its release runs behind the next message. */
  private dropPortal(name: string): void {
    const portal = this.portals.get(name);
    if (portal === undefined) return;
    this.portals.delete(name);
    void portal.close();
  }

  /** Outside a transaction block, each Sync or simple query ends an implicit transaction. */
  private endImplicitTransaction(): void {
    if (this.context.transactionStatus === 'I') this.closeAllPortals();
  }

  private closeAllPortals(): void {
    const portals = [...this.portals.values()];
    this.portals.clear();
    for (const portal of portals) void portal.close();
  }
}
