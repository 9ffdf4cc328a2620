/**
 * The crash test's clients: writers that insert numbered batches over node `pg` in several shapes
 * (multi-row VALUES, single rows, named and unnamed prepared statements) into a hash-partitioned
 * table and a plain one, recording each batch in the ledger before it is sent and again when it
 * is acknowledged; a checkpointer that issues CHECKPOINT at random moments; and the query that
 * reads back what a restarted server holds.
 */
import pg from 'pg';
import { payloadDigest, type CrashLedger, type ObservedBatch } from './crash-ledger.js';
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
      const statement = statementFor(table, shape, state.writer, batch, payloads);
      ledger.sent({
        table,
        writer: state.writer,
        batch,
        rows: shape.rows,
        payloadDigest: payloadDigest(payloads),
        kind: shape.kind,
        round: control.round,
      });
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

/**
 * What the server holds, per (writer, batch), read back row by row and checked here rather than
 * in SQL, so the check needs nothing of the server but a plain scan: every sequence number once,
 * row keys that match their tags, the payloads' digest; and count(*) agreeing with the rows.
 */
export async function observeBatches(settings: ClientSettings, tables: readonly string[]): Promise<{ observed: ObservedBatch[]; problems: string[] }> {
  const client = await connect(settings);
  const observed: ObservedBatch[] = [];
  const problems: string[] = [];
  try {
    for (const table of tables) {
      const result = await client.query<[string, number, number, number, string]>({
        text: `SELECT row_key, writer, batch, seq, payload FROM ${table}`,
        rowMode: 'array',
      });
      const batches = new Map<string, { writer: number; batch: number; payloads: Map<number, string>; rows: number }>();
      for (const [key, writer, batch, seq, payload] of result.rows) {
        if (key !== String(rowKey(writer, batch, seq))) problems.push(`${table}: row_key ${key} does not match its tags ${writer}/${batch}/${seq}`);
        const id = `${writer}/${batch}`;
        let group = batches.get(id);
        if (group === undefined) {
          group = { writer, batch, payloads: new Map(), rows: 0 };
          batches.set(id, group);
        }
        group.rows++;
        group.payloads.set(seq, payload);
      }
      for (const group of batches.values()) {
        const seqs = [...group.payloads.keys()].sort((a, b) => a - b);
        observed.push({
          table,
          writer: group.writer,
          batch: group.batch,
          rows: group.rows,
          distinctSeq: seqs.length,
          minSeq: seqs[0] ?? -1,
          maxSeq: seqs.at(-1) ?? -1,
          payloadDigest: payloadDigest(seqs.map((seq) => group.payloads.get(seq) ?? '')),
        });
      }
      const counted = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
      if (counted !== result.rows.length) problems.push(`${table}: count(*) is ${counted} but a scan returns ${result.rows.length} rows`);
    }
    return { observed, problems };
  } finally {
    await client.end().catch(() => undefined);
  }
}
