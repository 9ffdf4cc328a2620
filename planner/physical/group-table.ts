/**
 * Assigns a dense group id to every row by its key columns, and keeps one copy of each distinct
 * key. A single string key (dictionary-coded or not) maps its interned id straight to a group
 * through an Int32Array; any other key set is turned into int32 words (key-words.ts) and looked
 * up in an open-addressing table (word-table.ts). NULLs form one group per key, as GROUP BY wants.
 */
import type { DataType } from '../../storage/types.js';
import type { StringVector, Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import { KeyEncoder, StringInterner } from './key-words.js';
import { WordTable } from './word-table.js';

export class GroupTable {
  private readonly encoder: KeyEncoder | null;
  private readonly table: WordTable | null;
  /** The single string key: group by interned id (-1 = none yet), and the NULL group. */
  private readonly interner: StringInterner | null;
  private groupById = new Int32Array(64).fill(-1);
  private nullGroup = -1;
  readonly keys: VectorBuilder[];
  count = 0;

  constructor(readonly types: readonly DataType[]) {
    this.keys = types.map((t) => new VectorBuilder(t));
    const singleString = types.length === 1 && (types[0] as DataType).layout === 'string';
    this.interner = singleString ? new StringInterner(types[0] as DataType) : null;
    this.encoder = singleString || types.length === 0 ? null : new KeyEncoder(types);
    this.table = this.encoder === null ? null : new WordTable(this.encoder.width);
  }

  /** Bytes held by the keys' index (not the key copies), for memory accounting. */
  get indexBytes(): number {
    return (this.table?.bytes ?? 0) + this.groupById.byteLength + (this.interner?.size ?? 0) * 64;
  }

  /** Group id per row; new keys are appended to `keys`. */
  assign(columns: readonly Vector[], length: number): Int32Array {
    const ids = new Int32Array(length);
    if (columns.length === 0) {
      if (this.count === 0) this.count = 1;
      return ids;
    }
    const added = this.interner !== null ? this.assignString(columns[0] as StringVector, length, ids) : this.assignWords(columns, length, ids);
    if (added.length > 0) {
      const rows = Int32Array.from(added);
      columns.forEach((c, k) => (this.keys[k] as VectorBuilder).appendVector(c, rows));
    }
    return ids;
  }

  private assignWords(columns: readonly Vector[], length: number, ids: Int32Array): number[] {
    const words = (this.encoder as KeyEncoder).encode(columns, length);
    const table = this.table as WordTable;
    const added = table.insert(words, length, ids);
    this.count = table.count;
    return added;
  }

  private assignString(column: StringVector, length: number, ids: Int32Array): number[] {
    const interner = this.interner as StringInterner;
    const validity = column.validity;
    const added: number[] = [];
    const dictionary = column.dictionary;
    if (dictionary !== undefined) {
      // One lookup per dictionary entry; rows then only index one small array (code -> group),
      // kept for the blocks that share the dictionary.
      const codeGroups = this.codeGroupsFor(dictionary.entries);
      const codes = dictionary.codes;
      for (let i = 0; i < length; i++) {
        if (validity !== null && validity[i] === 0) {
          ids[i] = this.nullId(i, added);
          continue;
        }
        const code = codes[i] as number;
        let g = codeGroups[code] as number;
        if (g < 0) {
          g = codeGroups[code] = this.groupOfEntry(dictionary.entries, code, i, added);
        }
        ids[i] = g;
      }
      return added;
    }
    const values = column.values;
    for (let i = 0; i < length; i++) {
      if (validity !== null && validity[i] === 0) {
        ids[i] = this.nullId(i, added);
        continue;
      }
      const id = interner.id(values[i] as string);
      if (id >= this.groupById.length) this.ensureIds(id + 1);
      let g = this.groupById[id] as number;
      if (g < 0) {
        g = this.groupById[id] = this.count++;
        added.push(i);
      }
      ids[i] = g;
    }
    return added;
  }

  private lastEntries: readonly string[] | null = null;
  private lastCodeGroups = new Int32Array(0);

  /** Group per dictionary code (-1 = not seen yet) for the dictionary `entries`. */
  private codeGroupsFor(entries: readonly string[]): Int32Array {
    if (entries !== this.lastEntries) {
      this.lastEntries = entries;
      this.lastCodeGroups = new Int32Array(entries.length).fill(-1);
    }
    return this.lastCodeGroups;
  }

  /** The group of a dictionary entry, first seen at `row`. */
  private groupOfEntry(entries: readonly string[], code: number, row: number, added: number[]): number {
    const id = (this.interner as StringInterner).id(entries[code] as string);
    this.ensureIds(id + 1);
    let g = this.groupById[id] as number;
    if (g < 0) {
      g = this.groupById[id] = this.count++;
      added.push(row);
    }
    return g;
  }

  private nullId(row: number, added: number[]): number {
    if (this.nullGroup < 0) {
      this.nullGroup = this.count++;
      added.push(row);
    }
    return this.nullGroup;
  }

  private ensureIds(size: number): void {
    if (size <= this.groupById.length) return;
    let capacity = this.groupById.length;
    while (capacity < size) capacity *= 2;
    const next = new Int32Array(capacity).fill(-1);
    next.set(this.groupById);
    this.groupById = next;
  }
}
