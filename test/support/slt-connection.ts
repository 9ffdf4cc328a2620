/**
 * One node-postgres connection as the .slt runner and the recording script use it: the simple
 * query protocol, text format, and no client-side type parsing, so every value arrives as the
 * exact text the server printed. It tracks the transaction status of ReadyForQuery, so the
 * configuration matrix never checkpoints or restarts in the middle of a transaction block.
 */
import pg from 'pg';

export interface ConnectionConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

export interface QueryOutcome {
  /** Column type OIDs of the last result that described rows, or null when none did. */
  readonly typeOids: number[] | null;
  readonly rows: (string | null)[][];
}

/** An error the server reported with a SQLSTATE; anything else (a lost connection, a timeout) is thrown as is. */
export class ServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

/** What the runner needs of a connection (SltConnection, or a scripted fake in the runner's own tests). */
export interface SqlSession {
  /** Runs SQL; throws ServerError for an error the server reported, anything else when the connection failed. */
  query(sql: string): Promise<QueryOutcome>;
  /** Whether the last ReadyForQuery said a transaction block is open. */
  readonly inTransaction: boolean;
  close(): Promise<void>;
}

const rawText = (value: string) => value;
const rawTypes = { getTypeParser: () => rawText } as unknown as pg.CustomTypesConfig;

export class SltConnection implements SqlSession {
  private transactionStatus = 'I';
  private broken: Error | null = null;

  private constructor(private readonly client: pg.Client) {
    // ReadyForQuery's status byte: I idle, T in a transaction block, E in a failed one.
    const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
    connection.on('readyForQuery', (message: { status: string }) => {
      this.transactionStatus = message.status;
    });
    client.on('error', (error) => {
      this.broken = error;
    });
  }

  static async open(config: ConnectionConfig, queryTimeoutMs: number): Promise<SltConnection> {
    const client = withoutClientEnvironment(() => new pg.Client({ ...config, types: rawTypes, query_timeout: queryTimeoutMs }));
    await client.connect();
    return new SltConnection(client);
  }

  get inTransaction(): boolean {
    return this.transactionStatus !== 'I';
  }

  async query(sql: string): Promise<QueryOutcome> {
    if (this.broken !== null) throw this.broken;
    let result: pg.QueryResult<unknown[]> | pg.QueryResult<unknown[]>[];
    try {
      result = await this.client.query<unknown[]>({ text: sql, rowMode: 'array' });
    } catch (error) {
      if (error instanceof pg.DatabaseError && error.code !== undefined) throw new ServerError(error.code, error.message);
      throw error;
    }
    // Several statements in one simple query yield one result each; the last one with rows counts.
    const results = Array.isArray(result) ? result : [result];
    for (let i = results.length - 1; i >= 0; i--) {
      const each = results[i];
      if (each !== undefined && each.fields.length > 0) {
        return { typeOids: each.fields.map((field: pg.FieldDef) => field.dataTypeID), rows: each.rows as (string | null)[][] };
      }
    }
    return { typeOids: null, rows: [] };
  }

  async close(): Promise<void> {
    try {
      await this.client.end();
    } catch {
      // The server may already be gone (kill); there is nothing left to close.
    }
  }
}

/**
 * node-postgres falls back to these variables for settings left empty (an application_name, binary
 * results, startup options); the recorded results assume a client with none of them.
 */
const clientEnvironment = ['PGAPPNAME', 'PGOPTIONS', 'PGBINARY', 'PGCLIENT_ENCODING', 'PGREPLICATION', 'PGSSLMODE'];

function withoutClientEnvironment<T>(make: () => T): T {
  const saved = clientEnvironment.map((name) => [name, process.env[name]] as const);
  for (const name of clientEnvironment) delete process.env[name];
  try {
    return make();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}
