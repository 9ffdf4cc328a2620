/**
 * Transaction blocks. Rows inserted inside BEGIN ... COMMIT are held by the session and committed
 * to storage in one atomic, durable call at COMMIT (ROLLBACK drops them); the session's own queries
 * see them on top of the committed snapshot. Settings changed in the block revert on ROLLBACK, and
 * SET LOCAL ones at the end of the block. DDL takes effect at once and is not rolled back.
 */
import type { TableSnapshot, ScanOptions } from '../../storage/snapshot.js';
import type { Batch } from '../../storage/vector.js';
import type { SessionContext } from '../engine.js';
import { findSetting, settingValue } from './settings.js';

export class TransactionState {
  readonly writes: { tableId: number; batch: Batch }[] = [];
  /** Settings as they were at BEGIN, restored by ROLLBACK. */
  readonly settingsAtBegin: Map<string, string>;
  /** Values to restore at the end of the block for SET LOCAL. */
  readonly localRestore = new Map<string, string | undefined>();

  /** True for the implicit transaction of a multi-statement query, until a BEGIN makes it a block. */
  implicit: boolean;

  constructor(settings: ReadonlyMap<string, string>, implicit = false) {
    this.settingsAtBegin = new Map(settings);
    this.implicit = implicit;
  }

  pendingFor(tableId: number): Batch[] {
    return this.writes.filter((w) => w.tableId === tableId).map((w) => w.batch);
  }
}

/** A snapshot that also yields the transaction's own uncommitted rows. */
export function withPendingRows(snapshot: TableSnapshot, pending: readonly Batch[]): TableSnapshot {
  if (pending.length === 0) return snapshot;
  const rows = pending.reduce((n, b) => n + b.length, 0);
  return {
    table: snapshot.table,
    rowCount: snapshot.rowCount + rows,
    partitionCount: snapshot.partitionCount,
    async *scan(options: ScanOptions): AsyncIterable<Batch> {
      yield* snapshot.scan(options);
      if (options.partitions !== undefined && !options.partitions.includes(0)) return;
      for (const batch of pending) {
        yield { length: batch.length, columns: options.columns.map((c) => batch.columns[c]!), selection: null };
      }
    },
  };
}

/**
 * Puts the session's settings back to `target` (ROLLBACK, the end of SET LOCAL); returns the
 * ParameterStatus messages for reported settings whose value changed.
 */
export function restoreSettings(session: SessionContext, target: ReadonlyMap<string, string | undefined>, keys: Iterable<string> = new Set([...target.keys(), ...session.settings.keys()])): [string, string][] {
  const statuses: [string, string][] = [];
  for (const key of keys) {
    const before = settingValue(session.settings, key);
    const value = target.get(key);
    if (value === undefined) session.settings.delete(key);
    else session.settings.set(key, value);
    const after = settingValue(session.settings, key);
    const setting = findSetting(key);
    if (before !== after && setting.reported) statuses.push([setting.name, after]);
  }
  return statuses;
}
