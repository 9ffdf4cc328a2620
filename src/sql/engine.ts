/**
 * The SQL engine behind the wire server: parses with PostgreSQL's grammar, binds against the
 * catalog, optimizes, and executes plans over storage snapshots. One instance serves every session.
 */
import { DbError, featureNotSupported } from '../../storage/errors.js';
import type { Database } from '../../storage/database.js';
import type { TableSnapshot } from '../../storage/snapshot.js';
import { Types, typeByOid, type DataType, type Value } from '../../storage/types.js';
import type { Batch } from '../../storage/vector.js';
import { buildOperator } from '../../planner/physical/build.js';
import type { LogicalPlan } from '../../planner/logical-plan.js';
import type { BoundSubquery } from './binder/bind-expr.js';
import type { ExecContext, OperatorProfile } from '../../planner/physical/context.js';
import { QueryMemory } from '../../planner/physical/query-memory.js';
import { run } from '../../planner/physical/operator.js';
import type { FunctionRegistry } from '../../planner/functions.js';
import { Catalog, tableOid } from '../catalog/catalog.js';
import { builtinFunctions } from '../functions/registry.js';
import type { Engine, ExecuteContext, ParsedStatement, PreparedStatement, ResultColumn, SessionContext, StatementResult } from '../engine.js';
import { bindStatement, type BoundStatement } from './bind-statement.js';
import { executeCommand } from './commands.js';
import { parseSql, type ParsedSql } from './parse.js';
import { findSetting, formatSettingsOf, memorySettingKb, settingValue, startupParameters } from './settings.js';
import { restoreSettings, TransactionState, withPendingRows } from './transaction.js';
import { explainResult } from './explain-result.js';
import { runSubqueries, withSubqueries } from './subqueries.js';
import { installFragmentRunner } from '../../planner/parallel/runner.js';
import { WorkerPool } from './worker-pool.js';
import { IngestRules } from '../ingest/rules.js';
import { CopyFrom, type CopyDestination } from './copy/copy-from.js';
import { copyToChunks } from './copy/copy-to.js';

export interface EngineOptions {
  /** Rows per batch built by operators (default 65,536; tests use tiny batches). */
  readonly batchRows?: number;
  /** Worker threads for parallel scans and aggregates (default 0: everything on the main thread). */
  readonly workers?: number;
  /** Segment rows a query must read before it is worth sending to workers (default 100,000). */
  readonly parallelMinRows?: number;
}

interface Parsed extends ParsedStatement {
  readonly parsed: ParsedSql;
}

export class SqlEngine implements Engine {
  readonly catalog: Catalog;
  /** Bumped by DDL, so prepared statements know to bind again. */
  catalogVersion = 0;
  private readonly transactions = new WeakMap<SessionContext, TransactionState>();
  readonly batchRows: number;
  readonly functions: FunctionRegistry = builtinFunctions;
  /** Applied to every batch that enters a table (INSERT, COPY, HTTP). */
  readonly ingestRules = new IngestRules();

  private readonly pool: WorkerPool | null;

  constructor(readonly database: Database, options: EngineOptions = {}) {
    this.catalog = new Catalog(database, this.ingestRules);
    this.batchRows = options.batchRows ?? 65_536;
    const workers = options.workers ?? 0;
    this.pool = workers > 0 ? new WorkerPool(workers, options.parallelMinRows ?? 100_000) : null;
    // One pool per process: plans built from now on may fan out to it.
    installFragmentRunner(this.pool);
  }

  parse(sql: string): ParsedStatement[] {
    return parseSql(sql).map((parsed): Parsed => ({ sql: parsed.sql, parsed }));
  }

  bind(statement: ParsedStatement, paramTypeOids: readonly number[], session: SessionContext): PreparedStatement {
    const parsed = (statement as Parsed).parsed;
    if (session.transactionStatus === 'E' && !(parsed.statement.kind === 'transaction' && parsed.statement.action !== 'begin')) {
      throw new DbError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
    }
    const bound = this.bindParsed(parsed, paramTypeOids, session);
    return new Prepared(this, parsed, paramTypeOids, bound.statement, bound.paramTypes, bound.settingsRead, bound.readsLive);
  }

  bindParsed(
    parsed: ParsedSql,
    paramTypeOids: readonly number[],
    session: SessionContext,
  ): { statement: BoundStatement; paramTypes: DataType[]; settingsRead: ReadonlyMap<string, string>; readsLive: boolean } {
    const params = paramTypeOids.map((oid, i) => {
      if (oid === 0) return Types.unknown;
      const type = typeByOid(oid);
      if (type === undefined) throw new DbError('0A000', `parameter $${i + 1} has a type (OID ${oid}) that Eventide does not support`);
      return type;
    });
    const settingsRead = new Map<string, string>();
    const liveRead = { value: false };
    const bindSession = { catalog: this.catalog, user: session.user, database: session.database, processId: session.processId, settings: session.settings, settingsRead, liveRead };
    const context = { params, settings: formatSettingsOf(session.settings), functions: this.functions, subqueries: [], session: bindSession };
    const statement = bindStatement(parsed.statement, context, this.catalog);
    return { statement, paramTypes: params.map((t) => (t.id === 'unknown' ? Types.text : t)), settingsRead, readsLive: liveRead.value };
  }

  startupParameters(session: SessionContext): ReadonlyArray<readonly [string, string]> {
    return startupParameters(session.settings, session.user);
  }

  async close(): Promise<void> {
    // The database is owned by whoever opened it (the CLI), which closes it after the server.
    if (this.pool === null) return;
    installFragmentRunner(null);
    await this.pool.close();
  }

  transaction(session: SessionContext): TransactionState | undefined {
    return this.transactions.get(session);
  }

  beginTransaction(session: SessionContext, implicit = false): TransactionState {
    const state = new TransactionState(session.settings, implicit);
    this.transactions.set(session, state);
    return state;
  }

  /** Sessions inside a multi-statement query: after a COMMIT there, the rest is implicit again. */
  private readonly implicitQueries = new WeakSet<SessionContext>();

  beginImplicitTransaction(session: SessionContext): void {
    this.implicitQueries.add(session);
    if (!this.transactions.has(session)) this.beginTransaction(session, true);
  }

  async endImplicitTransaction(session: SessionContext, success: boolean): Promise<void> {
    this.implicitQueries.delete(session);
    const transaction = this.transactions.get(session);
    if (transaction === undefined || !transaction.implicit) return;
    this.transactions.delete(session);
    if (success) {
      if (transaction.writes.length > 0) await this.database.commit(transaction.writes);
    } else {
      restoreSettings(session, transaction.settingsAtBegin);
    }
  }

  inImplicitQuery(session: SessionContext): boolean {
    return this.implicitQueries.has(session);
  }

  endTransaction(session: SessionContext): void {
    this.transactions.delete(session);
  }

  /** The context a plan runs in: one snapshot per table, inserts through the transaction block. */
  execContext(params: readonly Value[], context: ExecuteContext, signal: AbortSignal, profile: Map<object, OperatorProfile> | null): ExecContext {
    const session = context.session;
    const snapshots = new Map<number, TableSnapshot>();
    const transaction = this.transactions.get(session);
    return {
      params,
      settings: formatSettingsOf(session.settings),
      functions: this.functions,
      statementTimeMicros: Math.round((performance.timeOrigin + performance.now()) * 1000),
      subqueryResults: [],
      signal,
      batchRows: this.batchRows,
      profile,
      memory: new QueryMemory(memorySettingKb(settingValue(session.settings, 'eventide.query_memory_limit')) * 1024),
      snapshot: (tableId) => {
        let snapshot = snapshots.get(tableId);
        if (snapshot === undefined) {
          snapshot = this.database.snapshot(tableId);
          if (transaction !== undefined) snapshot = withPendingRows(snapshot, transaction.pendingFor(tableId));
          snapshots.set(tableId, snapshot);
        }
        return snapshot;
      },
      insert: (tableId, batches) => this.ingest(tableId, batches, transaction),
    };
  }

  /**
   * The one door rows enter a table by (INSERT, COPY, HTTP): ingest rules run, then the rows join
   * the session's transaction block or are committed (durable and visible when this resolves).
   */
  async ingest(tableId: number, batches: readonly Batch[], transaction?: TransactionState): Promise<void> {
    const table = this.database.getTable(tableId);
    if (table === undefined) throw new DbError('42P01', `table with id ${tableId} does not exist`);
    const ruled = batches.map((batch) => this.ingestRules.apply(table, batch));
    if (transaction !== undefined) {
      for (const batch of ruled) transaction.writes.push({ tableId, batch });
      return;
    }
    await this.database.commit(ruled.map((batch) => ({ tableId, batch })));
  }

  /**
   * Where COPY FROM's batches go. Outside a transaction block, a storage bulk load: staged to
   * unpublished segment files as they fill (memory stays bounded whatever the COPY's size), all
   * published at CopyDone. Inside one, held by the block like its INSERTs. Ingest rules run per
   * batch either way.
   */
  copyDestination(tableId: number, transaction: TransactionState | undefined): CopyDestination {
    const table = this.database.getTable(tableId);
    if (table === undefined) throw new DbError('42P01', `table with id ${tableId} does not exist`);
    if (transaction === undefined) {
      const load = this.database.bulkLoad(tableId);
      return {
        stage: (batch) => load.append(this.ingestRules.apply(table, batch)),
        commit: async () => {
          await load.commit();
        },
        abort: () => load.abort(),
      };
    }
    let staged: Batch[] = [];
    return {
      stage: async (batch) => {
        staged.push(batch);
      },
      commit: async () => {
        const batches = staged;
        staged = [];
        if (batches.length > 0) await this.ingest(tableId, batches, transaction);
      },
      abort: async () => {
        staged = [];
      },
    };
  }
}

function resultColumns(statement: BoundStatement): ResultColumn[] | null {
  switch (statement.kind) {
    case 'query':
      return statement.plan.schema.map((f) => ({
        name: f.name,
        type: f.type,
        tableOid: f.tableId === 0 ? 0 : tableOid(f.tableId),
        columnNumber: f.columnNumber,
      }));
    case 'explain':
      return [{ name: 'QUERY PLAN', type: Types.text, tableOid: 0, columnNumber: 0 }];
    case 'show':
      return statement.name === 'all'
        ? ['name', 'setting', 'description'].map((name) => ({ name, type: Types.text, tableOid: 0, columnNumber: 0 }))
        : [{ name: showName(statement.name), type: Types.text, tableOid: 0, columnNumber: 0 }];
    default:
      return null;
  }
}

function showName(name: string): string {
  // SHOW's column is named as PostgreSQL spells the setting (TimeZone, DateStyle).
  return findSetting(name).name;
}

/** Milliseconds of statement_timeout, 0 for none. */
function statementTimeoutMs(session: SessionContext): number {
  const text = settingValue(session.settings, 'statement_timeout');
  const match = /^(\d+)(ms|s|min|h|d)?$/.exec(text);
  if (match === null) return 0;
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * unit;
}

/** A signal that also fires on statement_timeout; `dispose` clears the timer. */
function statementSignal(session: SessionContext, outer: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const timeoutMs = statementTimeoutMs(session);
  if (timeoutMs === 0) return { signal: outer, dispose: () => undefined };
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DbError('57014', 'canceling statement due to statement timeout')), timeoutMs);
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    },
  };
}

class Prepared implements PreparedStatement {
  readonly sql: string;
  readonly columns: readonly ResultColumn[] | null;
  readonly endsTransaction: boolean;
  private boundVersion: number;

  constructor(
    private readonly engine: SqlEngine,
    private readonly parsed: ParsedSql,
    private readonly paramTypeOids: readonly number[],
    private statement: BoundStatement,
    readonly paramTypes: readonly DataType[],
    private settingsRead: ReadonlyMap<string, string>,
    /** Reads a system view of live counters (eventide_bot_flags): bound again at every execution. */
    private readsLive = false,
  ) {
    this.sql = parsed.sql;
    this.columns = resultColumns(statement);
    this.endsTransaction = statement.kind === 'transaction' && statement.action !== 'begin';
    this.boundVersion = engine.catalogVersion;
  }

  /** After DDL, or a SET of a setting it read, bind again; the result shape may not change under a client's feet. */
  private current(session: SessionContext): BoundStatement {
    const settingsChanged = [...this.settingsRead].some(([name, value]) => settingValue(session.settings, name) !== value);
    if (this.boundVersion === this.engine.catalogVersion && !settingsChanged && !this.readsLive) return this.statement;
    const { statement, settingsRead, readsLive } = this.engine.bindParsed(this.parsed, this.paramTypeOids.length > 0 ? this.paramTypeOids : this.paramTypes.map((t) => t.oid), session);
    const columns = resultColumns(statement);
    const same = JSON.stringify(columns?.map((c) => c.type.oid)) === JSON.stringify(this.columns?.map((c) => c.type.oid));
    if (!same) throw featureNotSupported('cached plan must not change result type');
    this.statement = statement;
    this.settingsRead = settingsRead;
    this.readsLive = readsLive;
    this.boundVersion = this.engine.catalogVersion;
    return statement;
  }

  async execute(params: readonly Value[], context: ExecuteContext): Promise<StatementResult> {
    const statement = this.current(context.session);
    switch (statement.kind) {
      case 'query':
        return this.runQuery(statement, params, context);
      case 'insert': {
        const { signal, dispose } = statementSignal(context.session, context.signal);
        try {
          const exec = withSubqueries(this.engine.execContext(params, context, signal, null), statement.subplans);
          await runSubqueries(statement.subplans, exec);
          let inserted = 0n;
          for await (const batch of run(buildOperator(statement.plan), exec)) {
            inserted += (batch.columns[0]?.values as BigInt64Array)[0] ?? 0n;
          }
          return { columns: null, rows: null, commandTag: () => `INSERT 0 ${inserted}` };
        } finally {
          dispose();
        }
      }
      case 'explain':
        return explainResult(this.engine, statement, params, context);
      case 'copyFrom': {
        const transaction = this.engine.transaction(context.session);
        const exec = this.engine.execContext(params, context, context.signal, null);
        const destination = this.engine.copyDestination(statement.table.id, transaction);
        const copy = new CopyFrom(statement, exec.settings, exec, destination, this.engine.batchRows);
        return { columns: null, rows: null, copyIn: copy, commandTag: () => `COPY ${copy.rowCount}` };
      }
      case 'copyTo':
        return this.runCopyTo(statement, params, context);
      default:
        return executeCommand(this.engine, statement, context.session);
    }
  }

  private runCopyTo(statement: Extract<BoundStatement, { kind: 'copyTo' }>, params: readonly Value[], context: ExecuteContext): StatementResult {
    const { rows, settings } = this.planRows(statement, params, context);
    let count = 0;
    const schema = statement.plan.schema;
    const chunks = copyToChunks(
      rows,
      { format: statement.format, names: schema.map((f) => f.name), types: schema.map((f) => f.type), forceQuote: statement.forceQuote, settings },
      (n) => {
        count += n;
      },
    );
    return {
      columns: null,
      rows: null,
      copyOut: { binary: statement.format.kind === 'binary', columnCount: schema.length, chunks, rowCount: () => count },
      commandTag: () => `COPY ${count}`,
    };
  }

  private async runQuery(statement: Extract<BoundStatement, { kind: 'query' }>, params: readonly Value[], context: ExecuteContext): Promise<StatementResult> {
    return { columns: this.columns, rows: this.planRows(statement, params, context).rows, commandTag: (n) => `SELECT ${n}` };
  }

  /** A plan's batches, its subqueries run first, under statement_timeout until drained or closed. */
  private planRows(statement: { readonly plan: LogicalPlan; readonly subplans: readonly BoundSubquery[] }, params: readonly Value[], context: ExecuteContext) {
    const { signal, dispose } = statementSignal(context.session, context.signal);
    const exec = withSubqueries(this.engine.execContext(params, context, signal, null), statement.subplans);
    const operator = buildOperator(statement.plan);
    const subplans = statement.subplans;
    async function* rows(): AsyncIterable<Batch> {
      try {
        await runSubqueries(subplans, exec);
        yield* run(operator, exec);
      } finally {
        dispose();
      }
    }
    return { rows: rows(), settings: exec.settings };
  }
}
