/**
 * An open-addressing hash table (linear probing, power-of-two capacity, at most half full) from
 * fixed-width keys of int32 words (key-words.ts) to dense ids 0, 1, 2, ... in order of first
 * sight. A slot holds id + 1 (0 = empty) followed by the key's words, so a probe touches one
 * place in memory; no per-key object, nothing for the GC.
 *
 * The probe loops are generated once per key width with the words unrolled (the source depends
 * only on the width), which V8 compiles into straight-line code.
 */

type HashKey = (words: Int32Array, at: number) => number;
type InsertLoop = (slots: Int32Array, mask: number, words: Int32Array, n: number, ids: Int32Array, added: number[], count: number, limit: number) => number;
type FindLoop = (slots: Int32Array, mask: number, words: Int32Array, n: number, ids: Int32Array) => void;

/** murmur3-style mixing of the words at `at`, then the fmix32 finalizer: source text for one key. */
function hashSource(width: number, array: string, at: string): string {
  const lines = ['let h = 0x2545f491;'];
  for (let w = 0; w < width; w++) lines.push(`h = Math.imul(h ^ ${array}[${at} + ${w}], 0x9e3779b1); h = (h << 13) | (h >>> 19);`);
  lines.push('h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;');
  return lines.join('\n');
}

function sameSource(width: number): string {
  return Array.from({ length: width }, (_, w) => `slots[p + ${w + 1}] === words[at + ${w}]`).join(' && ');
}

/**
 * Inserts keys until the table reaches `limit` entries (then returns so the caller can grow it);
 * returns the number of rows handled.
 */
function insertLoop(width: number): InsertLoop {
  const stride = width + 1;
  const copy = Array.from({ length: width }, (_, w) => `slots[p + ${w + 1}] = words[at + ${w}];`).join(' ');
  const body = `
    for (let i = 0, at = 0; i < n; i++, at += ${width}) {
      ${hashSource(width, 'words', 'at')}
      let slot = h & mask;
      for (;;) {
        const p = slot * ${stride};
        const s = slots[p];
        if (s === 0) {
          if (count >= limit) return i;
          slots[p] = ++count;
          ${copy}
          added.push(i);
          ids[i] = count - 1;
          break;
        }
        if (${sameSource(width)}) { ids[i] = s - 1; break; }
        slot = (slot + 1) & mask;
      }
    }
    return n;`;
  return new Function('slots', 'mask', 'words', 'n', 'ids', 'added', 'count', 'limit', body) as InsertLoop;
}

function findLoop(width: number): FindLoop {
  const stride = width + 1;
  const body = `
    for (let i = 0, at = 0; i < n; i++, at += ${width}) {
      ${hashSource(width, 'words', 'at')}
      let slot = h & mask;
      let id = -1;
      for (;;) {
        const p = slot * ${stride};
        const s = slots[p];
        if (s === 0) break;
        if (${sameSource(width)}) { id = s - 1; break; }
        slot = (slot + 1) & mask;
      }
      ids[i] = id;
    }`;
  return new Function('slots', 'mask', 'words', 'n', 'ids', body) as FindLoop;
}

/** The same hash as the loops, for one key: regrowth places stored keys with it. */
function hashOne(width: number): HashKey {
  return new Function('words', 'at', `${hashSource(width, 'words', 'at')}\nreturn h;`) as HashKey;
}

interface Loops {
  readonly insert: InsertLoop;
  readonly find: FindLoop;
  readonly hash: HashKey;
}

const loops = new Map<number, Loops>();

function loopsFor(width: number): Loops {
  let found = loops.get(width);
  if (found === undefined) {
    found = { insert: insertLoop(width), find: findLoop(width), hash: hashOne(width) };
    loops.set(width, found);
  }
  return found;
}

export class WordTable {
  private slots: Int32Array;
  private mask: number;
  private readonly insertKeys: InsertLoop;
  private readonly findKeys: FindLoop;
  private readonly hashKey: HashKey;
  count = 0;

  constructor(readonly width: number, expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity * (width + 1));
    this.mask = capacity - 1;
    const { insert, find, hash } = loopsFor(width);
    this.insertKeys = insert;
    this.findKeys = find;
    this.hashKey = hash;
  }

  /** Bytes held, for memory accounting. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /**
   * The id of each of the `n` keys in `words` into `ids`, adding the unseen ones; returns the
   * rows that added a key, in order (their ids are the previous count, count + 1, ...).
   */
  insert(words: Int32Array, n: number, ids: Int32Array): number[] {
    const added: number[] = [];
    let done = 0;
    while (done < n) {
      const limit = (this.mask + 1) >>> 1;
      const before = added.length;
      const width = this.width;
      const handled = this.insertKeys(this.slots, this.mask, words.subarray(done * width), n - done, ids.subarray(done), added, this.count, limit);
      for (let k = before; k < added.length; k++) added[k]! += done;
      this.count += added.length - before;
      done += handled;
      if (done < n) this.grow();
    }
    return added;
  }

  /** The id of each key, or -1 where it is not in the table. */
  find(words: Int32Array, n: number, ids: Int32Array): void {
    this.findKeys(this.slots, this.mask, words, n, ids);
  }

  /** Doubles the capacity, placing every entry again (hashes are recomputed from the stored words). */
  private grow(): void {
    const width = this.width;
    const stride = width + 1;
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Int32Array(capacity * stride);
    const mask = capacity - 1;
    for (let p = 0; p < old.length; p += stride) {
      const s = old[p] as number;
      if (s === 0) continue;
      let slot = this.hashKey(old, p + 1) & mask;
      while (slots[slot * stride] !== 0) slot = (slot + 1) & mask;
      slots[slot * stride] = s;
      slots.set(old.subarray(p + 1, p + stride), slot * stride + 1);
    }
    this.slots = slots;
    this.mask = mask;
  }
}
