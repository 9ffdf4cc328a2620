/**
 * Bit-packing of unsigned 32-bit integers: value i occupies bits [i*width, (i+1)*width) of a
 * little-endian stream of 32-bit words. Width 0 stores nothing (all values zero).
 */

export function bitWidth(maxValue: number): number {
  return maxValue === 0 ? 0 : 32 - Math.clz32(maxValue);
}

export function packedBytes(count: number, width: number): number {
  return Math.ceil((count * width) / 32) * 4;
}

/** Packs `count` values (each < 2^width) into a new buffer of `packedBytes(count, width)` bytes. */
export function pack(values: Uint32Array, count: number, width: number): Uint8Array {
  const words = new Uint32Array(packedBytes(count, width) / 4);
  if (width === 0) return new Uint8Array(words.buffer);
  if (width === 32) {
    words.set(values.subarray(0, count));
    return new Uint8Array(words.buffer);
  }
  let bit = 0;
  for (let i = 0; i < count; i++, bit += width) {
    const v = values[i] as number;
    const word = bit >>> 5;
    const shift = bit & 31;
    words[word]! |= v << shift;
    if (shift + width > 32) words[word + 1]! |= v >>> (32 - shift);
  }
  return new Uint8Array(words.buffer);
}

/** Unpacks `count` values of `width` bits from `bytes` (any alignment) into `out`. */
export function unpack(bytes: Uint8Array, count: number, width: number, out: Uint32Array): void {
  if (width === 0) {
    out.fill(0, 0, count);
    return;
  }
  const byteLength = packedBytes(count, width);
  // Read as int32 so every intermediate stays a small integer for V8 (uint32 words above 2^31
  // would turn the loop into double arithmetic).
  const words =
    bytes.byteOffset % 4 === 0
      ? new Int32Array(bytes.buffer, bytes.byteOffset, byteLength / 4)
      : new Int32Array(new Uint8Array(bytes.subarray(0, byteLength)).buffer); // aligned copy
  if (width === 32) {
    out.set(new Uint32Array(words.buffer, words.byteOffset, count));
    return;
  }
  const kernel = unpackKernels[width] as UnpackKernel;
  const groups = count >>> 5;
  kernel(words, out, groups);
  const mask = (1 << width) - 1;
  let bit = groups * 32 * width;
  for (let i = groups * 32; i < count; i++, bit += width) {
    const word = bit >>> 5;
    const shift = bit & 31;
    let v = (words[word] as number) >>> shift;
    if (shift + width > 32) v |= (words[word + 1] as number) << (32 - shift);
    out[i] = v & mask;
  }
}

type UnpackKernel = (words: Int32Array, out: Uint32Array, groups: number) => void;

/**
 * One unrolled loop per width: 32 values take exactly `width` words, so every shift and mask in a
 * group of 32 is a constant. Generated once at load from the width alone (no data in the source).
 */
function unpackKernel(width: number): UnpackKernel {
  const mask = (1 << width) - 1;
  const lines: string[] = [];
  for (let j = 0; j < 32; j++) {
    const bit = j * width;
    const word = bit >>> 5;
    const shift = bit & 31;
    const low = shift === 0 ? `w[b + ${word}]` : `(w[b + ${word}] >>> ${shift})`;
    const value = shift + width > 32 ? `(${low} | (w[b + ${word + 1}] << ${32 - shift}))` : low;
    lines.push(`o[p + ${j}] = ${value} & ${mask};`);
  }
  const body = `for (let g = 0, b = 0, p = 0; g < groups; g++, b += ${width}, p += 32) {\n${lines.join('\n')}\n}`;
  return new Function('w', 'o', 'groups', body) as UnpackKernel;
}

const unpackKernels: UnpackKernel[] = Array.from({ length: 32 }, (_, width) => (width === 0 ? () => undefined : unpackKernel(width)));
