/**
 * COPY's binary format (as pgx's CopyFrom and psycopg's binary copy send it): the PGCOPY
 * signature, flags and header extension, then per tuple an int16 field count and per field an
 * int32 length (-1 for NULL) and the value in the type's binary send format; -1 ends the data.
 */
import { DbError } from '../../../storage/errors.js';
import { badCopyFormat, maxRecordChars } from './copy-text-reader.js';

const signature = Uint8Array.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);

/** What the binary reader needs from COPY FROM (see CopyFrom). */
export interface BinaryRecordSink {
  setBinary(column: number, bytes: Uint8Array, line: number): void;
  setNull(column: number, line: number, lineText: () => string): void;
  endRow(line: number): void;
}

export class CopyBinaryReader {
  private buffer = new Uint8Array(0);
  private headerRead = false;
  private ended = false;
  private line = 0;

  constructor(
    private readonly columnCount: number,
    private readonly tableName: string,
    private readonly sink: BinaryRecordSink,
  ) {}

  push(bytes: Uint8Array): void {
    if (this.ended) {
      if (bytes.length > 0) throw badCopyFormat('received copy data after EOF marker');
      return;
    }
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    const used = this.consume(joined);
    this.buffer = joined.slice(used);
    if (this.buffer.length > maxRecordChars) throw new DbError('54000', `COPY record is too long (over ${maxRecordChars} bytes)`);
  }

  end(): void {
    if (!this.ended) {
      // PostgreSQL accepts data that stops after a whole tuple without the trailer.
      if (this.buffer.length > 0 || !this.headerRead) throw this.context(badCopyFormat('unexpected EOF in COPY data'));
    }
  }

  /** Reads whole tuples from `data`; returns the bytes used. */
  private consume(data: Uint8Array): number {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let pos = 0;
    if (!this.headerRead) {
      if (data.length < signature.length + 8) return 0;
      for (let i = 0; i < signature.length; i++) if (data[i] !== signature[i]) throw badCopyFormat('COPY file signature not recognized');
      const flags = view.getInt32(11);
      if ((flags & (1 << 16)) !== 0) throw badCopyFormat('invalid COPY file header (WITH OIDS)');
      if ((flags & 0xffff0000 & ~(1 << 16)) !== 0) throw badCopyFormat('unrecognized critical flags in COPY file header');
      const extension = view.getInt32(15);
      if (extension < 0) throw badCopyFormat('invalid COPY file header (missing length)');
      if (data.length < 19 + extension) return 0;
      pos = 19 + extension;
      this.headerRead = true;
    }
    const n = this.columnCount;
    while (!this.ended) {
      if (pos + 2 > data.length) return pos;
      const count = view.getInt16(pos);
      if (count === -1) {
        this.ended = true;
        pos += 2;
        if (pos < data.length) throw badCopyFormat('received copy data after EOF marker');
        return pos;
      }
      // A tuple is read only when it is whole, so a half tuple never reaches the builders.
      let end = pos + 2;
      for (let f = 0; f < count; f++) {
        if (end + 4 > data.length) return pos;
        const length = view.getInt32(end);
        if (length < -1) throw this.context(badCopyFormat('invalid field size'), this.line + 1);
        end += 4 + Math.max(0, length);
        if (end > data.length) return pos;
      }
      this.line++;
      if (count !== n) throw this.context(badCopyFormat(`row field count is ${count}, expected ${n}`));
      let at = pos + 2;
      for (let f = 0; f < n; f++) {
        const length = view.getInt32(at);
        at += 4;
        if (length === -1) {
          this.sink.setNull(f, this.line, () => '');
          continue;
        }
        this.sink.setBinary(f, data.subarray(at, at + length), this.line);
        at += length;
      }
      this.sink.endRow(this.line);
      pos = end;
    }
    return pos;
  }

  private context(error: DbError, line = this.line): DbError {
    return new DbError(error.code, error.message, { ...error.fields, where: `COPY ${this.tableName}, line ${line}` }, error.severity);
  }
}
