/**
 * An open segment: its footer and zone maps in memory, its column blocks read on demand with
 * positioned reads of just the requested columns. Every block's CRC is checked before decoding;
 * a mismatch raises XX001 naming the file, block and column.
 */
import { crc32 } from 'node:zlib';
import { uncompressSync } from 'lz4-napi';
import { blockCache, type BlockCacheStats, vectorBytes } from './block-cache.js';
import { decodeBlock, encodings } from './block-codec.js';
import { ioFailure } from './durable-file.js';
import { dataCorrupted } from './errors.js';
import { type FileHandle, type FileSystem, readFully } from './file-system.js';
import {
  maxFooterBytes,
  segmentFormatVersion,
  segmentMagic,
  segmentTrailerBytes,
  type SegmentFooter,
} from './segment-format.js';
import { orderKind } from './sort-order.js';
import type { ColumnDef } from './table-def.js';
import type { Vector } from './vector.js';
import { type Zone, loadZone, mergeZones } from './zone-map.js';

/** Column blocks closer than this are fetched in one read. */
const coalesceGapBytes = 64 << 10;

/** Process-unique segment ids key the block cache (a path may be reused, an object never). */
let nextSegmentId = 1;

export class Segment {
  readonly id = nextSegmentId++;
  /** zones[block][column] */
  readonly zones: readonly (readonly Zone[])[];
  /** Per column, the zone of the whole segment. */
  readonly segmentZones: readonly Zone[];

  private constructor(
    readonly path: string,
    readonly footer: SegmentFooter,
    readonly columns: readonly ColumnDef[],
  ) {
    const kinds = columns.map((c) => orderKind(c.type));
    this.zones = footer.blocks.map((b) => b.columns.map((c, i) => loadZone(c.zone, kinds[i]!)));
    this.segmentZones = kinds.map((kind, c) => mergeZones(this.zones.map((z) => z[c]!), kind));
  }

  get rows(): number {
    return this.footer.rows;
  }

  get blockCount(): number {
    return this.footer.blocks.length;
  }

  /** Builds a Segment from a footer just written (no read back). */
  static fromFooter(path: string, footer: SegmentFooter, columns: readonly ColumnDef[]): Segment {
    return new Segment(path, footer, columns);
  }

  /** Reads and checks the trailer and footer of the segment file at `path`. */
  static async load(fs: FileSystem, path: string, columns: readonly ColumnDef[]): Promise<Segment> {
    let handle: FileHandle;
    try {
      handle = await fs.open(path, 'read');
    } catch (error) {
      throw ioFailure('open segment', path, error);
    }
    try {
      const size = await handle.size();
      if (size < segmentMagic.length + segmentTrailerBytes) throw dataCorrupted(`segment file "${path}" is truncated`);
      const trailer = Buffer.from(await readFully(handle, size - segmentTrailerBytes, segmentTrailerBytes));
      const footerLength = trailer.readUInt32LE(0);
      if (!trailer.subarray(8).equals(segmentMagic) || footerLength > maxFooterBytes || footerLength > size - segmentTrailerBytes) {
        throw dataCorrupted(`segment file "${path}" has an invalid trailer`);
      }
      const footerBytes = await readFully(handle, size - segmentTrailerBytes - footerLength, footerLength);
      if (crc32(footerBytes) !== trailer.readUInt32LE(4)) throw dataCorrupted(`invalid checksum in the footer of segment file "${path}"`);
      const footer = JSON.parse(Buffer.from(footerBytes).toString('utf8')) as SegmentFooter;
      checkFooter(footer, columns, path);
      return new Segment(path, footer, columns);
    } catch (error) {
      if (error instanceof SyntaxError) throw dataCorrupted(`invalid footer in segment file "${path}"`);
      throw ioFailure('read segment', path, error);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /**
   * Decodes the given columns of one block, in the order asked. Columns found in the block cache
   * are not read again; `handle` is opened (when given as a function) only if one is missing.
   */
  async readBlock(handle: FileHandle | (() => Promise<FileHandle>), block: number, columns: readonly number[], stats?: BlockCacheStats): Promise<Vector[]> {
    const stored = this.footer.blocks[block]!;
    const decoded = new Map<number, Vector>();
    const missing: number[] = [];
    for (const column of new Set(columns)) {
      const cached = blockCache.get(this.id, block, column);
      if (cached !== undefined) decoded.set(column, cached);
      else missing.push(column);
    }
    if (stats !== undefined) {
      stats.cacheHits += decoded.size;
      stats.cacheMisses += missing.length;
    }
    const order = missing.sort((a, b) => stored.columns[a]!.offset - stored.columns[b]!.offset);
    const file = order.length === 0 ? null : typeof handle === 'function' ? await handle() : handle;
    let i = 0;
    while (file !== null && i < order.length) {
      // One read for a run of nearby column blocks.
      const first = stored.columns[order[i]!]!;
      let j = i + 1;
      let end = first.offset + first.length;
      while (j < order.length) {
        const next = stored.columns[order[j]!]!;
        if (next.offset - end > coalesceGapBytes) break;
        end = Math.max(end, next.offset + next.length);
        j++;
      }
      let bytes: Uint8Array;
      try {
        bytes = await readFully(file, first.offset, end - first.offset);
      } catch (error) {
        throw ioFailure('read segment', this.path, error);
      }
      for (let k = i; k < j; k++) {
        const column = order[k]!;
        const meta = stored.columns[column]!;
        const at = meta.offset - first.offset;
        const { vector, rawBytes } = this.decode(bytes.subarray(at, at + meta.length), block, column);
        blockCache.set(this.id, block, column, vector, vectorBytes(vector, rawBytes), stats);
        decoded.set(column, vector);
      }
      i = j;
    }
    return columns.map((c) => decoded.get(c)!);
  }

  private decode(stored: Uint8Array, block: number, column: number): { vector: Vector; rawBytes: number } {
    const meta = this.footer.blocks[block]!.columns[column]!;
    const where = `block ${block} of column "${this.columns[column]!.name}" in segment file "${this.path}"`;
    if (stored.length !== meta.length || crc32(stored) !== meta.crc) throw dataCorrupted(`invalid checksum in ${where}`);
    try {
      const raw = meta.lz4 ? uncompressSync(stored) : stored;
      return { vector: decodeBlock(raw, this.columns[column]!.type, this.footer.blocks[block]!.rows), rawBytes: raw.length };
    } catch (error) {
      throw dataCorrupted(`could not decode ${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function checkFooter(footer: SegmentFooter, columns: readonly ColumnDef[], path: string): void {
  const bad = (what: string) => dataCorrupted(`segment file "${path}" ${what}`);
  if (footer.format !== segmentFormatVersion) throw bad(`has unsupported format ${String(footer.format)}`);
  if (footer.columns.length !== columns.length) throw bad(`has ${footer.columns.length} columns, its table ${columns.length}`);
  footer.columns.forEach((c, i) => {
    if (c.type !== columns[i]!.type.id) throw bad(`stores column ${i} as ${c.type}, its table as ${columns[i]!.type.id}`);
  });
  let rows = 0;
  for (const b of footer.blocks) {
    rows += b.rows;
    if (b.columns.length !== columns.length) throw bad('has a block with a wrong column count');
    for (const c of b.columns) if (!encodings.includes(c.encoding)) throw bad(`uses unknown encoding "${c.encoding}"`);
  }
  if (rows !== footer.rows) throw bad(`counts ${footer.rows} rows but its blocks hold ${rows}`);
}
