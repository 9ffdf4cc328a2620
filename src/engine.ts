/**
 * The contract between the wire protocol (src/server) and the SQL engine (src/sql + planner).
 * The server knows messages and formats; the engine knows statements. Neither reaches around it.
 */
import type { DataType, Value } from '../storage/types.js';
import type { Batch } from '../storage/vector.js';

export interface ResultColumn {
  readonly name: string;
  readonly type: DataType;
  /** pg_class OID of the source table and attribute number, or 0 when not a plain column. */
  readonly tableOid: number;
  readonly columnNumber: number;
}

/** Per-connection state the engine reads and changes (SET, transactions). */
export interface SessionContext {
  readonly processId: number;
  readonly user: string;
  readonly database: string;
  /** Settings by lower-case name (timezone, datestyle, application_name, ...). */
  readonly settings: Map<string, string>;
  /** 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block. */
  transactionStatus: 'I' | 'T' | 'E';
}

export interface ExecuteContext {
  readonly session: SessionContext;
  /** Aborted by CancelRequest or when the client goes away. */
  readonly signal: AbortSignal;
}

export interface StatementResult {
  /** Row description, or null for a statement that returns no rows (INSERT, CREATE, SET ...). */
  readonly columns: readonly ResultColumn[] | null;
  /** The rows, batch by batch; pulled by the server at the pace of the socket. */
  readonly rows: AsyncIterable<Batch> | null;
  /** The CommandComplete tag, computed once the rows are drained (e.g. `SELECT 5`, `INSERT 0 3`). */
  commandTag(rowsSent: number): string;
  /** COPY FROM STDIN: the server answers CopyInResponse and streams the client's CopyData here. */
  readonly copyIn?: CopyInTarget;
  /** COPY TO STDOUT: the server answers CopyOutResponse and sends these as CopyData. */
  readonly copyOut?: CopyOutSource;
  /** ParameterStatus messages to send after the statement (e.g. after SET TimeZone). */
  readonly parameterStatus?: ReadonlyArray<readonly [string, string]>;
  /** NoticeResponse messages (e.g. "table does not exist, skipping"). */
  readonly notices?: ReadonlyArray<{
    readonly code: string;
    readonly message: string;
    /** NOTICE unless said otherwise; PostgreSQL sends transaction-state complaints as WARNING. */
    readonly severity?: 'NOTICE' | 'WARNING';
    readonly detail?: string;
    readonly hint?: string;
  }>;
}

/** The receiving end of COPY FROM STDIN. Rows are stored all together or not at all. */
export interface CopyInTarget {
  readonly binary: boolean;
  readonly columnCount: number;
  /** One CopyData message's bytes (records may span messages). Throws on bad input: the COPY is then over. */
  write(chunk: Uint8Array): Promise<void>;
  /** CopyDone: the rows are stored (durable and visible, or in the transaction block); returns how many. */
  finish(): Promise<number>;
  /** CopyFail, an error, or the client gone: nothing of this COPY is ever stored. */
  abort(): Promise<void>;
}

/** The sending end of COPY TO STDOUT. */
export interface CopyOutSource {
  readonly binary: boolean;
  readonly columnCount: number;
  /** CopyData payloads holding whole rows; `rowCount` is final once they are drained. */
  readonly chunks: AsyncIterable<Uint8Array>;
  readonly rowCount: () => number;
}

/** A parsed and bound statement; reusable across executions (prepared statements). */
export interface PreparedStatement {
  readonly sql: string;
  /** Resolved parameter types ($1..$n); unknown-typed parameters are inferred from context. */
  readonly paramTypes: readonly DataType[];
  /** Result columns for Describe, or null when the statement returns no rows. */
  readonly columns: readonly ResultColumn[] | null;
  /** True for statements allowed in a failed transaction block (ROLLBACK, COMMIT). */
  readonly endsTransaction: boolean;
  execute(params: readonly Value[], context: ExecuteContext): Promise<StatementResult>;
}

/** One statement after parsing, before binding; opaque to the server. */
export interface ParsedStatement {
  /** The statement's own text. */
  readonly sql: string;
}

export interface Engine {
  /**
   * Splits and parses `sql` (syntax only; throws 42601 with the error position). The simple query
   * protocol may carry several statements, each bound only when its turn comes, so
   * `CREATE TABLE t (...); INSERT INTO t ...` works in one message. An empty string yields [].
   */
  parse(sql: string): ParsedStatement[];
  /**
   * Binds a parsed statement. `paramTypeOids` are the types a client gave in Parse (0 = infer from
   * context). Throws DbError (42P01, 42703, 42804 ...) on a semantic error.
   */
  bind(statement: ParsedStatement, paramTypeOids: readonly number[], session: SessionContext): PreparedStatement;
  /**
   * Several statements in one simple Query run as one implicit transaction: the server calls this
   * before the first when no transaction block is open...
   */
  beginImplicitTransaction(session: SessionContext): void;
  /** ...and this after the last: `success` commits what the statements wrote, false drops it. */
  endImplicitTransaction(session: SessionContext, success: boolean): Promise<void>;
  /** Settings sent as ParameterStatus at startup, in order. */
  startupParameters(session: SessionContext): ReadonlyArray<readonly [string, string]>;
  close(): Promise<void>;
}
