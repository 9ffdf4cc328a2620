/**
 * The write-ahead log writer with group commit.
 *
 * Records are queued with their LSN already assigned. One loop writes: while a write + fdatasync
 * is in flight, new records queue up; the next round takes every queued record in one write and
 * one fdatasync. After the sync each record is applied (to the tail) in LSN order and only then
 * its promise resolves, so an acknowledged commit is both durable and visible.
 *
 * A failed write or sync is never acknowledged: every waiting commit fails with 58030 and the
 * writer refuses all later records, because after a failed fsync the kernel may have dropped the
 * dirty pages and a retry could report success for lost data (PostgreSQL PANICs for the same
 * reason). Restarting replays the log from disk.
 */
import { ioFailure } from './durable-file.js';
import { DbError } from './errors.js';
import { type FileHandle, type FileSystem, writeFully } from './file-system.js';
import { sealWalRecord } from './wal-record.js';

/** What one WAL file holds: for each table, the highest LSN of a record that wrote to it. */
export interface WalFileInfo {
  readonly seq: number;
  readonly tableMaxLsn: Map<number, number>;
}

/** Upper bound of one group write, so a burst of huge commits does not build one giant buffer. */
const maxGroupBytes = 16 << 20;

/**
 * Zeros written ahead of the append position. fdatasync after an append that grows the file must
 * commit the new size through the file system's journal, which other writers on the disk slow
 * down; an overwrite of space already written needs only the data flush. The reader stops at an
 * all-zero header, and recovery truncates the zeros. Groups larger than `maxPreallocatedGroupBytes`
 * (bulk loads) just append: one metadata commit is little next to their data.
 */
const minPreallocateBytes = 1 << 20;
const maxPreallocateBytes = 16 << 20;
const maxPreallocatedGroupBytes = 1 << 20;
const zeros = new Uint8Array(1 << 20);

export function walFileName(seq: number): string {
  return `${String(seq).padStart(8, '0')}.wal`;
}

export function walFileSeq(name: string): number | null {
  const match = /^(\d{8,})\.wal$/.exec(name);
  return match ? Number(match[1]) : null;
}

interface Pending {
  readonly record: Uint8Array;
  readonly lsn: number;
  readonly tableIds: readonly number[];
  readonly apply: (lsn: number) => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface WalWriterState {
  /** The file to append to, its sequence number and valid length. */
  readonly seq: number;
  readonly handle: FileHandle;
  readonly position: number;
  readonly info: WalFileInfo;
  /** Older files still on disk. */
  readonly closedFiles: WalFileInfo[];
  readonly nextLsn: number;
}

export class WalWriter {
  private handle: FileHandle;
  private position: number;
  private current: WalFileInfo;
  private readonly closed: WalFileInfo[];
  private nextLsn: number;
  /** End of what the current file holds on disk: records, then preallocated zeros. */
  private allocated: number;
  private queue: Pending[] = [];
  private rotateWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private loop: Promise<void> | null = null;
  private failure: DbError | null = null;
  private closing = false;
  /** LSN of the last record applied; every record up to it is in the tails. */
  appliedLsn: number;
  /** Counters for benchmarks and tests. */
  readonly stats = { groups: 0, records: 0, bytes: 0 };

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    state: WalWriterState,
  ) {
    this.handle = state.handle;
    this.position = state.position;
    this.current = state.info;
    this.closed = state.closedFiles;
    this.nextLsn = state.nextLsn;
    this.appliedLsn = state.nextLsn - 1;
    this.allocated = state.position;
  }

  /** Opens a new, empty WAL file `seq` in `dir` (and makes its directory entry durable). */
  static async createFile(fs: FileSystem, dir: string, seq: number): Promise<FileHandle> {
    const path = `${dir}/${walFileName(seq)}`;
    try {
      const handle = await fs.open(path, 'createExclusive');
      await fs.syncDirectory(dir);
      return handle;
    } catch (error) {
      throw ioFailure('create', path, error);
    }
  }

  get failed(): DbError | null {
    return this.failure;
  }

  private refusal(): DbError {
    if (this.failure !== null) {
      return new DbError(
        '58030',
        `the write-ahead log is unavailable after an earlier I/O error, restart the database to recover: ${this.failure.message}`,
      );
    }
    return new DbError('55000', 'the database is shut down');
  }

  /**
   * Queues a record produced by `encodeWalRecord`; resolves once it is durable and `apply` has
   * run. `tableIds` are the tables it writes to (for deciding when its file may be deleted).
   */
  append(record: Uint8Array, tableIds: readonly number[], apply: (lsn: number) => void): Promise<void> {
    if (this.failure !== null || this.closing) return Promise.reject(this.refusal());
    const lsn = this.nextLsn++;
    sealWalRecord(record, lsn);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, lsn, tableIds, apply, resolve, reject });
      this.kick();
    });
  }

  /** Closes the current file and starts a new one; resolves when records go to the new file. */
  rotate(): Promise<void> {
    if (this.failure !== null || this.closing) return Promise.reject(this.refusal());
    return new Promise<void>((resolve, reject) => {
      this.rotateWaiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Files no longer appended to, oldest first. */
  closedFiles(): readonly WalFileInfo[] {
    return this.closed;
  }

  /** Deletes closed files that `canDelete` approves; a failed unlink is retried next time. */
  async deleteClosedFiles(canDelete: (info: WalFileInfo) => boolean): Promise<number> {
    let deleted = 0;
    for (const info of [...this.closed]) {
      if (!canDelete(info)) continue;
      try {
        await this.fs.unlink(`${this.dir}/${walFileName(info.seq)}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') continue;
      }
      this.closed.splice(this.closed.indexOf(info), 1);
      deleted++;
    }
    return deleted;
  }

  /** Waits for queued records, then closes the file. Later appends are refused. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.loop !== null) await this.loop;
    await this.handle.close().catch(() => undefined);
  }

  private kick(): void {
    if (this.loop !== null) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      // Work queued by the last resolved callbacks after the loop's final check.
      if (this.failure === null && (this.queue.length > 0 || this.rotateWaiters.length > 0)) this.kick();
    });
  }

  private async run(): Promise<void> {
    while (this.failure === null) {
      // Rotation first: under a steady stream of commits the queue is never empty.
      if (this.rotateWaiters.length > 0) await this.switchFile();
      else if (this.queue.length > 0) await this.writeGroup();
      else return;
    }
  }

  private takeGroup(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || bytes + this.queue[n]!.record.length <= maxGroupBytes)) {
      bytes += this.queue[n]!.record.length;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async writeGroup(): Promise<void> {
    const group = this.takeGroup();
    let buffer: Uint8Array;
    if (group.length === 1) {
      buffer = group[0]!.record;
    } else {
      let total = 0;
      for (const p of group) total += p.record.length;
      buffer = new Uint8Array(total);
      let at = 0;
      for (const p of group) {
        buffer.set(p.record, at);
        at += p.record.length;
      }
    }
    try {
      const end = this.position + buffer.length;
      if (end > this.allocated && buffer.length <= maxPreallocatedGroupBytes) {
        // Same fdatasync as the group: the file grows (one journal commit) once per preallocation,
        // which doubles the file up to 16 MiB at a time (small databases stay small).
        const ahead = Math.min(maxPreallocateBytes, Math.max(minPreallocateBytes, this.allocated));
        await this.writeZeros(Math.max(this.allocated, this.position), end + ahead);
        this.allocated = end + ahead;
      }
      await writeFully(this.handle, buffer, this.position);
      await this.handle.datasync();
    } catch (error) {
      this.fail(ioFailure('write and fsync', `${this.dir}/${walFileName(this.current.seq)}`, error), group);
      return;
    }
    this.position += buffer.length;
    this.allocated = Math.max(this.allocated, this.position);
    this.stats.groups++;
    this.stats.records += group.length;
    this.stats.bytes += buffer.length;
    for (let i = 0; i < group.length; i++) {
      const p = group[i]!;
      for (const id of p.tableIds) this.current.tableMaxLsn.set(id, p.lsn);
      try {
        p.apply(p.lsn);
      } catch (error) {
        // Durable but not applied: memory no longer matches the log. Stop; recovery replays it.
        this.fail(new DbError('XX000', `internal error: applying write-ahead log record ${p.lsn} failed: ${String(error)}`), group.slice(i));
        return;
      }
      this.appliedLsn = p.lsn;
      p.resolve();
    }
  }

  private async writeZeros(from: number, to: number): Promise<void> {
    for (let at = from; at < to; at += zeros.length) await writeFully(this.handle, zeros.subarray(0, Math.min(zeros.length, to - at)), at);
  }

  private async switchFile(): Promise<void> {
    const waiters = this.rotateWaiters;
    this.rotateWaiters = [];
    if (this.position > 0) {
      const seq = this.current.seq + 1;
      try {
        const handle = await WalWriter.createFile(this.fs, this.dir, seq);
        await this.handle.close().catch(() => undefined);
        this.closed.push(this.current);
        this.handle = handle;
        this.position = 0;
        this.allocated = 0;
        this.current = { seq, tableMaxLsn: new Map() };
      } catch (error) {
        this.fail(ioFailure('rotate', `${this.dir}/${walFileName(seq)}`, error), []);
        for (const w of waiters) w.reject(this.refusal());
        return;
      }
    }
    for (const w of waiters) w.resolve();
  }

  private fail(error: DbError, group: Pending[]): void {
    this.failure = error;
    const queued = this.queue;
    this.queue = [];
    for (const p of group) p.reject(error);
    for (const p of queued) p.reject(this.refusal());
    for (const w of this.rotateWaiters) w.reject(this.refusal());
    this.rotateWaiters = [];
  }
}
