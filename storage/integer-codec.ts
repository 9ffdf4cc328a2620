/**
 * Light encoding of integer sequences (int2/int4/int8/date and integer-valued float8 such as
 * timestamps), computed in float64 so int8 and µs timestamps need no BigInt.
 *
 *   frame of reference:  x[i] = v[i] - min                      (n values)
 *   delta:               x[i] = (v[i] - v[i-1]) - minDelta, i>0  (n-1 values; suits sorted data)
 *
 * The mode with fewer bits wins. Each x (< 2^53) is split into a low 32-bit part and a high part,
 * both bit-packed at the width they need, so small ranges cost a few bits per value.
 *
 * Layout: u8 mode | u8 low width | u8 high width | f64 base | f64 minDelta | low words | high words
 */
import { bitWidth, pack, packedBytes, unpack } from './bit-pack.js';
import type { ByteReader, ByteWriter } from './byte-buffer.js';
import { dataCorrupted } from './errors.js';

const twoTo32 = 4294967296;
/** Values beyond ±2^52 are not encoded this way: differences could leave the exact range. */
export const maxEncodableMagnitude = 2 ** 52;

const modeFrame = 0;
const modeDelta = 1;

interface Plan {
  readonly mode: number;
  readonly bits: number;
  readonly lowWidth: number;
  readonly highWidth: number;
}

function plan(mode: number, count: number, maxX: number): Plan {
  if (maxX > Number.MAX_SAFE_INTEGER) return { mode, bits: Infinity, lowWidth: 0, highWidth: 0 };
  const lowWidth = maxX < twoTo32 ? bitWidth(maxX) : 32;
  const highWidth = maxX < twoTo32 ? 0 : bitWidth(Math.floor(maxX / twoTo32));
  return { mode, bits: count * (lowWidth + highWidth), lowWidth, highWidth };
}

/** True when every value is an integer the codec can hold exactly (-0 excluded: it would become 0). */
export function integersEncodable(values: Float64Array, count: number): boolean {
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v > maxEncodableMagnitude || v < -maxEncodableMagnitude || Object.is(v, -0)) return false;
  }
  return true;
}

/** Encodes `count` integer values; false (nothing written) when no mode can hold them exactly. */
export function encodeIntegers(values: Float64Array, count: number, out: ByteWriter): boolean {
  let min = Infinity;
  let max = -Infinity;
  let minDelta = Infinity;
  let maxDelta = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (i > 0) {
      const d = v - (values[i - 1] as number);
      if (d < minDelta) minDelta = d;
      if (d > maxDelta) maxDelta = d;
    }
  }
  if (count === 0) min = max = 0;
  const frame = plan(modeFrame, count, max - min);
  const delta = count > 1 ? plan(modeDelta, count - 1, maxDelta - minDelta) : frame;
  const chosen = delta.bits < frame.bits ? delta : frame;
  if (chosen.bits === Infinity) return false;
  const m = chosen.mode === modeDelta ? count - 1 : count;
  const low = new Uint32Array(m);
  const high = chosen.highWidth > 0 ? new Uint32Array(m) : null;
  for (let i = 0; i < m; i++) {
    const x =
      chosen.mode === modeDelta
        ? (values[i + 1] as number) - (values[i] as number) - minDelta
        : (values[i] as number) - min;
    const lo = x % twoTo32;
    low[i] = lo;
    if (high !== null) high[i] = (x - lo) / twoTo32;
  }
  out.u8(chosen.mode);
  out.u8(chosen.lowWidth);
  out.u8(chosen.highWidth);
  out.f64(chosen.mode === modeDelta ? (values[0] as number) : min);
  out.f64(chosen.mode === modeDelta ? minDelta : 0);
  out.bytesOf(pack(low, m, chosen.lowWidth));
  if (high !== null) out.bytesOf(pack(high, m, chosen.highWidth));
  return true;
}

export function decodeIntegers(reader: ByteReader, count: number): Float64Array {
  const mode = reader.u8();
  const lowWidth = reader.u8();
  const highWidth = reader.u8();
  const base = reader.f64();
  const minDelta = reader.f64();
  if ((mode !== modeFrame && mode !== modeDelta) || lowWidth > 32 || highWidth > 21) {
    throw dataCorrupted(`invalid integer encoding header (mode ${mode}, widths ${lowWidth}/${highWidth})`);
  }
  const out = new Float64Array(count);
  if (count === 0) return out;
  const m = mode === modeDelta ? count - 1 : count;
  const low = new Uint32Array(m);
  unpack(reader.bytesOf(packedBytes(m, lowWidth)), m, lowWidth, low);
  let high: Uint32Array | null = null;
  if (highWidth > 0) {
    high = new Uint32Array(m);
    unpack(reader.bytesOf(packedBytes(m, highWidth)), m, highWidth, high);
  }
  if (mode === modeFrame) {
    if (high === null) for (let i = 0; i < m; i++) out[i] = base + (low[i] as number);
    else for (let i = 0; i < m; i++) out[i] = base + (low[i] as number) + (high[i] as number) * twoTo32;
  } else {
    let v = base;
    out[0] = v;
    if (high === null) {
      for (let i = 0; i < m; i++) out[i + 1] = v += minDelta + (low[i] as number);
    } else {
      for (let i = 0; i < m; i++) out[i + 1] = v += minDelta + (low[i] as number) + (high[i] as number) * twoTo32;
    }
  }
  return out;
}
