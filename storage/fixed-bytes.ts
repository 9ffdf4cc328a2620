/** Typed arrays from little-endian bytes of any alignment (files are read into unaligned buffers). */
import type { Layout } from './types.js';
import { type FixedArray, allocateFixed } from './vector.js';

/** A new typed array of `count` values copied from `bytes`. */
export function fixedFromBytes(layout: Layout, bytes: Uint8Array, count: number): FixedArray {
  const out = allocateFixed(layout, count);
  new Uint8Array(out.buffer, 0, out.byteLength).set(bytes.subarray(0, out.byteLength));
  return out;
}

// Files store typed arrays as little-endian bytes and view them directly.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian platforms are not supported');
