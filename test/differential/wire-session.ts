/**
 * One node-postgres connection for the differential test: simple query protocol, text format, no
 * client-side type parsing (every value is the exact text the server printed, as in the .slt
 * runner), and the RowDescription's column names and type OIDs.
 */
import pg from 'pg';

export type Outcome =
  | { readonly kind: 'rows'; readonly names: readonly string[]; readonly typeOids: readonly number[]; readonly rows: readonly (string | null)[][] }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

export interface WireConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

const rawText = (value: string) => value;
const rawTypes = { getTypeParser: () => rawText } as unknown as pg.CustomTypesConfig;

export class WireSession {
  private constructor(private readonly client: pg.Client) {}

  static async open(config: WireConfig, queryTimeoutMs: number): Promise<WireSession> {
    const client = new pg.Client({ ...config, types: rawTypes, query_timeout: queryTimeoutMs });
    await client.connect();
    return new WireSession(client);
  }

  /** Runs one statement; a server error is an outcome, a lost connection is thrown. */
  async run(sql: string): Promise<Outcome> {
    try {
      const result = await this.client.query<unknown[]>({ text: sql, rowMode: 'array' });
      return {
        kind: 'rows',
        names: result.fields.map((field) => field.name),
        typeOids: result.fields.map((field) => field.dataTypeID),
        rows: result.rows as (string | null)[][],
      };
    } catch (error) {
      if (error instanceof pg.DatabaseError && error.code !== undefined) return { kind: 'error', code: error.code, message: error.message };
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
