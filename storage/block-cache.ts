/**
 * The decoded-block cache: column blocks of segments, decoded into Vectors, kept in one bounded
 * LRU for the process, so repeated queries (dashboards refreshing every few seconds) skip the
 * read, CRC, LZ4 and decode of blocks they read a moment ago.
 *
 * Segments are immutable, so an entry never goes stale. Entries are keyed by the Segment object's
 * process-unique id, not by its path: a path can come back with other contents (a flush that
 * failed before its manifest was published leaves a number that the next flush reuses), a new
 * Segment object never. Entries of dropped segments are not hunted down; LRU ages them out.
 *
 * Cached vectors are shared by every reader: like every Vector they are immutable by contract
 * (operators build new vectors; slices share memory but never write).
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Vector } from './vector.js';

/** Counters a scan fills in (hits and misses are shown by EXPLAIN ANALYZE). */
export interface BlockCacheStats {
  cacheHits: number;
  cacheMisses: number;
  /** Bytes this scan put into the cache so far. */
  cacheAdmittedBytes: number;
}

/**
 * Default capacity: a quarter of the machine's memory, at most 2 GiB, and at most a quarter of
 * the V8 heap limit, because decoded strings live on the JS heap and filling it would kill the
 * process rather than fail a query.
 */
export function defaultBlockCacheBytes(): number {
  return Math.floor(Math.min(totalmem() / 4, 2 ** 31, getHeapStatistics().heap_size_limit / 4));
}

/** Per-entry bookkeeping (key string, Map entry, vector object) in the estimate. */
const entryOverheadBytes = 128;
/** A JS string slot plus a short string's header. */
const stringRowBytes = 24;

/**
 * An estimate of the memory a decoded vector holds: exact for typed arrays; for strings a slot
 * per row plus the encoded bytes (a rough stand-in for the characters, shared by repeats).
 */
export function vectorBytes(vector: Vector, encodedBytes: number): number {
  const validity = vector.validity === null ? 0 : vector.validity.byteLength;
  if (vector.kind === 'fixed') return vector.values.byteLength + validity + entryOverheadBytes;
  return vector.length * stringRowBytes + encodedBytes + validity + entryOverheadBytes;
}

interface Entry {
  readonly vector: Vector;
  readonly bytes: number;
}

export class BlockCache {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private bytesHeld = 0;
  hits = 0;
  misses = 0;

  constructor(private capacityBytes: number) {}

  get capacity(): number {
    return this.capacityBytes;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Changes the capacity (0 turns the cache off and empties it). */
  resize(capacityBytes: number): void {
    this.capacityBytes = Math.max(0, capacityBytes);
    this.evict();
  }

  get(segmentId: number, block: number, column: number): Vector | undefined {
    if (this.capacityBytes === 0) return undefined;
    const key = keyOf(segmentId, block, column);
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.vector;
  }

  /**
   * Offers a decoded block. One scan may fill at most half the cache: a scan of more than the
   * cache holds would otherwise evict everything, its own first blocks included, before anyone
   * reads them again (LRU gets no hits on a cycle longer than itself), and dashboards' working
   * sets would go with them. An entry larger than an eighth of the cache is not kept either.
   */
  set(segmentId: number, block: number, column: number, vector: Vector, bytes: number, scan?: BlockCacheStats): void {
    if (bytes > this.capacityBytes / 8) return;
    if (scan !== undefined) {
      if (scan.cacheAdmittedBytes + bytes > this.capacityBytes / 2) return;
      scan.cacheAdmittedBytes += bytes;
    }
    const key = keyOf(segmentId, block, column);
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytesHeld -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { vector, bytes });
    this.bytesHeld += bytes;
    this.evict();
  }

  clear(): void {
    this.entries.clear();
    this.bytesHeld = 0;
  }

  private evict(): void {
    while (this.bytesHeld > this.capacityBytes) {
      const oldest = this.entries.entries().next();
      if (oldest.done === true) break;
      const [key, entry] = oldest.value;
      this.entries.delete(key);
      this.bytesHeld -= entry.bytes;
    }
  }
}

function keyOf(segmentId: number, block: number, column: number): string {
  return `${segmentId}/${block}/${column}`;
}

/** The process's cache; the server sizes it from --block-cache-mb at startup. */
export const blockCache = new BlockCache(defaultBlockCacheBytes());
