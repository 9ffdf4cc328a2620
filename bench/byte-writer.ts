/**
 * Appends ASCII text to a growable byte buffer without building JS strings: the CSV encoder's
 * output stage. Text pieces that repeat (dictionary values) are encoded once by `ascii()`.
 */

const INITIAL_BYTES = 1 << 16;

export function ascii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127) throw new RangeError(`not ASCII: ${JSON.stringify(text)}`);
    bytes[i] = code;
  }
  return bytes;
}

export class ByteWriter {
  private bytes = new Uint8Array(INITIAL_BYTES);
  length = 0;

  /** Makes room for `extra` more bytes. Callers reserve per row, then write unchecked. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(value: number): void {
    this.bytes[this.length++] = value;
  }

  piece(piece: Uint8Array): void {
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < piece.length; i++) bytes[at++] = piece[i] as number;
    this.length = at;
  }

  /** A non-negative integer below 2^53 in decimal. */
  uint(value: number): void {
    if (value < 10) {
      this.bytes[this.length++] = 48 + value;
      return;
    }
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let at = this.length + digits;
    this.length = at;
    let v = value;
    while (digits-- > 0) {
      const q = Math.floor(v / 10);
      this.bytes[--at] = 48 + (v - q * 10);
      v = q;
    }
  }

  /** Exactly two digits, 0..99. */
  twoDigits(value: number): void {
    const tens = Math.floor(value / 10);
    this.bytes[this.length++] = 48 + tens;
    this.bytes[this.length++] = 48 + value - tens * 10;
  }

  /** A copy of the bytes written so far, and a reset. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    out.set(this.bytes.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}
