/**
 * String block encodings.
 *   plain:      u32 total bytes | bit-packed byte lengths (u8 width) | UTF-8 bytes
 *   dictionary: u32 entry count | entries as plain | bit-packed codes (u8 width)
 * A dictionary is chosen when a block has few distinct values (event types, countries, devices),
 * which then cost a few bits per row and decode to shared strings.
 */
import { bitWidth, pack, packedBytes, unpack } from './bit-pack.js';
import { ByteWriter, type ByteReader } from './byte-buffer.js';
import { dataCorrupted } from './errors.js';

/** A dictionary is used when distinct values are at most this fraction of the rows. */
const dictionaryMaxRatio = 0.5;
/**
 * Rows after which a block whose values were nearly all distinct so far gives up on a dictionary
 * (session ids, JSON documents): building a map of half a block's values only to drop it cost
 * more than the rest of the block's encoding.
 */
const dictionaryProbeRows = 2048;

export function encodePlainStrings(values: readonly string[], count: number, out: ByteWriter): void {
  const bytes = new ByteWriter(count * 8);
  const lengths = new Uint32Array(count);
  let maxLength = 0;
  for (let i = 0; i < count; i++) {
    const n = bytes.utf8(values[i] as string);
    lengths[i] = n;
    if (n > maxLength) maxLength = n;
  }
  const width = bitWidth(maxLength);
  out.u32(bytes.length);
  out.u8(width);
  out.bytesOf(pack(lengths, count, width));
  out.bytesOf(bytes.finish());
}

export function decodePlainStrings(reader: ByteReader, count: number): string[] {
  const total = reader.u32();
  const width = reader.u8();
  if (width > 32) throw dataCorrupted(`invalid string length width ${width}`);
  const lengths = new Uint32Array(count);
  unpack(reader.bytesOf(packedBytes(count, width)), count, width, lengths);
  const start = reader.offset;
  reader.bytesOf(total); // bounds check; the strings are decoded in place below
  const out = new Array<string>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = lengths[i] as number;
    if (at + n > total) throw dataCorrupted(`string lengths exceed the ${total} bytes of the block`);
    out[i] = n === 0 ? '' : reader.bytes.toString('utf8', start + at, start + at + n);
    at += n;
  }
  return out;
}

/**
 * Dictionary codes when the block has few distinct values, else null. `valid` marks rows whose
 * value counts (NULL rows get code 0 without adding an entry).
 */
export function dictionaryCodes(
  values: readonly string[],
  count: number,
  valid: Uint8Array | null,
): { entries: string[]; codes: Uint32Array } | null {
  const limit = Math.floor(count * dictionaryMaxRatio);
  const index = new Map<string, number>();
  const entries: string[] = [];
  const codes = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    if (i === dictionaryProbeRows && entries.length > i * 0.9) return null;
    if (valid !== null && valid[i] === 0) continue;
    const v = values[i] as string;
    let code = index.get(v);
    if (code === undefined) {
      if (entries.length >= limit) return null;
      code = entries.length;
      index.set(v, code);
      entries.push(v);
    }
    codes[i] = code;
  }
  return { entries, codes };
}

export function encodeDictionary(entries: readonly string[], codes: Uint32Array, out: ByteWriter): void {
  out.u32(entries.length);
  encodePlainStrings(entries, entries.length, out);
  const width = bitWidth(Math.max(0, entries.length - 1));
  out.u8(width);
  out.bytesOf(pack(codes, codes.length, width));
}

/** The block's dictionary entries and the code of every row. */
export function decodeDictionary(reader: ByteReader, count: number): { entries: string[]; codes: Int32Array } {
  const size = reader.u32();
  if (size > count) throw dataCorrupted(`dictionary of ${size} entries for ${count} rows`);
  const entries = decodePlainStrings(reader, size);
  const width = reader.u8();
  if (width > 32) throw dataCorrupted(`invalid dictionary code width ${width}`);
  const unsigned = new Uint32Array(count);
  unpack(reader.bytesOf(packedBytes(count, width)), count, width, unsigned);
  // Codes are below 2^16 here, so the same bits read as int32 are the same numbers.
  const codes = new Int32Array(unsigned.buffer);
  if (size === 0) return { entries: [''], codes: codes.fill(0) };
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const code = codes[i] as number;
    bad |= (size - 1 - code) | code;
  }
  if (bad < 0) throw dataCorrupted(`dictionary code out of range ${size}`);
  return { entries, codes };
}
