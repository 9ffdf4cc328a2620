/**
 * A growable byte buffer that backend messages are written into. Whole chunks are handed to the
 * socket with `take()`, which gives up ownership of the filled bytes (no copy) and starts a fresh
 * buffer, so many small messages become one socket write.
 */
const initialCapacityBytes = 64 * 1024;

/** Big-endian int32 at `at`; the caller has ensured the room. */
export function writeInt32At(buffer: Uint8Array, at: number, value: number): void {
  buffer[at] = value >>> 24;
  buffer[at + 1] = value >>> 16;
  buffer[at + 2] = value >>> 8;
  buffer[at + 3] = value;
}

export class OutputBuffer {
  buffer: Buffer = Buffer.allocUnsafe(initialCapacityBytes);
  length = 0;

  ensure(extraBytes: number): void {
    if (this.length + extraBytes > this.buffer.length) this.grow(this.length + extraBytes);
  }

  private grow(needed: number): void {
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  // Bytes are stored by hand: on this path Buffer's checked writeInt*BE calls cost more than the data.
  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  int16(value: number): void {
    this.ensure(2);
    const buffer = this.buffer;
    const at = this.length;
    buffer[at] = value >>> 8;
    buffer[at + 1] = value;
    this.length = at + 2;
  }

  int32(value: number): void {
    this.ensure(4);
    writeInt32At(this.buffer, this.length, value);
    this.length += 4;
  }

  bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** UTF-8 bytes of `text` without a prefix or terminator; returns the byte count. */
  utf8(text: string): number {
    const n = text.length;
    // Short ASCII strings (most column values) are cheaper to copy by hand than through write().
    if (n <= 24) {
      this.ensure(n * 3);
      const buffer = this.buffer;
      let at = this.length;
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        buffer[at++] = c;
      }
      if (i === n) {
        this.length = at;
        return n;
      }
    } else {
      this.ensure(n * 3);
    }
    const written = this.buffer.write(text, this.length, 'utf8');
    this.length += written;
    return written;
  }

  /** A NUL-terminated string; NULs inside (never valid in PostgreSQL text) are dropped. */
  cstring(text: string): void {
    this.utf8(text.includes('\0') ? text.replaceAll('\0', '') : text);
    this.byte(0);
  }

  /** An int32 length followed by the UTF-8 bytes of `text` (a DataRow cell, a parameter). */
  lengthPrefixedUtf8(text: string): void {
    this.ensure(4);
    const at = this.length;
    this.length += 4;
    const written = this.utf8(text);
    writeInt32At(this.buffer, at, written);
  }

  /** Starts a message: writes the type byte and reserves the length; returns the message start. */
  begin(type: number): number {
    this.ensure(5);
    const start = this.length;
    this.buffer[start] = type;
    this.length += 5;
    return start;
  }

  /** Completes a message begun at `start` by filling in its length. */
  end(start: number): void {
    writeInt32At(this.buffer, start + 1, this.length - start - 1);
  }

  /** Hands over the bytes written so far and starts an empty buffer. */
  take(): Buffer {
    const filled = this.buffer.subarray(0, this.length);
    const capacity = Math.max(initialCapacityBytes, Math.min(this.buffer.length, 1024 * 1024));
    this.buffer = Buffer.allocUnsafe(capacity);
    this.length = 0;
    return filled;
  }
}
