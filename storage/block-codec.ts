/**
 * Encodes one column of one block (a vector of up to blockRows rows) and decodes it back.
 *
 * Encoded block: u8 encoding | u8 flags (1 = validity bitmap follows) | [bitmap] | payload
 *   plain      raw little-endian values (float4, and int8/float8 the integer codec cannot hold)
 *   bits       booleans bit-packed at width 1
 *   integers   frame-of-reference or delta, bit-packed (integer-codec.ts)
 *   strings    plain length-prefixed UTF-8 (string-codec.ts)
 *   dictionary per-block dictionary + bit-packed codes
 *   nulls      every row NULL, no payload
 * LZ4 is applied on top by the segment writer only where it still shrinks the block.
 */
import { pack, packedBytes, unpack } from './bit-pack.js';
import { ByteReader, ByteWriter } from './byte-buffer.js';
import { dataCorrupted } from './errors.js';
import { decodeIntegers, encodeIntegers, integersEncodable } from './integer-codec.js';
import { fixedFromBytes } from './fixed-bytes.js';
import { layoutWidth } from './layout-code.js';
import {
  decodeDictionary,
  decodePlainStrings,
  dictionaryCodes,
  encodeDictionary,
  encodePlainStrings,
} from './string-codec.js';
import type { DataType } from './types.js';
import { bitmapBytes, nullCount, packValidity, unpackValidity } from './validity-bitmap.js';
import { type FixedArray, type Vector, allocateFixed, dictionaryVector } from './vector.js';

export const encodings = ['plain', 'bits', 'integers', 'strings', 'dictionary', 'nulls'] as const;
export type Encoding = (typeof encodings)[number];

const twoTo32 = 4294967296;

/** The fixed values as float64 with NULL slots filled from a neighbour, so they cost no bits. */
function asFloat64(vector: Vector & { kind: 'fixed' }): Float64Array {
  const n = vector.length;
  const out = new Float64Array(n);
  const values = vector.values;
  if (values instanceof BigInt64Array) {
    const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
    for (let i = 0; i < n; i++) out[i] = (words[2 * i + 1] as number) * twoTo32 + ((words[2 * i] as number) >>> 0);
  } else {
    out.set(values as Float64Array);
  }
  const validity = vector.validity;
  if (validity !== null) {
    let fill = 0;
    for (let i = 0; i < n; i++) {
      if (validity[i] === 1) {
        fill = out[i] as number;
        break;
      }
    }
    for (let i = 0; i < n; i++) {
      if (validity[i] === 0) out[i] = fill;
      else fill = out[i] as number;
    }
  }
  return out;
}

/** True when every int8 value lies within ±2^52 (high word within ±2^20). */
function int64Encodable(values: BigInt64Array, n: number): boolean {
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    const high = words[2 * i + 1] as number;
    if (high >= 1 << 20 || high < -(1 << 20)) return false;
  }
  return true;
}

/** The encoding used, and for a dictionary its entries (see EncodedBlock.distinct). */
function encodeValues(vector: Vector, out: ByteWriter): Encoding | { readonly entries: string[] } {
  const n = vector.length;
  if (vector.kind === 'string') {
    const dictionary = dictionaryCodes(vector.values, n, vector.validity);
    if (dictionary !== null) {
      encodeDictionary(dictionary.entries, dictionary.codes, out);
      return { entries: dictionary.entries };
    }
    encodePlainStrings(vector.values, n, out);
    return 'strings';
  }
  const layout = vector.type.layout;
  if (layout === 'bool') {
    const bits = new Uint32Array(n);
    const values = vector.values as Uint8Array;
    for (let i = 0; i < n; i++) bits[i] = values[i] === 0 ? 0 : 1;
    out.bytesOf(pack(bits, n, 1));
    return 'bits';
  }
  const integral =
    layout === 'int16' ||
    layout === 'int32' ||
    (layout === 'int64' && int64Encodable(vector.values as BigInt64Array, n)) ||
    layout === 'float64';
  if (integral) {
    const doubles = asFloat64(vector);
    const mark = out.length;
    if ((layout !== 'float64' || integersEncodable(doubles, n)) && encodeIntegers(doubles, n, out)) return 'integers';
    out.length = mark;
  }
  out.typed(vector.values.subarray(0, n));
  return 'plain';
}

const encodingIds: Record<Encoding, number> = { plain: 1, bits: 2, integers: 3, strings: 4, dictionary: 5, nulls: 6 };

export interface EncodedBlock {
  readonly bytes: Uint8Array;
  readonly encoding: Encoding;
  readonly nullCount: number;
  /** Dictionary blocks: every distinct non-NULL value, first seen first (zone maps need no row pass). */
  readonly distinct?: readonly string[];
}

export function encodeBlock(vector: Vector): EncodedBlock {
  const n = vector.length;
  const nulls = nullCount(vector.validity, n);
  const out = new ByteWriter(64 + n * (vector.kind === 'string' ? 8 : layoutWidth(vector.type.layout)));
  if (n > 0 && nulls === n) {
    out.u8(encodingIds.nulls);
    out.u8(0);
    return { bytes: out.finish(), encoding: 'nulls', nullCount: nulls };
  }
  const at = out.length;
  out.u8(0);
  out.u8(nulls > 0 ? 1 : 0);
  if (nulls > 0) out.bytesOf(packValidity(vector.validity as Uint8Array, n));
  const used = encodeValues(vector, out);
  const bytes = out.finish();
  if (typeof used === 'string') {
    bytes[at] = encodingIds[used];
    return { bytes, encoding: used, nullCount: nulls };
  }
  bytes[at] = encodingIds.dictionary;
  return { bytes, encoding: 'dictionary', nullCount: nulls, distinct: used.entries };
}

function toFixed(type: DataType, doubles: Float64Array): FixedArray {
  const n = doubles.length;
  const out = allocateFixed(type.layout, n);
  if (out instanceof BigInt64Array) {
    const words = new Int32Array(out.buffer, 0, n * 2);
    for (let i = 0; i < n; i++) {
      const v = doubles[i] as number;
      const high = Math.floor(v / twoTo32);
      words[2 * i] = v - high * twoTo32;
      words[2 * i + 1] = high;
    }
  } else {
    (out as Float64Array).set(doubles);
  }
  return out;
}

export function decodeBlock(bytes: Uint8Array, type: DataType, n: number): Vector {
  const reader = new ByteReader(bytes, 0, 'column block');
  const id = reader.u8();
  const flags = reader.u8();
  const validity = (flags & 1) !== 0 ? unpackValidity(reader.bytesOf(bitmapBytes(n)), n) : null;
  if (id === encodingIds.nulls) {
    const validityAll = new Uint8Array(n);
    if (type.layout === 'string') return { kind: 'string', type, length: n, values: new Array<string>(n).fill(''), validity: validityAll };
    return { kind: 'fixed', type, length: n, values: allocateFixed(type.layout, n), validity: validityAll };
  }
  if (type.layout === 'string') {
    if (id === encodingIds.strings) return { kind: 'string', type, length: n, values: decodePlainStrings(reader, n), validity };
    if (id !== encodingIds.dictionary) throw dataCorrupted(`encoding ${id} is not valid for a string column`);
    const { entries, codes } = decodeDictionary(reader, n);
    // NULL rows keep code 0, which is within the entries.
    return dictionaryVector(type, validity, entries, codes);
  }
  let values: FixedArray;
  if (id === encodingIds.plain) {
    values = fixedFromBytes(type.layout, reader.bytesOf(n * layoutWidth(type.layout)), n);
  } else if (id === encodingIds.bits && type.layout === 'bool') {
    const bits = new Uint32Array(n);
    unpack(reader.bytesOf(packedBytes(n, 1)), n, 1, bits);
    values = new Uint8Array(bits);
  } else if (id === encodingIds.integers && type.layout !== 'bool' && type.layout !== 'float32') {
    values = toFixed(type, decodeIntegers(reader, n));
  } else {
    throw dataCorrupted(`encoding ${id} is not valid for a ${type.layout} column`);
  }
  return { kind: 'fixed', type, length: n, values, validity };
}
