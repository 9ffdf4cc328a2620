/**
 * The text and CSV formats of COPY FROM, read as PostgreSQL 15's copyfromparse.c reads them:
 * bytes arrive in arbitrary pieces; each complete record is split into fields (text: backslash
 * escapes and the null string compared before de-escaping; CSV: quotes, doubled quotes or the
 * ESCAPE character, the null string only unquoted unless FORCE_NULL) and handed to `onRecord` in
 * reused arrays, so no object is made per row. `\.` alone on a line ends the data.
 */
import { DbError } from '../../../storage/errors.js';
import type { CopyFormat } from './copy-options.js';

/** A record longer than this is refused rather than buffered (PostgreSQL's limit is 1 GB). */
export const maxRecordChars = 64 * 1024 * 1024;

export const badCopyFormat = (message: string, hint?: string) => new DbError('22P04', message, hint === undefined ? {} : { hint });

export interface RecordSink {
  /**
   * One record: `fields[0..count)` with `nulls[i]` = 1 for NULL (its field text is then '').
   * `quoted[i]` = 1 when a CSV field was quoted. `line` is the 1-based line number; `lineText()`
   * gives the raw record for error context.
   */
  onRecord(count: number, line: number, lineText: () => string): void;
}

export class CopyTextReader {
  readonly fields: string[];
  readonly nulls: Uint8Array;
  readonly quoted: Uint8Array;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private pendingBytes: Uint8Array | null = null;
  /** Text of an incomplete record (CSV quoted newline) carried to the next piece. */
  private pendingText = '';
  private line = 0;
  private headerPending: boolean;
  private ended = false;
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly escape: number;
  private readonly csv: boolean;

  constructor(
    private readonly format: CopyFormat,
    private readonly maxFields: number,
    private readonly sink: RecordSink,
    private readonly onHeader: (names: readonly string[], nulls: Uint8Array, line: number, lineText: string) => void,
    /** The table's name, for error context. */
    private readonly tableName: string,
  ) {
    this.csv = format.kind === 'csv';
    this.delimiter = format.delimiter.charCodeAt(0);
    this.quote = format.quote.charCodeAt(0);
    this.escape = format.escape.charCodeAt(0);
    this.headerPending = format.header !== false;
    // One slot more than the columns, so "extra data" is seen without growing the arrays.
    this.fields = new Array<string>(maxFields + 1).fill('');
    this.nulls = new Uint8Array(maxFields + 1);
    this.quoted = new Uint8Array(maxFields + 1);
  }

  /** The line number of the last record read (for errors raised after it). */
  get lineNumber(): number {
    return this.line;
  }

  push(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    let data = bytes;
    if (this.pendingBytes !== null) {
      data = new Uint8Array(this.pendingBytes.length + bytes.length);
      data.set(this.pendingBytes);
      data.set(bytes, this.pendingBytes.length);
      this.pendingBytes = null;
    }
    const lastNewline = data.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      this.pendingBytes = data.slice();
      this.checkPendingSize();
      return;
    }
    if (lastNewline + 1 < data.length) this.pendingBytes = data.slice(lastNewline + 1);
    this.consume(this.decode(data.subarray(0, lastNewline + 1)), false);
  }

  /** End of input: a last record without a newline is read too. */
  end(): void {
    if (this.ended) return;
    const rest = this.pendingBytes === null ? '' : this.decode(this.pendingBytes);
    this.pendingBytes = null;
    this.consume(rest, true);
    if (this.pendingText !== '') {
      // Only an unterminated quoted CSV field leaves text behind at the end.
      this.line++;
      throw this.withLine(badCopyFormat('unterminated CSV quoted field'), this.pendingText);
    }
  }

  private checkPendingSize(): void {
    const size = (this.pendingBytes?.length ?? 0) + this.pendingText.length;
    if (size > maxRecordChars) throw new DbError('54000', `COPY record is too long (over ${maxRecordChars} bytes)`);
  }

  private decode(bytes: Uint8Array): string {
    try {
      return this.decoder.decode(bytes);
    } catch {
      const bad = firstInvalidUtf8(bytes);
      throw new DbError('22021', `invalid byte sequence for encoding "UTF8": ${bad}`, { where: `COPY ${this.tableName}, line ${this.line + 1}` });
    }
  }

  private consume(decoded: string, atEnd: boolean): void {
    const text = this.pendingText === '' ? decoded : this.pendingText + decoded;
    this.pendingText = '';
    let pos = 0;
    const n = text.length;
    while (pos < n && !this.ended) {
      const next = this.csv ? this.csvRecord(text, pos, atEnd) : this.textRecord(text, pos);
      if (next < 0) {
        this.pendingText = text.slice(pos);
        this.checkPendingSize();
        return;
      }
      pos = next;
    }
  }

  /** Reads one text-format record starting at `start`; returns where the next one starts. */
  private textRecord(text: string, start: number): number {
    let eol = text.indexOf('\n', start);
    const next = eol < 0 ? text.length : eol + 1;
    if (eol < 0) eol = text.length;
    let end = eol;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    this.line++;
    if (end - start === 2 && text.charCodeAt(start) === 0x5c && text.charCodeAt(start + 1) === 0x2e) {
      this.ended = true;
      return text.length;
    }
    const fields = this.fields;
    const nulls = this.nulls;
    const delimiter = this.delimiter;
    const nullText = this.format.nullText;
    const limit = this.maxFields + 1;
    let count = 0;
    let fieldStart = start;
    for (;;) {
      // Find the field's end, noting whether it holds escapes.
      let i = fieldStart;
      let escaped = false;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (c === delimiter) break;
        if (c === 0x5c) {
          escaped = true;
          i += 2;
          continue;
        }
        if (c === 0x0d) {
          throw this.withLine(badCopyFormat('literal carriage return found in data', 'Use "\\r" to represent carriage return.'), null);
        }
        i++;
      }
      if (i > end) i = end;
      if (count < limit) {
        const raw = text.slice(fieldStart, i);
        if (raw === nullText) {
          fields[count] = '';
          nulls[count] = 1;
        } else {
          fields[count] = escaped ? unescapeText(raw) : raw;
          nulls[count] = 0;
        }
      }
      count++;
      if (i >= end) break;
      fieldStart = i + 1;
    }
    this.emit(count, start, end, text);
    return next;
  }

  /** Reads one CSV record; returns where the next starts, or -1 when it is not complete yet. */
  private csvRecord(text: string, start: number, atEnd: boolean): number {
    const n = text.length;
    const fields = this.fields;
    const nulls = this.nulls;
    const quoted = this.quoted;
    const { delimiter, quote } = this;
    const nullText = this.format.nullText;
    const limit = this.maxFields + 1;
    // `\.` alone on a line ends the data, as in PostgreSQL.
    if (text.charCodeAt(start) === 0x5c && text.charCodeAt(start + 1) === 0x2e) {
      const after = text.charCodeAt(start + 2);
      if (start + 2 === n || after === 0x0a || (after === 0x0d && text.charCodeAt(start + 3) === 0x0a) || (after === 0x0d && start + 3 === n)) {
        this.line++;
        this.ended = true;
        return n;
      }
    }
    let count = 0;
    let i = start;
    for (;;) {
      let value: string;
      let wasQuoted = false;
      const fieldStart = i;
      if (text.charCodeAt(i) === quote && i < n) {
        wasQuoted = true;
        const close = this.closingQuote(text, i + 1, atEnd);
        if (close === -1) return -1;
        if (close === -2) {
          this.line++;
          throw this.withLine(badCopyFormat('unterminated CSV quoted field'), text.slice(start));
        }
        const parts = this.quotedValue(text, i + 1, close);
        i = close + 1;
        // Text after the closing quote up to the delimiter belongs to the field, as in PostgreSQL.
        const tail = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === delimiter || c === 0x0a || c === 0x0d) break;
          if (c === quote) break;
          i++;
        }
        value = tail === i ? parts : parts + text.slice(tail, i);
        if (i < n && text.charCodeAt(i) === quote) {
          // A second quoted section in the same field ("a"b"c"): keep reading it as PostgreSQL does.
          return this.csvRecordSlow(text, start, atEnd);
        }
      } else {
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === delimiter || c === 0x0a || c === 0x0d) break;
          if (c === quote) return this.csvRecordSlow(text, start, atEnd);
          i++;
        }
        if (i >= n && !atEnd) return -1;
        value = text.slice(fieldStart, i);
      }
      if (count < limit) {
        if (!wasQuoted && value === nullText) {
          fields[count] = '';
          nulls[count] = 1;
        } else {
          fields[count] = value;
          nulls[count] = 0;
        }
        quoted[count] = wasQuoted ? 1 : 0;
      }
      count++;
      if (i >= n) {
        if (!atEnd) return -1;
        this.line++;
        this.emit(count, start, i, text);
        return n;
      }
      const c = text.charCodeAt(i);
      if (c === delimiter) {
        i++;
        if (i >= n && !atEnd) return -1;
        if (i >= n) {
          if (count < limit) {
            fields[count] = '';
            nulls[count] = nullText === '' ? 1 : 0;
            quoted[count] = 0;
          }
          count++;
          this.line++;
          this.emit(count, start, i, text);
          return n;
        }
        continue;
      }
      // End of record: \n or \r\n.
      let end = i;
      if (c === 0x0d) {
        if (i + 1 >= n && !atEnd) return -1;
        if (i + 1 < n && text.charCodeAt(i + 1) === 0x0a) i += 2;
        else {
          this.line++;
          throw this.withLine(badCopyFormat('unquoted carriage return found in data', 'Use quoted CSV field to represent carriage return.'), null);
        }
      } else i++;
      this.line++;
      this.emit(count, start, end, text);
      return i;
    }
  }

  /**
   * The index of the quote that closes a field whose text starts at `from`: -1 when the text ends
   * before it is known, -2 when the input ends inside the field. Doubled quotes (or ESCAPE + quote,
   * ESCAPE + ESCAPE) are skipped; the search itself is the native indexOf.
   */
  private closingQuote(text: string, from: number, atEnd: boolean): number {
    const n = text.length;
    const { quote, escape } = this;
    if (escape === quote) {
      const q = this.format.quote;
      let j = from;
      for (;;) {
        j = text.indexOf(q, j);
        if (j < 0) return atEnd ? -2 : -1;
        if (j + 1 >= n) return atEnd ? j : -1;
        if (text.charCodeAt(j + 1) !== quote) return j;
        j += 2;
      }
    }
    for (let j = from; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === escape) {
        if (j + 1 >= n) return atEnd ? -2 : -1;
        const d = text.charCodeAt(j + 1);
        if (d === quote || d === escape) j++;
      } else if (c === quote) return j;
    }
    return atEnd ? -2 : -1;
  }

  /** The text of a quoted field between `from` and its closing quote, escapes undone. */
  private quotedValue(text: string, from: number, close: number): string {
    const raw = text.slice(from, close);
    const { quote, escape } = this;
    if (escape === quote) return raw.indexOf(this.format.quote) < 0 ? raw : raw.replaceAll(this.format.quote + this.format.quote, this.format.quote);
    if (raw.indexOf(this.format.escape) < 0) return raw;
    let out = '';
    for (let j = 0; j < raw.length; j++) {
      const c = raw.charCodeAt(j);
      const d = raw.charCodeAt(j + 1);
      if (c === escape && (d === quote || d === escape)) {
        out += raw[j + 1];
        j++;
      } else out += raw[j];
    }
    return out;
  }

  /** Fields with quotes in the middle: a character-by-character reading (rare). */
  private csvRecordSlow(text: string, start: number, atEnd: boolean): number {
    const n = text.length;
    const { delimiter, quote, escape } = this;
    const nullText = this.format.nullText;
    const limit = this.maxFields + 1;
    let count = 0;
    let i = start;
    let value = '';
    let inQuote = false;
    let wasQuoted = false;
    const finishField = () => {
      if (count < limit) {
        const isNull = !wasQuoted && value === nullText;
        this.fields[count] = isNull ? '' : value;
        this.nulls[count] = isNull ? 1 : 0;
        this.quoted[count] = wasQuoted ? 1 : 0;
      }
      count++;
      value = '';
      wasQuoted = false;
    };
    for (;;) {
      if (i >= n) {
        if (!atEnd) return -1;
        if (inQuote) {
          this.line++;
          throw this.withLine(badCopyFormat('unterminated CSV quoted field'), text.slice(start));
        }
        finishField();
        this.line++;
        this.emit(count, start, n, text);
        return n;
      }
      const c = text.charCodeAt(i);
      if (inQuote) {
        if (c === escape && i + 1 < n && (text.charCodeAt(i + 1) === quote || (escape !== quote && text.charCodeAt(i + 1) === escape))) {
          value += text[i + 1];
          i += 2;
        } else if (c === quote) {
          inQuote = false;
          i++;
        } else {
          value += text[i];
          i++;
        }
        continue;
      }
      if (c === quote) {
        inQuote = true;
        wasQuoted = true;
        i++;
      } else if (c === delimiter) {
        finishField();
        i++;
      } else if (c === 0x0a || c === 0x0d) {
        const end = i;
        if (c === 0x0d) {
          if (i + 1 < n && text.charCodeAt(i + 1) === 0x0a) i++;
          else {
            this.line++;
            throw this.withLine(badCopyFormat('unquoted carriage return found in data', 'Use quoted CSV field to represent carriage return.'), null);
          }
        }
        finishField();
        this.line++;
        this.emit(count, start, end, text);
        return i + 1;
      } else {
        value += text[i];
        i++;
      }
    }
  }

  private emit(count: number, start: number, end: number, text: string): void {
    if (this.headerPending) {
      this.headerPending = false;
      if (this.format.header === 'match') this.onHeader(this.fields.slice(0, Math.min(count, this.maxFields + 1)), this.nulls, this.line, text.slice(start, end));
      return;
    }
    this.sink.onRecord(count, this.line, () => text.slice(start, end));
  }

  /** Errors found while reading a line name it (PostgreSQL shows its text only once it was read whole). */
  private withLine(error: DbError, lineText: string | null): DbError {
    const where = lineText === null ? `COPY ${this.tableName}, line ${this.line}` : copyLineContext(this.tableName, this.line, lineText);
    return new DbError(error.code, error.message, { ...error.fields, where }, error.severity);
  }
}

/** PostgreSQL's error context for a whole line: `COPY t, line 3: "..."`. */
export function copyLineContext(table: string, line: number, lineText: string): string {
  return `COPY ${table}, line ${line}: "${limitPrintout(lineText)}"`;
}

/** PostgreSQL shows at most 100 bytes of a value in COPY's error context. */
export function limitPrintout(text: string): string {
  return text.length <= 100 ? text : `${text.slice(0, 100)}...`;
}

/** Text format escapes: \b \f \n \r \t \v, octal \ooo, hex \xhh, anything else stands for itself. */
export function unescapeText(raw: string): string {
  let out = '';
  let from = 0;
  const n = raw.length;
  let i = raw.indexOf('\\');
  while (i >= 0 && i < n) {
    out += raw.slice(from, i);
    if (i + 1 >= n) {
      // A trailing backslash stands for itself.
      out += '\\';
      from = n;
      break;
    }
    const c = raw[i + 1] as string;
    let next = i + 2;
    switch (c) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        let j = i + 2;
        let value = 0;
        while (j < n && j < i + 4 && /[0-9a-fA-F]/.test(raw[j] as string)) value = value * 16 + parseInt(raw[j++] as string, 16);
        if (j === i + 2) out += 'x';
        else out += byteChar(value);
        next = j;
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          let j = i + 1;
          let value = 0;
          while (j < n && j < i + 4 && raw[j]! >= '0' && raw[j]! <= '7') value = value * 8 + (raw.charCodeAt(j++) - 48);
          out += byteChar(value & 0xff);
          next = j;
        } else out += c;
    }
    from = next;
    i = raw.indexOf('\\', next);
  }
  return out + raw.slice(from);
}

function byteChar(value: number): string {
  if (value === 0) throw new DbError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
  if (value >= 0x80) throw new DbError('22021', `invalid byte sequence for encoding "UTF8": 0x${value.toString(16).padStart(2, '0')}`);
  return String.fromCharCode(value);
}

/** PostgreSQL names the first bad byte(s) of invalid UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) ok = false;
    if (!ok) {
      const shown = Array.from(bytes.subarray(i, Math.min(bytes.length, i + Math.max(len, 1))), (x) => `0x${x.toString(16).padStart(2, '0')}`);
      return shown.join(' ');
    }
    i += len;
  }
  return '0x00';
}
