/**
 * Writes a segment file from columns already in sort order: block by block, yielding to the
 * event loop between column blocks so commits and scans keep flowing during a flush. The file appears
 * under its final name only when complete and durable (temp -> fsync -> rename -> fsync dir).
 */
import { dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { compressSync } from 'lz4-napi';
import { encodeBlock } from './block-codec.js';
import { ioFailure, tempSuffix } from './durable-file.js';
import { type FileSystem, writeFully } from './file-system.js';
import { segmentFormatVersion, segmentMagic, type SegmentFooter, type StoredBlock, type StoredColumnBlock } from './segment-format.js';
import { orderKind } from './sort-order.js';
import type { ColumnDef } from './table-def.js';
import { type Vector, sliceVector, takeRows } from './vector.js';
import { computeZone, storeZone, zoneOfDistinct } from './zone-map.js';

/** LZ4 is kept only when it saves at least this fraction of the encoded bytes. */
const minLz4Saving = 0.1;

function compressIfSmaller(bytes: Uint8Array): { stored: Uint8Array; lz4: boolean } {
  if (bytes.length < 64) return { stored: bytes, lz4: false };
  const compressed = compressSync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  if (compressed.length <= bytes.length * (1 - minLz4Saving)) return { stored: compressed, lz4: true };
  return { stored: bytes, lz4: false };
}

export interface WrittenSegment {
  readonly footer: SegmentFooter;
  readonly bytes: number;
}

/**
 * Writes `vectors` (full columns of `rows` rows, in table column order) as a segment at `path`,
 * rows in `permutation` order when given. Rows are gathered block by block, so no sorted copy of
 * whole columns is ever made.
 */
export async function writeSegment(
  fs: FileSystem,
  path: string,
  columns: readonly ColumnDef[],
  vectors: readonly Vector[],
  permutation: Int32Array | null,
  rows: number,
  blockRows: number,
): Promise<WrittenSegment> {
  const temp = path + tempSuffix;
  const kinds = columns.map((c) => orderKind(c.type));
  const blocks: StoredBlock[] = [];
  const footer: SegmentFooter = {
    format: segmentFormatVersion,
    rows,
    columns: columns.map((c) => ({ name: c.name, type: c.type.id, typmod: c.type.typmod })),
    blocks,
  };
  let position = 0;
  try {
    const handle = await fs.open(temp, 'create');
    try {
      await writeFully(handle, segmentMagic, 0);
      position = segmentMagic.length;
      for (let start = 0; start < rows; start += blockRows) {
        const end = Math.min(rows, start + blockRows);
        const parts: Uint8Array[] = [];
        const metas: StoredColumnBlock[] = [];
        let offset = position;
        for (let c = 0; c < columns.length; c++) {
          const slice =
            permutation === null ? sliceVector(vectors[c]!, start, end) : takeRows(vectors[c]!, permutation.subarray(start, end));
          const encoded = encodeBlock(slice);
          const zone =
            encoded.distinct === undefined
              ? computeZone(slice, kinds[c]!, encoded.nullCount)
              : zoneOfDistinct(encoded.distinct, kinds[c]!, slice.length, encoded.nullCount);
          const { stored, lz4 } = compressIfSmaller(encoded.bytes);
          parts.push(stored);
          metas.push({ offset, length: stored.length, encoding: encoded.encoding, lz4, crc: crc32(stored), zone: storeZone(zone) });
          offset += stored.length;
          await yieldToEventLoop(); // a column block is a few ms of work at most
        }
        await writeFully(handle, Buffer.concat(parts), position);
        position = offset;
        blocks.push({ rows: end - start, columns: metas });
      }
      const footerBytes = Buffer.from(JSON.stringify(footer), 'utf8');
      const trailer = Buffer.alloc(16);
      trailer.writeUInt32LE(footerBytes.length, 0);
      trailer.writeUInt32LE(crc32(footerBytes), 4);
      segmentMagic.copy(trailer, 8);
      await writeFully(handle, Buffer.concat([footerBytes, trailer]), position);
      position += footerBytes.length + trailer.length;
      await handle.sync();
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    await fs.rename(temp, path);
    await fs.syncDirectory(dirname(path));
    return { footer, bytes: position };
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw ioFailure('write segment', path, error);
  }
}
