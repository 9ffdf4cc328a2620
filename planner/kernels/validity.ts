/** Validity (NULL) bitmaps as one byte per row: combining, counting, building. */

/** Rows valid in both; null means "all valid". */
export function andValidity(a: Uint8Array | null, b: Uint8Array | null, length: number): Uint8Array | null {
  if (a === null) return b === null ? null : b.slice(0, length);
  if (b === null) return a.slice(0, length);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (a[i] as number) & (b[i] as number);
  return out;
}

export function allValid(validity: Uint8Array | null, row: number): boolean {
  return validity === null || validity[row] === 1;
}

/** null when every row is valid, so kernels can take their fast path. */
export function normalizeValidity(validity: Uint8Array | null, length: number): Uint8Array | null {
  if (validity === null) return null;
  for (let i = 0; i < length; i++) if (validity[i] === 0) return validity;
  return null;
}
