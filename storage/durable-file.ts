/**
 * Crash-safe whole-file writes (temp -> fsync -> rename -> fsync directory) and the checksummed
 * JSON envelope used by catalog.json and manifest.json. After a crash a reader finds either the
 * old file or the new one, never a mix; a checksum mismatch means the disk lied.
 */
import { crc32 } from 'node:zlib';
import { dirname } from 'node:path';
import { DbError, dataCorrupted } from './errors.js';
import { type FileSystem, writeFully } from './file-system.js';

/** Suffix of files being written; leftovers are removed at startup. */
export const tempSuffix = '.tmp';

/** Maps a failed system call to PostgreSQL's SQLSTATE: disk_full (53100) or io_error (58030). */
export function ioFailure(action: string, path: string, error: unknown): DbError {
  if (error instanceof DbError) return error;
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  if (errno === 'ENOSPC') return new DbError('53100', `could not ${action} file "${path}": no space left on device`);
  return new DbError('58030', `could not ${action} file "${path}": ${reason}`);
}

export async function writeFileDurably(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const temp = path + tempSuffix;
  try {
    const handle = await fs.open(temp, 'create');
    try {
      await writeFully(handle, bytes, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
    await fs.syncDirectory(dirname(path));
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw ioFailure('write', path, error);
  }
}

interface Envelope {
  readonly crc32: number;
  readonly content: unknown;
}

/** Pure JSON on disk: `{"crc32": n, "content": ...}`, the checksum taken over the content's JSON. */
export function encodeChecksummedJson(content: unknown): Uint8Array {
  const body = JSON.stringify(content);
  const text = `{"crc32":${crc32(body)},"content":${body}}\n`;
  return Buffer.from(text, 'utf8');
}

export function decodeChecksummedJson(bytes: Uint8Array, path: string): unknown {
  let envelope: Envelope;
  try {
    envelope = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')) as Envelope;
  } catch {
    throw dataCorrupted(`could not parse file "${path}": not valid JSON`);
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.crc32 !== 'number') {
    throw dataCorrupted(`file "${path}" has no checksum`);
  }
  // JSON.stringify(JSON.parse(x)) reproduces x for anything JSON.stringify wrote.
  if (crc32(JSON.stringify(envelope.content)) !== envelope.crc32) {
    throw dataCorrupted(`checksum mismatch in file "${path}"`);
  }
  return envelope.content;
}
