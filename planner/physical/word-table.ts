/**
 * An open-addressing hash table (linear probing, power-of-two capacity, at most half full) from
 * fixed-width keys of int32 words (key-words.ts) to dense ids 0, 1, 2, ... in order of first
 * sight. Keys, hashes and slots live in typed arrays: no per-key object, nothing for the GC.
 */

/** Mixes the words of one key (murmur3-style rounds, then the fmix32 finalizer). */
function hashKey(words: Int32Array, at: number, width: number): number {
  let h = 0x2545f491;
  for (let w = 0; w < width; w++) {
    h = Math.imul(h ^ (words[at + w] as number), 0x9e3779b1);
    h = (h << 13) | (h >>> 19);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class WordTable {
  /** id + 1 per slot; 0 = empty. */
  private slots: Int32Array;
  private mask: number;
  /** Key words by id. */
  private keys: Int32Array;
  private hashes: Int32Array;
  count = 0;

  constructor(readonly width: number, expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.keys = new Int32Array(Math.max(16, expected) * width);
    this.hashes = new Int32Array(Math.max(16, expected));
  }

  /** Bytes held, for memory accounting. */
  get bytes(): number {
    return this.slots.byteLength + this.keys.byteLength + this.hashes.byteLength;
  }

  /**
   * The id of each of the `n` keys in `words` into `ids`, adding the unseen ones; returns the
   * rows that added a key, in order (their ids are the previous count, count + 1, ...).
   */
  insert(words: Int32Array, n: number, ids: Int32Array): number[] {
    const width = this.width;
    const added: number[] = [];
    for (let i = 0, at = 0; i < n; i++, at += width) {
      const h = hashKey(words, at, width);
      let slot = h & this.mask;
      let id = -1;
      for (;;) {
        const s = this.slots[slot] as number;
        if (s === 0) break;
        const candidate = s - 1;
        if (this.hashes[candidate] === h && this.sameKey(candidate, words, at)) {
          id = candidate;
          break;
        }
        slot = (slot + 1) & this.mask;
      }
      if (id < 0) {
        id = this.add(words, at, h, slot);
        added.push(i);
      }
      ids[i] = id;
    }
    return added;
  }

  /** The id of each key, or -1 where it is not in the table. */
  find(words: Int32Array, n: number, ids: Int32Array): void {
    const width = this.width;
    for (let i = 0, at = 0; i < n; i++, at += width) {
      const h = hashKey(words, at, width);
      let slot = h & this.mask;
      let id = -1;
      for (;;) {
        const s = this.slots[slot] as number;
        if (s === 0) break;
        const candidate = s - 1;
        if (this.hashes[candidate] === h && this.sameKey(candidate, words, at)) {
          id = candidate;
          break;
        }
        slot = (slot + 1) & this.mask;
      }
      ids[i] = id;
    }
  }

  private sameKey(id: number, words: Int32Array, at: number): boolean {
    const width = this.width;
    const keys = this.keys;
    const base = id * width;
    for (let w = 0; w < width; w++) if (keys[base + w] !== words[at + w]) return false;
    return true;
  }

  private add(words: Int32Array, at: number, hash: number, slot: number): number {
    const id = this.count++;
    const width = this.width;
    if ((id + 1) * width > this.keys.length) {
      const keys = new Int32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.keys.set(words.subarray(at, at + width), id * width);
    this.hashes[id] = hash;
    this.slots[slot] = id + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const capacity = this.slots.length * 2;
    const slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = (this.hashes[id] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
