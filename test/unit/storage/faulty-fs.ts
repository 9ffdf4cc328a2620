/** A FileSystem over the real disk that fails chosen operations, for fault tests. */
import { type FileHandle, type FileSystem, type OpenMode, realFileSystem } from '../../../storage/file-system.js';

export type FaultOperation = 'write' | 'datasync' | 'sync' | 'rename' | 'open';

/** Returns the error to throw for (operation, path), or null to let it through. */
export type FaultRule = (operation: FaultOperation, path: string) => NodeJS.ErrnoException | null;

export function errno(code: string, message: string): NodeJS.ErrnoException {
  const error = new Error(`${code}: ${message}`) as NodeJS.ErrnoException;
  error.code = code;
  return error;
}

export class FaultyFileSystem implements FileSystem {
  rule: FaultRule | null = null;
  readonly calls: { operation: FaultOperation; path: string }[] = [];

  constructor(private readonly inner: FileSystem = realFileSystem) {}

  check(operation: FaultOperation, path: string): void {
    this.calls.push({ operation, path });
    const error = this.rule?.(operation, path) ?? null;
    if (error !== null) throw error;
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    this.check('open', path);
    const handle = await this.inner.open(path, mode);
    const fs = this;
    return {
      read: (b, o, l, p) => handle.read(b, o, l, p),
      async write(b, o, l, p) {
        fs.check('write', path);
        return handle.write(b, o, l, p);
      },
      async datasync() {
        fs.check('datasync', path);
        return handle.datasync();
      },
      async sync() {
        fs.check('sync', path);
        return handle.sync();
      },
      truncate: (n) => handle.truncate(n),
      size: () => handle.size(),
      close: () => handle.close(),
    };
  }

  readFile(path: string) {
    return this.inner.readFile(path);
  }
  async rename(from: string, to: string) {
    this.check('rename', to);
    return this.inner.rename(from, to);
  }
  unlink(path: string) {
    return this.inner.unlink(path);
  }
  readdir(path: string) {
    return this.inner.readdir(path);
  }
  mkdir(path: string) {
    return this.inner.mkdir(path);
  }
  removeDirectory(path: string) {
    return this.inner.removeDirectory(path);
  }
  stat(path: string) {
    return this.inner.stat(path);
  }
  syncDirectory(path: string) {
    return this.inner.syncDirectory(path);
  }
}

/**
 * The real disk without fsync, for tests of anything but durability (zone maps, scans), where
 * hundreds of small checkpoints would otherwise spend their time waiting for the disk.
 */
export function unsyncedFileSystem(): FaultyFileSystem {
  const fs = new FaultyFileSystem();
  fs.syncDirectory = async () => undefined;
  const open = fs.open.bind(fs);
  fs.open = async (path, mode) => {
    const handle = await open(path, mode);
    return { ...handle, datasync: async () => undefined, sync: async () => undefined };
  };
  return fs;
}
