/**
 * Events per key within the current rate window. Integer keys (as two int32 halves) live in an
 * open-addressing table over typed arrays: a JS Map with number keys measured about 1 M rows/s on
 * this path, too close to the ingest target. Text keys use a Map. Both hold at most `keysMax` keys
 * (text keys also at most `charsMax` characters) and are emptied when the window moves on.
 */

const emptyCount = 0;
const initialSlots = 1024;

export class IntegerKeyCounts {
  private slots = initialSlots;
  /** Per slot: low half, high half, count (0 = empty), padding: one cache line holds four slots. */
  private table = new Int32Array(initialSlots * 4);
  size = 0;

  constructor(readonly keysMax: number) {}

  clear(): void {
    if (this.size === 0) return;
    this.table.fill(emptyCount);
    this.size = 0;
  }

  /** Adds one event of the key and returns its count, or 0 when the key is new and the table is full. */
  add(lo: number, hi: number): number {
    const mask = this.slots - 1;
    const table = this.table;
    let slot = hash(lo, hi) & mask;
    for (;;) {
      const at = slot << 2;
      const c = table[at + 2] as number;
      if (c === emptyCount) break;
      if (table[at] === lo && table[at + 1] === hi) {
        table[at + 2] = c + 1;
        return c + 1;
      }
      slot = (slot + 1) & mask;
    }
    if (this.size >= this.keysMax) return 0;
    const at = slot << 2;
    table[at] = lo;
    table[at + 1] = hi;
    table[at + 2] = 1;
    this.size++;
    // Keep the table at most half full so probes stay short.
    if (this.size * 2 > this.slots) this.grow();
    return 1;
  }

  private grow(): void {
    const old = this.table;
    const oldSlots = this.slots;
    this.slots = oldSlots * 2;
    const table = new Int32Array(this.slots * 4);
    const mask = this.slots - 1;
    for (let s = 0; s < oldSlots; s++) {
      const from = s << 2;
      const c = old[from + 2] as number;
      if (c === emptyCount) continue;
      const lo = old[from] as number;
      const hi = old[from + 1] as number;
      let slot = hash(lo, hi) & mask;
      while (table[(slot << 2) + 2] !== emptyCount) slot = (slot + 1) & mask;
      const at = slot << 2;
      table[at] = lo;
      table[at + 1] = hi;
      table[at + 2] = c;
    }
    this.table = table;
  }
}

function hash(lo: number, hi: number): number {
  let h = Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi ^ 0x27d4eb2f, 0x85ebca77);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
}

/** Characters of text keys one window holds (64 MiB of UTF-16): long keys cannot exhaust memory. */
export const textKeyCharsMax = 32 * 1024 * 1024;

export class TextKeyCounts {
  private readonly counts = new Map<string, number>();
  private chars = 0;

  constructor(
    readonly keysMax: number,
    readonly charsMax = textKeyCharsMax,
  ) {}

  get size(): number {
    return this.counts.size;
  }

  clear(): void {
    this.counts.clear();
    this.chars = 0;
  }

  /** Adds one event of the key and returns its count, or 0 when the key is new and the map is full. */
  add(key: string): number {
    const seen = this.counts.get(key);
    if (seen === undefined) {
      if (this.counts.size >= this.keysMax || this.chars + key.length > this.charsMax) return 0;
      this.chars += key.length;
    }
    const c = (seen ?? 0) + 1;
    this.counts.set(key, c);
    return c;
  }
}
