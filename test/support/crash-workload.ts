/**
 * The crash test's clients: writers that insert numbered batches over node `pg` in several shapes
 * (multi-row VALUES, single rows, named and unnamed prepared statements) into a hash-partitioned
 * table and a plain one, recording each batch in the ledger before it is sent and again when it
 * is acknowledged; a checkpointer that issues CHECKPOINT at random moments; and the query that
 * reads back what a restarted server holds.
 */
import pg from 'pg';
import type { CrashLedger, ObservedBatch } from './crash-ledger.js';
import type { Random } from './crash-random.js';

export const hashTable = 'crash_hash';
export const plainTable = 'crash_plain';
export const crashTables: readonly string[] = [hashTable, plainTable];

const columns = 'row_key bigint, writer int, batch int, seq int, payload text, at timestamptz';

/** The partition key is per row, so one batch spreads over every partition. */
export const crashDdl: readonly string[] = [
  `CREATE TABLE ${hashTable} (${columns}) PARTITION BY HASH (row_key) WITH (partitions = 4)`,
  `CREATE TABLE ${plainTable} (${columns})`,
];

export interface ClientSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

/** Writer state that outlives a server: batch numbers go on across restarts. */
export interface WriterState {
  readonly writer: number;
  nextBatch: number;
}

export interface RoundControl {
  readonly round: number;
  /** Set when the server has been killed: stop sending. */
  stopped: boolean;
  /** Errors that are not the connection going away (those are expected at the kill). */
  readonly unexpected: string[];
  /** Called whenever a CHECKPOINT goes out. */
  onCheckpoint?: () => void;
}

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';

function payloadOf(random: Random): string {
  const length = random.chance(0.03) ? random.int(2_000, 8_000) : random.int(0, 120);
  let text = '';
  for (let i = 0; i < length; i++) text += letters[random.int(0, letters.length - 1)];
  return text;
}

export function rowKey(writer: number, batch: number, seq: number): number {
  return writer * 1_000_000_000 + batch * 1_000 + seq;
}

/** A connection-level failure (socket closed or reset), as opposed to an ErrorResponse. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('57P') || code === '08006';
  return true;
}

async function connect(settings: ClientSettings): Promise<pg.Client> {
  const client = new pg.Client(settings);
  // After the kill the socket errors; that is the point, not a failure of the test process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

interface Shape {
  readonly kind: string;
  readonly rows: number;
}

function chooseShape(random: Random): Shape {
  const roll = random.next();
  if (roll < 0.45) return { kind: 'multi-row', rows: random.chance(0.05) ? random.int(200, 600) : random.int(2, 60) };
  if (roll < 0.65) return { kind: 'single-row', rows: 1 };
  if (roll < 0.8) return { kind: 'prepared single-row', rows: 1 };
  return { kind: 'prepared multi-row', rows: random.int(2, 30) };
}

function statementFor(table: string, shape: Shape, writer: number, batch: number, payloads: readonly string[]): pg.QueryConfig {
  const at = new Date(Date.UTC(2024, 0, 1) + batch * 1_000);
  const head = `INSERT INTO ${table} (row_key, writer, batch, seq, payload, at) VALUES `;
  if (shape.kind === 'multi-row' || shape.kind === 'single-row') {
    const tuples = payloads.map(
      (payload, seq) => `(${rowKey(writer, batch, seq)}, ${writer}, ${batch}, ${seq}, '${payload}', '${at.toISOString()}')`,
    );
    return { text: head + tuples.join(', ') };
  }
  const values: unknown[] = [];
  const tuples = payloads.map((payload, seq) => {
    const base = values.length;
    values.push(rowKey(writer, batch, seq), writer, batch, seq, payload, at);
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6})`;
  });
  const config: pg.QueryConfig = { text: head + tuples.join(', '), values };
  // One named statement per table and row count, reused across batches of that shape.
  if (shape.kind === 'prepared single-row') config.name = `crash_insert_${table}_1`;
  return config;
}

/** Inserts batches until the round is stopped or the connection goes away. Returns batches acked. */
export async function runWriter(
  settings: ClientSettings,
  state: WriterState,
  ledger: CrashLedger,
  control: RoundControl,
  random: Random,
): Promise<number> {
  let client: pg.Client;
  try {
    client = await connect(settings);
  } catch (error) {
    if (!control.stopped) control.unexpected.push(`writer ${state.writer} could not connect: ${String(error)}`);
    return 0;
  }
  let acked = 0;
  try {
    while (!control.stopped) {
      const table = random.chance(0.7) ? hashTable : plainTable;
      const shape = chooseShape(random);
      const batch = state.nextBatch++;
      const payloads = Array.from({ length: shape.rows }, () => payloadOf(random));
      const payloadChars = payloads.reduce((sum, p) => sum + p.length, 0);
      const statement = statementFor(table, shape, state.writer, batch, payloads);
      ledger.sent({ table, writer: state.writer, batch, rows: shape.rows, payloadChars, kind: shape.kind, round: control.round });
      let result: pg.QueryResult;
      try {
        result = await client.query(statement);
      } catch (error) {
        if (!isConnectionLoss(error)) {
          control.unexpected.push(`writer ${state.writer} batch ${batch} (${shape.kind}): ${(error as Error).message}`);
        }
        return acked;
      }
      if (result.command !== 'INSERT' || result.rowCount !== shape.rows) {
        control.unexpected.push(
          `writer ${state.writer} batch ${batch}: acknowledged ${result.command} ${result.rowCount}, sent ${shape.rows} rows`,
        );
        return acked;
      }
      ledger.acked(table, state.writer, batch);
      acked++;
    }
    return acked;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Issues CHECKPOINT at random moments until the round is stopped. Returns how many completed. */
export async function runCheckpointer(settings: ClientSettings, control: RoundControl, random: Random): Promise<number> {
  let client: pg.Client;
  try {
    client = await connect(settings);
  } catch (error) {
    if (!control.stopped) control.unexpected.push(`checkpointer could not connect: ${String(error)}`);
    return 0;
  }
  let completed = 0;
  try {
    while (!control.stopped) {
      await new Promise((resolveWait) => setTimeout(resolveWait, random.int(5, 120)));
      if (control.stopped) break;
      control.onCheckpoint?.();
      try {
        await client.query('CHECKPOINT');
        completed++;
      } catch (error) {
        if (!isConnectionLoss(error)) control.unexpected.push(`CHECKPOINT failed: ${(error as Error).message}`);
        return completed;
      }
    }
    return completed;
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface BatchRow {
  writer: number;
  batch: number;
  n: number;
  d: number;
  lo: number;
  hi: number;
  bad_keys: number;
  chars: number;
}

/**
 * What the server holds, per (writer, batch), with the two checks a row count alone would miss:
 * distinct sequence numbers (no duplicated or torn rows) and row keys that match their tags.
 */
export async function observeBatches(settings: ClientSettings, tables: readonly string[]): Promise<{ observed: ObservedBatch[]; problems: string[] }> {
  const client = await connect(settings);
  const observed: ObservedBatch[] = [];
  const problems: string[] = [];
  try {
    for (const table of tables) {
      const result = await client.query<BatchRow>(
        `SELECT writer, batch, count(*)::int AS n, count(DISTINCT seq)::int AS d, min(seq) AS lo, max(seq) AS hi, ` +
          `sum(CASE WHEN row_key = writer::bigint * 1000000000 + batch * 1000 + seq THEN 0 ELSE 1 END)::int AS bad_keys, ` +
          `sum(length(payload))::int AS chars ` +
          `FROM ${table} GROUP BY writer, batch`,
      );
      let total = 0;
      for (const row of result.rows) {
        total += row.n;
        if (row.bad_keys !== 0) problems.push(`${table}/${row.writer}/${row.batch}: ${row.bad_keys} rows whose row_key does not match their tags`);
        observed.push({ table, writer: row.writer, batch: row.batch, rows: row.n, distinctSeq: row.d, minSeq: row.lo, maxSeq: row.hi, payloadChars: row.chars });
      }
      const counted = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
      if (counted !== total) problems.push(`${table}: count(*) is ${counted} but the groups hold ${total} rows`);
    }
    return { observed, problems };
  } finally {
    await client.end().catch(() => undefined);
  }
}
