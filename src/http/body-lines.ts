/**
 * Splits a JSON-lines body into lines, numbered from 1 as a text editor numbers them. The body is
 * decoded a slice of at most `decodeSliceBytes` at a time (cut after a newline), so no single
 * string grows with the body; a slice that is not valid UTF-8 is decoded line by line, and only
 * its bad lines are rejected (22021, as PostgreSQL reports invalid UTF-8).
 */
import { isUtf8 } from 'node:buffer';
import { DbError } from '../../storage/errors.js';
import { checkUtf8 } from '../server/utf8.js';
import { decodeSliceBytes } from './limits.js';

const NEWLINE = 10;

export interface LineSink {
  line(text: string, line: number): void;
  /** A line that cannot become text (invalid UTF-8, too long for a JS string). */
  bad(line: number, error: DbError): void;
}

/** Whether a line holds only JSON whitespace (blank lines are skipped, not errors). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function decodeLine(body: Buffer, start: number, end: number, line: number, sink: LineSink): void {
  if (end === start) return;
  const bytes = body.subarray(start, end);
  let text: string;
  try {
    if (!isUtf8(bytes)) checkUtf8(bytes);
    text = bytes.toString('utf8');
  } catch (error) {
    sink.bad(line, error instanceof DbError ? error : new DbError('54000', `line ${line} is too long (${end - start} bytes)`));
    return;
  }
  if (!isBlank(text)) sink.line(text, line);
}

/** Decodes and hands out the lines of the slice starting at `start`; returns where the next slice starts. */
function splitSlice(body: Buffer, start: number, firstLine: number, sink: LineSink, sliceBytes: number): { end: number; nextLine: number } {
  let line = firstLine;
  // A slice ends after the last newline within sliceBytes (or at the first newline past it).
  let end = Math.min(body.length, start + sliceBytes);
  if (end < body.length) {
    const lastNewline = body.lastIndexOf(NEWLINE, end - 1);
    end = lastNewline >= start ? lastNewline + 1 : body.indexOf(NEWLINE, end) + 1 || body.length;
  }
  const slice = body.subarray(start, end);
  if (end - start <= sliceBytes && isUtf8(slice)) {
    const texts = slice.toString('utf8').split('\n');
    // A slice that ends in a newline splits into a last empty string, which is no line.
    const count = body[end - 1] === NEWLINE ? texts.length - 1 : texts.length;
    for (let i = 0; i < count; i++) {
      const text = texts[i] as string;
      if (text.length > 0 && !isBlank(text)) sink.line(text, line);
      line++;
    }
  } else {
    let lineStart = start;
    while (lineStart < end) {
      const newline = body.indexOf(NEWLINE, lineStart);
      const lineEnd = newline < 0 || newline >= end ? end : newline;
      decodeLine(body, lineStart, lineEnd, line, sink);
      line++;
      lineStart = lineEnd + 1;
    }
  }
  return { end, nextLine: line };
}

/** Where the text of a body starts: after a UTF-8 byte order mark, which editors on Windows write. */
export function textStart(body: Buffer): number {
  return body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
}

/** Calls `sink` for every non-blank line of `body`, in order; returns the number of lines. */
export function splitLines(body: Buffer, sink: LineSink, sliceBytes = decodeSliceBytes): number {
  let line = 1;
  for (let start = textStart(body); start < body.length; ) {
    const next = splitSlice(body, start, line, sink, sliceBytes);
    start = next.end;
    line = next.nextLine;
  }
  return line - 1;
}

/**
 * splitLines giving the event loop a turn between slices, so a large body does not hold up other
 * requests and queries while it is converted.
 */
export async function splitLinesYielding(body: Buffer, sink: LineSink, sliceBytes = decodeSliceBytes): Promise<number> {
  let line = 1;
  for (let start = textStart(body); start < body.length; ) {
    const next = splitSlice(body, start, line, sink, sliceBytes);
    start = next.end;
    line = next.nextLine;
    if (start < body.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return line - 1;
}
