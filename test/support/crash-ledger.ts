/**
 * What the crash test's clients sent and what the server acknowledged, batch by batch, and the
 * check of what a restarted server holds against it:
 *   - an acknowledged batch is there in full (exactly its rows, each sequence number once);
 *   - a batch sent but not acknowledged is there in full or not at all, never in part;
 *   - once seen absent after a restart, a batch never appears later; once seen, never vanishes;
 *   - nothing is there that was never sent.
 */
import { createHash } from 'node:crypto';

/** A digest of a batch's payloads, given in sequence order. */
export function payloadDigest(payloads: readonly string[]): string {
  const hash = createHash('sha1');
  for (const payload of payloads) hash.update(payload).update('\u0000');
  return hash.digest('hex');
}

export type BatchState = 'sent' | 'acked' | 'absent';

export interface BatchEntry {
  readonly table: string;
  readonly writer: number;
  readonly batch: number;
  readonly rows: number;
  /** Digest of the payloads in sequence order (`payloadDigest`), to catch torn or mixed-up values. */
  readonly payloadDigest: string;
  /** How it was sent (multi-row, single-row, prepared ...), for messages. */
  readonly kind: string;
  readonly round: number;
  state: BatchState;
}

/** What a restarted server holds for one (table, writer, batch). */
export interface ObservedBatch {
  readonly table: string;
  readonly writer: number;
  readonly batch: number;
  readonly rows: number;
  readonly distinctSeq: number;
  readonly minSeq: number;
  readonly maxSeq: number;
  readonly payloadDigest: string;
}

export class CrashLedger {
  private readonly entries = new Map<string, BatchEntry>();

  private static key(table: string, writer: number, batch: number): string {
    return `${table}/${writer}/${batch}`;
  }

  /** Called just before the INSERT goes out. */
  sent(entry: Omit<BatchEntry, 'state'>): void {
    const key = CrashLedger.key(entry.table, entry.writer, entry.batch);
    if (this.entries.has(key)) throw new Error(`batch ${key} sent twice`);
    this.entries.set(key, { ...entry, state: 'sent' });
  }

  /** Called when the INSERT's CommandComplete reported all rows and ReadyForQuery followed. */
  acked(table: string, writer: number, batch: number): void {
    const entry = this.entries.get(CrashLedger.key(table, writer, batch));
    if (entry === undefined) throw new Error(`ack for unknown batch ${table}/${writer}/${batch}`);
    entry.state = 'acked';
  }

  counts(): Record<BatchState, number> {
    const counts = { sent: 0, acked: 0, absent: 0 };
    for (const entry of this.entries.values()) counts[entry.state]++;
    return counts;
  }

  /** Acknowledged rows of one table: what a count(*) must at least return. */
  ackedRows(table: string): number {
    let rows = 0;
    for (const entry of this.entries.values()) if (entry.table === table && entry.state === 'acked') rows += entry.rows;
    return rows;
  }

  /**
   * Checks what the restarted server holds in `tables` and returns every violation as a message.
   * Afterwards each unacknowledged batch is settled as present (then it must stay) or absent.
   */
  verify(tables: readonly string[], observed: readonly ObservedBatch[]): string[] {
    const violations: string[] = [];
    const seen = new Set<string>();
    for (const got of observed) {
      const key = CrashLedger.key(got.table, got.writer, got.batch);
      seen.add(key);
      const entry = this.entries.get(key);
      if (entry === undefined) {
        violations.push(`${key}: ${got.rows} rows of a batch that was never sent`);
        continue;
      }
      const what = `${key} (${entry.kind}, ${entry.rows} rows, round ${entry.round}, ${entry.state})`;
      if (got.rows !== entry.rows || got.distinctSeq !== entry.rows || got.minSeq !== 0 || got.maxSeq !== entry.rows - 1) {
        violations.push(
          `${what}: partially present: ${got.rows} rows, ${got.distinctSeq} distinct seq in [${got.minSeq}, ${got.maxSeq}]`,
        );
      }
      if (got.rows === entry.rows && got.payloadDigest !== entry.payloadDigest) {
        violations.push(`${what}: payloads differ from those sent`);
      }
      if (entry.state === 'absent') violations.push(`${what}: reappeared after it was absent at an earlier restart`);
    }
    for (const [key, entry] of this.entries) {
      if (!tables.includes(entry.table) || seen.has(key)) continue;
      if (entry.state === 'acked') violations.push(`${key} (${entry.kind}, ${entry.rows} rows, round ${entry.round}): acknowledged but lost`);
    }
    for (const [key, entry] of this.entries) {
      if (entry.state === 'sent' && tables.includes(entry.table)) entry.state = seen.has(key) ? 'acked' : 'absent';
    }
    return violations;
  }
}
