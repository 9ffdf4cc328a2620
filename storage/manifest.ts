/**
 * tables/<id>/manifest.json: the segment files of each partition of a table and `flushedLsn`,
 * the LSN up to which every WAL record of this table is inside those segments. Publishing a new
 * manifest (write temp, fsync, rename, fsync dir) is what makes a flush count; segment files it
 * does not name are leftovers of an interrupted flush and are deleted at startup.
 */
import { manifestPath } from './data-layout.js';
import { decodeChecksummedJson, encodeChecksummedJson, ioFailure, writeFileDurably } from './durable-file.js';
import { dataCorrupted } from './errors.js';
import type { FileSystem } from './file-system.js';

export interface ManifestSegment {
  readonly file: string;
  readonly rows: number;
}

export interface Manifest {
  readonly format: 1;
  readonly tableId: number;
  readonly flushedLsn: number;
  readonly nextSegmentId: number;
  readonly partitions: readonly { readonly segments: readonly ManifestSegment[] }[];
}

export function emptyManifest(tableId: number, partitionCount: number): Manifest {
  return {
    format: 1,
    tableId,
    flushedLsn: 0,
    nextSegmentId: 1,
    partitions: Array.from({ length: partitionCount }, () => ({ segments: [] })),
  };
}

export async function readManifest(fs: FileSystem, dataDir: string, tableId: number, partitionCount: number): Promise<Manifest> {
  const path = manifestPath(dataDir, tableId);
  if ((await fs.stat(path)) === null) return emptyManifest(tableId, partitionCount);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw ioFailure('read', path, error);
  }
  const manifest = decodeChecksummedJson(bytes, path) as Manifest;
  if (manifest.format !== 1 || manifest.tableId !== tableId || manifest.partitions.length !== partitionCount) {
    throw dataCorrupted(`manifest "${path}" does not describe table ${tableId} with ${partitionCount} partitions`);
  }
  return manifest;
}

export async function writeManifest(fs: FileSystem, dataDir: string, manifest: Manifest): Promise<void> {
  await writeFileDurably(fs, manifestPath(dataDir, manifest.tableId), encodeChecksummedJson(manifest));
}
