/**
 * Typed column builders for COPY FROM and other bulk paths: each takes a field's text and writes
 * the value straight into its typed array (or string array), with the type's input function chosen
 * once per column, never per row. Common plain forms (integers, ISO timestamps) take fast paths;
 * everything else goes through the type's full input function, so results and errors are
 * PostgreSQL's.
 */
import { applyTimestampPrecision, parseDate, parseTimestamp, parseTimestamptz } from '../../../storage/datetime.js';
import { parseFloat4, parseFloat8 } from '../../../storage/float-format.js';
import { parseJsonb } from '../../../storage/jsonb.js';
import { numericApplyTypmod, parseNumeric } from '../../../storage/numeric.js';
import { isArrayType, scalarTypeId, type DataType, type Value } from '../../../storage/types.js';
import { applyVarcharTypmod, checkText, parseBool, parseInt2, parseInt4, parseInt8 } from '../../../storage/value-codecs-scalar.js';
import { parseText, resolveSettings, type FormatSettings } from '../../../storage/value-codecs.js';
import { allocateFixed, dictionaryVector, type FixedArray, type Vector } from '../../../storage/vector.js';

export interface ColumnBuilder {
  readonly type: DataType;
  /** Sets row `row` from its text; throws the type's input error. */
  set(row: number, text: string): void;
  setNull(row: number): void;
  /** Sets row `row` from a decoded value of the column's type (binary COPY). */
  setValue(row: number, value: Value): void;
  /** The first `length` rows as a vector; the builder starts over (new arrays). */
  take(length: number): Vector;
}

const digits15 = /^-?\d{1,15}$/;

/**
 * The NULL flags of one batch: made (all valid) at the batch's first NULL, so a batch without NULLs
 * has none and setting a value never touches them (each row is written once per batch).
 */
class NullRows {
  private flags: Uint8Array | null = null;

  constructor(private readonly capacity: number) {}

  isNull(row: number): boolean {
    return this.flags !== null && this.flags[row] === 0;
  }

  mark(row: number): void {
    this.flags ??= new Uint8Array(this.capacity).fill(1);
    this.flags[row] = 0;
  }

  /** The flags of rows [0, length), or null when none is NULL; the next batch starts without. */
  take(length: number): Uint8Array | null {
    const flags = this.flags;
    this.flags = null;
    if (flags === null) return null;
    const validity = flags.subarray(0, length);
    return validity.indexOf(0) < 0 ? null : validity;
  }
}

class FixedBuilder implements ColumnBuilder {
  private values: FixedArray;
  private readonly nulls: NullRows;
  /** int8 rows written as two int32 words: no BigInt per row. */
  private words: Int32Array | null = null;

  constructor(
    readonly type: DataType,
    private readonly capacity: number,
    private readonly parse: (text: string) => number,
    private readonly parseBig: ((text: string) => bigint) | null,
  ) {
    this.values = allocateFixed(type.layout, capacity);
    this.nulls = new NullRows(capacity);
    this.resetWords();
  }

  private resetWords(): void {
    const v = this.values;
    this.words = v instanceof BigInt64Array ? new Int32Array(v.buffer, v.byteOffset, v.length * 2) : null;
  }

  set(row: number, text: string): void {
    const words = this.words;
    if (words !== null) {
      if (digits15.test(text)) {
        const n = Number(text);
        const high = Math.floor(n / 4294967296);
        words[2 * row] = n - high * 4294967296;
        words[2 * row + 1] = high;
      } else (this.values as BigInt64Array)[row] = (this.parseBig as (t: string) => bigint)(text);
    } else {
      (this.values as Float64Array)[row] = this.parse(text);
    }
  }

  setValue(row: number, value: Value): void {
    if (this.values instanceof BigInt64Array) this.values[row] = value as bigint;
    else (this.values as Float64Array)[row] = typeof value === 'boolean' ? (value ? 1 : 0) : (value as number);
  }

  setNull(row: number): void {
    this.nulls.mark(row);
    if (this.words !== null) {
      this.words[2 * row] = 0;
      this.words[2 * row + 1] = 0;
    } else (this.values as Float64Array)[row] = 0;
  }

  take(length: number): Vector {
    const values = this.values.subarray(0, length);
    const validity = this.nulls.take(length);
    this.values = allocateFixed(this.type.layout, this.capacity);
    this.resetWords();
    return { kind: 'fixed', type: this.type, length, values, validity };
  }
}

/**
 * Strings of a column that repeats its values (event types, pages, countries, JSON properties):
 * each distinct field text is parsed once per batch and rows keep an int32 code, so the batch is
 * a dictionary vector whose strings are shared, not one per row. A column that turns out to be
 * mostly distinct (over a quarter of the batch) switches to plain strings for the rest of it.
 */
class DictionaryBuilder implements ColumnBuilder {
  private codes: Int32Array;
  private readonly nulls: NullRows;
  /** Open addressing over field texts: code + 1 per slot, 0 empty (a Map hashes no faster, and allocates). */
  private readonly slots: Int32Array;
  private raws: string[] = [];
  private entries: string[] = [];
  /** Plain mode: one string per row. */
  private plain: string[] | null = null;
  /** Parsed values of field texts seen in earlier batches, so repeats are not parsed again. */
  private readonly parsed = new Map<string, string>();
  private readonly maxEntries: number;
  /** The previous row's text and code: events of one session repeat most columns row after row. */
  private lastText: string | null = null;
  private lastCode = 0;

  constructor(
    readonly type: DataType,
    private readonly capacity: number,
    private readonly parse: (text: string) => string,
  ) {
    this.codes = new Int32Array(capacity);
    this.nulls = new NullRows(capacity);
    this.maxEntries = Math.max(16, capacity >> 2);
    let size = 16;
    while (size < this.maxEntries * 2) size *= 2;
    this.slots = new Int32Array(size);
  }

  set(row: number, text: string): void {
    if (this.plain !== null) {
      this.plain[row] = this.parse(text);
      return;
    }
    if (text === this.lastText) {
      this.codes[row] = this.lastCode;
      return;
    }
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    let code = -1;
    for (;;) {
      const held = slots[slot] as number;
      if (held === 0) break;
      if (this.raws[held - 1] === text) {
        code = held - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (code < 0) {
      let value = this.parsed.get(text);
      if (value === undefined) {
        value = this.parse(text);
        if (this.parsed.size >= 65_536) this.parsed.clear();
        this.parsed.set(text, value);
      }
      if (this.entries.length >= this.maxEntries) {
        this.toPlain(row)[row] = value;
        return;
      }
      code = this.entries.length;
      this.entries.push(value);
      this.raws.push(text);
      slots[slot] = code + 1;
    }
    this.codes[row] = code;
    this.lastText = text;
    this.lastCode = code;
  }

  setValue(row: number, value: Value): void {
    this.toPlain(row)[row] = value as string;
  }

  setNull(row: number): void {
    this.nulls.mark(row);
    if (this.plain !== null) this.plain[row] = '';
    else this.codes[row] = 0;
  }

  /** Rows before `row` become plain strings; later rows are set as strings directly. */
  private toPlain(row: number): string[] {
    if (this.plain !== null) return this.plain;
    const plain = new Array<string>(row);
    const { entries, codes, nulls } = this;
    for (let i = 0; i < row; i++) plain[i] = nulls.isNull(i) ? '' : (entries[codes[i] as number] as string);
    this.plain = plain;
    return plain;
  }

  take(length: number): Vector {
    const validity = this.nulls.take(length);
    let vector: Vector;
    if (this.plain !== null) {
      const values = this.plain.length === length ? this.plain : this.plain.slice(0, length);
      vector = { kind: 'string', type: this.type, length, values, validity };
    } else {
      // NULL rows hold code 0, so a batch of only NULLs still needs one entry.
      if (this.entries.length === 0) this.entries.push('');
      vector = dictionaryVector(this.type, validity, this.entries, this.codes.subarray(0, length));
    }
    this.codes = new Int32Array(this.capacity);
    this.slots.fill(0);
    this.raws = [];
    this.entries = [];
    this.plain = null;
    this.lastText = null;
    return vector;
  }
}

/** A builder for one column of `type`, holding up to `capacity` rows per batch. */
export function columnBuilder(type: DataType, capacity: number, settings: FormatSettings): ColumnBuilder {
  if (isArrayType(type)) return new DictionaryBuilder(type, capacity, (text) => parseText(type, text, settings) as string);
  const id = scalarTypeId(type);
  const decode = resolveSettings(settings).decode;
  const typmod = type.typmod;
  const fixed = (parse: (text: string) => number) => new FixedBuilder(type, capacity, parse, null);
  const strings = (parse: (text: string) => string) => new DictionaryBuilder(type, capacity, parse);
  switch (id) {
    case 'bool':
      return fixed((text) => (parseBool(text) ? 1 : 0));
    case 'int2':
      return fixed(parseInt2);
    case 'int4':
      return fixed(parseInt4);
    case 'int8':
      return new FixedBuilder(type, capacity, () => 0, parseInt8);
    case 'float4':
      return fixed(parseFloat4);
    case 'float8':
      return fixed(parseFloat8);
    case 'date':
      return fixed((text) => parseDate(text, decode));
    case 'timestamp':
      return fixed(typmod >= 0 ? (text) => applyTimestampPrecision(parseTimestamp(text, decode), typmod) : (text) => parseTimestamp(text, decode));
    case 'timestamptz':
      return fixed(typmod >= 0 ? (text) => applyTimestampPrecision(parseTimestamptz(text, decode), typmod) : (text) => parseTimestamptz(text, decode));
    case 'numeric':
      return strings(typmod >= 0 ? (text) => numericApplyTypmod(parseNumeric(text), typmod) : parseNumeric);
    case 'text':
    case 'unknown':
      return strings(checkText);
    case 'varchar':
      return strings((text) => applyVarcharTypmod(checkText(text), typmod, false));
    case 'jsonb':
      return strings(parseJsonb);
    case 'interval':
      return strings((text) => parseText(type, text, settings) as string);
    default: {
      const never: never = id;
      throw new Error(`no COPY input for type ${String(never)}`);
    }
  }
}
