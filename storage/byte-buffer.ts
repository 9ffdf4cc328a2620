/**
 * Little-endian binary writer and reader over Uint8Array, for WAL records and segment blocks.
 * The writer grows by doubling; `alignTo` lets typed-array payloads be viewed without copying.
 */
import { dataCorrupted } from './errors.js';

export class ByteWriter {
  private bytes: Buffer;
  private view: DataView;
  length = 0;

  constructor(initialCapacity = 256) {
    this.bytes = Buffer.alloc(Math.max(16, initialCapacity));
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = Buffer.alloc(capacity);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  u8(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  u16(value: number): void {
    this.ensure(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
  }

  u32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Pads with zeros so the next write starts at a multiple of `alignment`. */
  alignTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.ensure(pad);
    this.bytes.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  bytesOf(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /** Raw little-endian bytes of a typed array (the platform is little-endian; checked at load). */
  typed(array: ArrayBufferView): void {
    this.bytesOf(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  /** UTF-8 bytes of `text` without a length; returns the byte count. */
  utf8(text: string): number {
    this.ensure(text.length * 3);
    const n = this.bytes.write(text, this.length, 'utf8');
    this.length += n;
    return n;
  }

  /** u32 byte length, then UTF-8 bytes. */
  string(text: string): void {
    const at = this.length;
    this.u32(0);
    const n = this.utf8(text);
    this.view.setUint32(at, n, true);
  }

  setU32(position: number, value: number): void {
    this.view.setUint32(position, value, true);
  }

  /** The written bytes (a view; copy before further writes if it must outlive them). */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

export class ByteReader {
  private readonly view: DataView;
  readonly bytes: Buffer;
  offset: number;

  constructor(
    bytes: Uint8Array,
    offset = 0,
    private readonly what = 'record',
  ) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  private need(n: number): void {
    if (this.offset + n > this.bytes.length) {
      throw dataCorrupted(`${this.what} is truncated: needs ${n} bytes at offset ${this.offset} of ${this.bytes.length}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++] as number;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  skipTo(alignment: number): void {
    this.offset += (alignment - (this.offset % alignment)) % alignment;
  }

  /** A view of the next `n` bytes (no copy). */
  bytesOf(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A copy of the next `n` bytes in a fresh, aligned buffer. */
  copyOf(n: number): Uint8Array {
    return new Uint8Array(this.bytesOf(n)); // copies (Buffer#slice would not)
  }

  utf8(n: number): string {
    this.need(n);
    const s = this.bytes.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  string(): string {
    return this.utf8(this.u32());
  }
}
