/**
 * Splits the bytes of a connection into frontend messages. Before startup completes, packets are
 * untyped (`int32 length` + body); afterwards each message is `byte type` + `int32 length` + body.
 * Lengths are checked as soon as the header arrives, so a bogus length never makes us buffer;
 * a message's bytes are buffered only as they actually arrive. Every violation is FATAL 08P01:
 * the byte stream can no longer be trusted to be in step.
 */
import { DbError } from '../../storage/errors.js';
import { maxStartupPacketBytes, smallMessageLimitBytes } from './limits.js';

export interface Frame {
  /** The message type byte, or 0 for a startup-phase packet. */
  readonly type: number;
  /** The message body (without type and length), owned by the caller. */
  readonly body: Buffer;
}

/** Maximum body-plus-length size of each message type, or undefined for an unknown type. */
function typeLimit(type: number, maxMessageBytes: number): number | undefined {
  switch (type) {
    case 0x51: // Q Query
    case 0x50: // P Parse
    case 0x42: // B Bind
    case 0x46: // F FunctionCall
    case 0x64: // d CopyData
      return maxMessageBytes;
    case 0x45: // E Execute
    case 0x44: // D Describe
    case 0x43: // C Close
    case 0x48: // H Flush
    case 0x53: // S Sync
    case 0x58: // X Terminate
    case 0x63: // c CopyDone
    case 0x66: // f CopyFail
      return Math.min(smallMessageLimitBytes, maxMessageBytes);
    default:
      return undefined;
  }
}

export function fatalProtocolViolation(message: string): DbError {
  return new DbError('08P01', message, {}, 'FATAL');
}

export class FrameReader {
  private buffer: Buffer;
  private start = 0;
  private end = 0;
  /** True until the startup packet has been accepted. */
  startupPhase = true;

  constructor(private readonly maxMessageBytes: number) {
    this.buffer = Buffer.allocUnsafe(16 * 1024);
  }

  /** Bytes received and not yet returned as frames. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    const needed = this.end - this.start + chunk.length;
    if (this.end + chunk.length > this.buffer.length) {
      if (needed <= this.buffer.length && this.start > 0) {
        this.buffer.copy(this.buffer, 0, this.start, this.end);
      } else {
        let capacity = this.buffer.length;
        while (capacity < needed) capacity *= 2;
        const next = Buffer.allocUnsafe(capacity);
        this.buffer.copy(next, 0, this.start, this.end);
        this.buffer = next;
      }
      this.end -= this.start;
      this.start = 0;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The next complete frame, or null when more bytes are needed. Throws FATAL 08P01. */
  next(): Frame | null {
    const available = this.end - this.start;
    if (this.startupPhase) {
      if (available < 4) return null;
      const length = this.buffer.readInt32BE(this.start);
      if (length < 8 || length > maxStartupPacketBytes) {
        throw fatalProtocolViolation('invalid length of startup packet');
      }
      if (available < length) return null;
      return this.take(0, 4, length);
    }
    if (available < 1) return null;
    const type = this.buffer[this.start] as number;
    const limit = typeLimit(type, this.maxMessageBytes);
    if (limit === undefined) throw fatalProtocolViolation(`invalid frontend message type ${type}`);
    if (available < 5) return null;
    const length = this.buffer.readInt32BE(this.start + 1);
    if (length < 4 || length > limit) throw fatalProtocolViolation('invalid message length');
    if (available < length + 1) return null;
    return this.take(type, 5, length + 1);
  }

  private take(type: number, headerBytes: number, totalBytes: number): Frame {
    const body = Buffer.allocUnsafe(totalBytes - headerBytes);
    this.buffer.copy(body, 0, this.start + headerBytes, this.start + totalBytes);
    this.start += totalBytes;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // Give back the memory of a large message once it has been consumed.
      if (this.buffer.length > 1024 * 1024) this.buffer = Buffer.allocUnsafe(16 * 1024);
    }
    return { type, body };
  }
}
