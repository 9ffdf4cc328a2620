/**
 * UTF-8 validation of client text, reported as PostgreSQL does: 22021 with the bytes of the first
 * invalid character (as many as its lead byte announces, up to the end of the input).
 */
import { isUtf8 } from 'node:buffer';
import { DbError } from '../../storage/errors.js';

export function checkUtf8(bytes: Uint8Array): void {
  // A NUL byte is valid UTF-8 but not a valid character in PostgreSQL text.
  if (isUtf8(bytes) && bytes.indexOf(0) < 0) return;
  throw invalidUtf8(bytes, firstInvalidUtf8(bytes));
}

/** Byte length a UTF-8 lead byte announces (PostgreSQL's pg_utf_mblen). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 1;
}

/** Offset of the first byte that does not start a valid UTF-8 character. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      if (lead === 0) return i;
      i++;
      continue;
    }
    const length = sequenceLength(lead);
    if (length === 1 || i + length > n) return i;
    const b1 = bytes[i + 1] as number;
    // Second-byte ranges exclude overlongs, surrogates and code points above U+10FFFF.
    let low = 0x80;
    let high = 0xbf;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
    else if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
    if (lead < 0xc2 || lead > 0xf4 || b1 < low || b1 > high) return i;
    for (let k = 2; k < length; k++) {
      const b = bytes[i + k] as number;
      if (b < 0x80 || b > 0xbf) return i;
    }
    i += length;
  }
  return n;
}

function invalidUtf8(bytes: Uint8Array, at: number): DbError {
  const lead = bytes[at] ?? 0;
  const end = Math.min(bytes.length, at + sequenceLength(lead));
  const shown: string[] = [];
  for (let i = at; i < end; i++) shown.push(`0x${(bytes[i] as number).toString(16).padStart(2, '0')}`);
  return new DbError('22021', `invalid byte sequence for encoding "UTF8": ${shown.join(' ')}`);
}
