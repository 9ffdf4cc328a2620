/**
 * The thin file-system layer every storage file goes through (WAL, segments, manifests, catalog,
 * lock). Keeping it this narrow lets fault tests inject fsync errors or a full disk, and lets a
 * remote object store stand in for segment files later without touching readers or writers.
 */
import { constants as fsConstants, promises as fsp } from 'node:fs';

export interface FileHandle {
  /** Reads up to `length` bytes at `position` into `buffer[offset...]`; returns bytes read (0 at end). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Writes `buffer[offset, offset + length)` at `position`; returns bytes written (may be short). */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** fdatasync: the written data (and the size needed to read it back) is durable. */
  datasync(): Promise<void>;
  /** fsync: data and all metadata durable. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

/**
 * How a file is opened: `read` (must exist), `readWrite` (must exist), `create` (created or
 * truncated to empty) or `createExclusive` (fails with EEXIST when present).
 */
export type OpenMode = 'read' | 'readWrite' | 'create' | 'createExclusive';

export interface FileStat {
  readonly size: number;
  readonly isDirectory: boolean;
}

export interface FileSystem {
  open(path: string, mode: OpenMode): Promise<FileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Names of the entries of a directory (not paths), in no particular order. */
  readdir(path: string): Promise<string[]>;
  /** Creates a directory and its missing parents; no error when it exists. */
  mkdir(path: string): Promise<void>;
  /** Removes a directory tree; no error when it is missing. */
  removeDirectory(path: string): Promise<void>;
  /** null when the path does not exist. */
  stat(path: string): Promise<FileStat | null>;
  /** fsync of a directory, so created, renamed and deleted entries are durable. */
  syncDirectory(path: string): Promise<void>;
}

const openFlags: Record<OpenMode, number> = {
  read: fsConstants.O_RDONLY,
  readWrite: fsConstants.O_RDWR,
  create: fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_TRUNC,
  createExclusive: fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_EXCL,
};

class RealFileHandle implements FileHandle {
  constructor(private readonly handle: fsp.FileHandle) {}

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const { bytesRead } = await this.handle.read(buffer, offset, length, position);
    return bytesRead;
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const { bytesWritten } = await this.handle.write(buffer, offset, length, position);
    return bytesWritten;
  }

  datasync(): Promise<void> {
    return this.handle.datasync();
  }

  sync(): Promise<void> {
    return this.handle.sync();
  }

  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** The local disk through node:fs. */
export const realFileSystem: FileSystem = {
  async open(path, mode) {
    return new RealFileHandle(await fsp.open(path, openFlags[mode], 0o644));
  },
  async readFile(path) {
    return fsp.readFile(path);
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  readdir: (path) => fsp.readdir(path),
  async mkdir(path) {
    await fsp.mkdir(path, { recursive: true });
  },
  removeDirectory: (path) => fsp.rm(path, { recursive: true, force: true }),
  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { size: s.size, isDirectory: s.isDirectory() };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  },
  async syncDirectory(path) {
    const handle = await fsp.open(path, fsConstants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Writes all of `bytes` at `position`, looping over short writes. */
export async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const n = await handle.write(bytes, done, bytes.length - done, position + done);
    if (n <= 0) throw new Error(`short write: ${n} bytes written at offset ${position + done}`);
    done += n;
  }
}

/** Reads exactly `length` bytes at `position`; fewer only when the file ends first. */
export async function readFully(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = await handle.read(buffer, done, length - done, position + done);
    if (n === 0) return buffer.subarray(0, done);
    done += n;
  }
  return buffer;
}

export function isFileNotFound(error: unknown): boolean {
  return isNotFound(error);
}
