/**
 * A read cursor over one frontend message body, with PostgreSQL's pq_getmsg* checks: a string
 * without its terminator, a count that overruns the message, or bytes left over at the end are
 * ERROR 08P01 (the session survives; the extended protocol then skips to Sync).
 */
import { protocolViolation } from '../../storage/errors.js';
import { checkUtf8 } from './utf8.js';

export class MessageCursor {
  private offset = 0;

  constructor(private readonly body: Buffer) {}

  get remaining(): number {
    return this.body.length - this.offset;
  }

  byte(): number {
    if (this.offset + 1 > this.body.length) throw protocolViolation('insufficient data left in message');
    return this.body[this.offset++] as number;
  }

  int16(): number {
    if (this.offset + 2 > this.body.length) throw protocolViolation('insufficient data left in message');
    const value = this.body.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  /** An unsigned 16-bit count, as PostgreSQL reads parameter and format counts. */
  uint16(): number {
    if (this.offset + 2 > this.body.length) throw protocolViolation('insufficient data left in message');
    const value = this.body.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    if (this.offset + 4 > this.body.length) throw protocolViolation('insufficient data left in message');
    const value = this.body.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** An unsigned 32-bit value, such as a type OID. */
  uint32(): number {
    if (this.offset + 4 > this.body.length) throw protocolViolation('insufficient data left in message');
    const value = this.body.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A NUL-terminated UTF-8 string; invalid UTF-8 is 22021 as in PostgreSQL. */
  cstring(): string {
    const end = this.body.indexOf(0, this.offset);
    if (end < 0) throw protocolViolation('invalid string in message');
    const bytes = this.body.subarray(this.offset, end);
    checkUtf8(bytes);
    this.offset = end + 1;
    return bytes.toString('utf8');
  }

  /** `length` raw bytes, shared with the message body (no copy). */
  bytes(length: number): Buffer {
    if (length < 0 || this.offset + length > this.body.length) {
      throw protocolViolation('insufficient data left in message');
    }
    const bytes = this.body.subarray(this.offset, this.offset + length);
    this.offset += length;
    return bytes;
  }

  /** PostgreSQL's pq_getmsgend: a message must be consumed exactly. */
  end(): void {
    if (this.offset !== this.body.length) throw protocolViolation('invalid message format');
  }
}
