/**
 * The segment file format: an immutable file of one partition's rows, sorted by the table's sort
 * key, cut into blocks of `blockRows` rows, each column of each block encoded (block-codec.ts),
 * LZ4-compressed where that helps, and checksummed.
 *
 *   "EVTSEG01" | block 0 column 0 | block 0 column 1 | ... | block k column m | footer JSON |
 *   u32 footer length | u32 footer CRC32 | "EVTSEG01"
 *
 * The footer holds per block and column: offset, length, encoding, lz4 flag, CRC32 of the stored
 * bytes and the zone map (rows, NULL count, min, max as strings). Readers load the footer once and
 * then read only the column blocks a scan needs, by position.
 */
import type { Encoding } from './block-codec.js';
import type { TypeId } from './types.js';
import type { StoredZone } from './zone-map.js';

export const segmentMagic = Buffer.from('EVTSEG01', 'latin1');
export const segmentTrailerBytes = 16;
export const segmentFormatVersion = 1;
/** A footer larger than this is treated as corruption rather than read into memory. */
export const maxFooterBytes = 256 << 20;

export interface StoredColumnBlock {
  readonly offset: number;
  readonly length: number;
  readonly encoding: Encoding;
  readonly lz4: boolean;
  readonly crc: number;
  readonly zone: StoredZone;
}

export interface StoredBlock {
  readonly rows: number;
  readonly columns: readonly StoredColumnBlock[];
}

export interface SegmentFooter {
  readonly format: number;
  readonly rows: number;
  readonly columns: readonly { readonly name: string; readonly type: TypeId; readonly typmod: number }[];
  readonly blocks: readonly StoredBlock[];
}
