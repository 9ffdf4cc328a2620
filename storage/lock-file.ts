/**
 * The data directory lock: a file holding the owner's process id, like PostgreSQL's
 * postmaster.pid. A second live process (or a second open in this process) is refused; a lock
 * left by a killed process is taken over.
 */
import { resolve } from 'node:path';
import { DbError } from './errors.js';
import { ioFailure } from './durable-file.js';
import type { FileSystem } from './file-system.js';
import { writeFully } from './file-system.js';

export const lockFileName = 'eventide.lock';

/** Data directories opened by this process; a pid check cannot tell two opens apart. */
const openedHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dataDir: string, pid: number): DbError {
  return new DbError('55006', `database directory "${dataDir}" is in use by process ${pid}`, {
    hint: 'Is another Eventide server running on this data directory?',
  });
}

export class LockFile {
  private constructor(
    private readonly fs: FileSystem,
    private readonly key: string,
    private readonly path: string,
  ) {}

  static async acquire(fs: FileSystem, dataDir: string): Promise<LockFile> {
    const key = resolve(dataDir);
    if (openedHere.has(key)) throw inUse(dataDir, process.pid);
    openedHere.add(key);
    const path = `${dataDir}/${lockFileName}`;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const handle = await fs.open(path, 'createExclusive');
          try {
            await writeFully(handle, Buffer.from(`${process.pid}\n`), 0);
            await handle.sync();
          } finally {
            await handle.close();
          }
          return new LockFile(fs, key, path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
        }
        const owner = Number.parseInt(Buffer.from(await fs.readFile(path)).toString('utf8'), 10);
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
          throw inUse(dataDir, owner);
        }
        await fs.unlink(path); // stale: its owner is gone
      }
    } catch (error) {
      openedHere.delete(key);
      throw ioFailure('lock', path, error);
    }
  }

  async release(): Promise<void> {
    try {
      await this.fs.unlink(this.path);
    } finally {
      openedHere.delete(this.key);
    }
  }
}
