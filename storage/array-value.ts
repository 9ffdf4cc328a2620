/**
 * One-dimensional arrays (lower bound 1). A value is held as a JSON array of its elements'
 * values in their vector form (int8 and numeric as strings, non-finite and negative-zero floats
 * as strings), so it is one string per row like text and jsonb, independent of session settings
 * (a timestamptz[] prints in the current TimeZone). The text form is array_in/array_out's, the
 * binary form array_send/array_recv's.
 */
import { DbError, featureNotSupported } from './errors.js';
import { elementType, type DataType, type Value } from './types.js';

type JsonElement = boolean | number | string | null;

function toJsonElement(value: Value, element: DataType): JsonElement {
  if (value === null) return null;
  switch (element.layout) {
    case 'bool':
      return value === true || value === 1;
    case 'int64':
      return String(value);
    case 'float32':
    case 'float64': {
      const n = value as number;
      return Number.isFinite(n) && !Object.is(n, -0) ? n : Object.is(n, -0) ? '-0' : String(n);
    }
    case 'int16':
    case 'int32':
      return value as number;
    case 'string':
      return value as string;
  }
}

function fromJsonElement(json: JsonElement, element: DataType): Value {
  if (json === null) return null;
  switch (element.layout) {
    case 'int64':
      return BigInt(json as string);
    case 'float32':
    case 'float64':
      return typeof json === 'string' ? (json === '-0' ? -0 : Number(json)) : json;
    default:
      return json;
  }
}

/** The stored form of an array of `element` values. */
export function encodeArray(values: readonly Value[], element: DataType): string {
  return JSON.stringify(values.map((v) => toJsonElement(v, element)));
}

/** The element values of a stored array. */
export function decodeArray(stored: string, element: DataType): Value[] {
  return (JSON.parse(stored) as JsonElement[]).map((j) => fromJsonElement(j, element));
}

/** The number of elements of a stored array, without decoding them. */
export function arrayLength(stored: string): number {
  return (JSON.parse(stored) as unknown[]).length;
}

function isArraySpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** array_out's quoting of one element's text. */
export function quoteArrayElement(text: string): string {
  let needsQuotes = text.length === 0 || text.toLowerCase() === 'null';
  for (let i = 0; i < text.length && !needsQuotes; i++) {
    const c = text[i] as string;
    if (c === '{' || c === '}' || c === ',' || c === '"' || c === '\\' || isArraySpace(c)) needsQuotes = true;
  }
  if (!needsQuotes) return text;
  return '"' + text.replace(/["\\]/g, (c) => '\\' + c) + '"';
}

/** array_out, given the element type's output function. */
export function formatArray(stored: string, type: DataType, formatElement: (element: DataType, value: Value) => string): string {
  const element = elementType(type) as DataType;
  const values = decodeArray(stored, element);
  const parts = values.map((v) => (v === null ? 'NULL' : quoteArrayElement(formatElement(element, v))));
  return '{' + parts.join(',') + '}';
}

const malformed = (text: string, detail: string) => new DbError('22P02', `malformed array literal: "${text}"`, { detail });

/**
 * array_in for one dimension: elements split at unquoted commas, double quotes and backslashes
 * escape, surrounding whitespace dropped, an unquoted NULL is a null element.
 */
export function parseArrayText(text: string, type: DataType, parseElement: (element: DataType, text: string) => Value): string {
  const element = elementType(type) as DataType;
  let i = 0;
  while (i < text.length && isArraySpace(text[i] as string)) i++;
  if (text[i] === '[') throw featureNotSupported('array dimension decorations (arrays start at 1)');
  if (text[i] !== '{') throw malformed(text, 'Array value must start with "{" or dimension information.');
  i++;
  const values: Value[] = [];
  let expectElement = true;
  let first = true;
  for (;;) {
    while (i < text.length && isArraySpace(text[i] as string)) i++;
    if (i >= text.length) throw malformed(text, 'Unexpected end of input.');
    const c = text[i] as string;
    if (c === '}') {
      if (expectElement && !first) throw malformed(text, 'Unexpected "}" character.');
      i++;
      break;
    }
    if (c === '{') throw featureNotSupported('multidimensional arrays');
    if (!expectElement) {
      if (c !== ',') throw malformed(text, 'Expected "," or "}" character.');
      i++;
      expectElement = true;
      continue;
    }
    if (c === ',') throw malformed(text, 'Unexpected "," character.');
    let value = '';
    let quoted = false;
    let escaped = false;
    if (c === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (i >= text.length) throw malformed(text, 'Unexpected end of input.');
        const d = text[i++] as string;
        if (d === '"') break;
        if (d === '\\') {
          if (i >= text.length) throw malformed(text, 'Unexpected end of input.');
          value += text[i++];
        } else value += d;
      }
    } else {
      let trailingSpace = 0;
      while (i < text.length) {
        const d = text[i] as string;
        if (d === ',' || d === '}') break;
        if (d === '{' || d === '"') throw malformed(text, `Unexpected "${d}" character.`);
        i++;
        if (d === '\\') {
          if (i >= text.length) throw malformed(text, 'Unexpected end of input.');
          value += text[i++];
          escaped = true;
          trailingSpace = 0;
        } else {
          value += d;
          trailingSpace = isArraySpace(d) ? trailingSpace + 1 : 0;
        }
      }
      value = value.slice(0, value.length - trailingSpace);
    }
    values.push(!quoted && !escaped && value.toLowerCase() === 'null' ? null : parseElement(element, value));
    expectElement = false;
    first = false;
  }
  while (i < text.length && isArraySpace(text[i] as string)) i++;
  if (i < text.length) throw malformed(text, 'Junk after closing right brace.');
  return encodeArray(values, element);
}

/** array_send: ndim, has-nulls flag, element OID, (length, lower bound 1), then length-prefixed elements. */
export function encodeArrayBinary(stored: string, type: DataType, encodeElement: (element: DataType, value: Value) => Buffer): Buffer {
  const element = elementType(type) as DataType;
  const values = decodeArray(stored, element);
  const header = Buffer.alloc(values.length === 0 ? 12 : 20);
  header.writeInt32BE(values.length === 0 ? 0 : 1, 0);
  header.writeInt32BE(values.includes(null) ? 1 : 0, 4);
  header.writeInt32BE(element.oid, 8);
  if (values.length > 0) {
    header.writeInt32BE(values.length, 12);
    header.writeInt32BE(1, 16);
  }
  const parts: Buffer[] = [header];
  for (const v of values) {
    const length = Buffer.alloc(4);
    if (v === null) {
      length.writeInt32BE(-1, 0);
      parts.push(length);
      continue;
    }
    const bytes = encodeElement(element, v);
    length.writeInt32BE(bytes.length, 0);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

/** array_recv for one dimension with lower bound 1. */
export function decodeArrayBinary(bytes: Uint8Array, type: DataType, decodeElement: (element: DataType, bytes: Uint8Array) => Value): string {
  const element = elementType(type) as DataType;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (at: number, size: number) => {
    if (buffer.length < at + size) throw new DbError('08P01', 'insufficient data left in message');
  };
  need(0, 12);
  const ndim = buffer.readInt32BE(0);
  const elementOid = buffer.readInt32BE(8);
  if (ndim < 0) throw new DbError('22P03', `invalid number of dimensions: ${ndim}`);
  if (ndim > 1) throw featureNotSupported('multidimensional arrays');
  if (elementOid !== element.oid) throw new DbError('42804', 'binary data has array element type ' + elementOid + ' instead of expected ' + element.oid);
  if (ndim === 0) return encodeArray([], element);
  need(12, 8);
  const count = buffer.readInt32BE(12);
  if (buffer.readInt32BE(16) !== 1) throw featureNotSupported('array lower bounds other than 1');
  const values: Value[] = [];
  let at = 20;
  for (let k = 0; k < count; k++) {
    need(at, 4);
    const length = buffer.readInt32BE(at);
    at += 4;
    if (length === -1) {
      values.push(null);
      continue;
    }
    need(at, length);
    values.push(decodeElement(element, buffer.subarray(at, at + length)));
    at += length;
  }
  return encodeArray(values, element);
}
