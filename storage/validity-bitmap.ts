/**
 * Vectors keep validity as one byte per row; files keep it as a bitmap (bit i of byte i>>3,
 * 1 = valid), which is Arrow's layout and 8x smaller.
 */

export function nullCount(validity: Uint8Array | null, length: number): number {
  if (validity === null) return 0;
  let valid = 0;
  for (let i = 0; i < length; i++) valid += validity[i] as number;
  return length - valid;
}

export function bitmapBytes(length: number): number {
  return (length + 7) >>> 3;
}

export function packValidity(validity: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(bitmapBytes(length));
  for (let i = 0; i < length; i++) out[i >>> 3]! |= ((validity[i] as number) & 1) << (i & 7);
  return out;
}

export function unpackValidity(bitmap: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = ((bitmap[i >>> 3] as number) >>> (i & 7)) & 1;
  return out;
}
