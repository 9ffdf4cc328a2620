/**
 * jsonb -> key / -> index / ->> (as text). Values are kept in PostgreSQL's normalized jsonb text,
 * so a member's value is a substring of its object's text, already in jsonb output form: the
 * kernel scans for it instead of parsing and re-printing the document.
 */
import { Types, type DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { decodeString, jsonbChildren } from '../../storage/jsonb-value.js';

/** jsonb -> key (object member) or -> index (array element, negative from the end); null if absent. */
export function jsonbGet(document: string, key: string | number): string | null {
  const parts = jsonbChildren(document);
  if (parts === null) return null;
  if (typeof key === 'string') {
    if (parts.keys === null) return null;
    const at = parts.keys.lastIndexOf(key);
    return at < 0 ? null : (parts.values[at] as string);
  }
  if (parts.keys !== null) return null;
  const index = key < 0 ? parts.values.length + key : key;
  return parts.values[index] ?? null;
}

/** ->> : a string's contents, JSON null as SQL NULL, anything else as its jsonb text. */
export function jsonbAsText(value: string | null): string | null {
  if (value === null || value === 'null') return null;
  return value.charCodeAt(0) === 34 ? decodeString(value) : value;
}

export function jsonbAccess(documents: Vector, keys: Vector, asText: boolean, length: number): Vector {
  const type: DataType = asText ? Types.text : Types.jsonb;
  const docs = documents.values as readonly string[];
  const keyValues = keys.values as ArrayLike<string | number>;
  const out = new Array<string>(length);
  const validity = new Uint8Array(length);
  let anyNull = false;
  for (let i = 0; i < length; i++) {
    const valid = (documents.validity === null || documents.validity[i] === 1) && (keys.validity === null || keys.validity[i] === 1);
    let result: string | null = null;
    if (valid) {
      const found = jsonbGet(docs[i] as string, keyValues[i] as string | number);
      result = asText ? jsonbAsText(found) : found;
    }
    out[i] = result ?? '';
    validity[i] = result === null ? 0 : 1;
    if (result === null) anyNull = true;
  }
  return { kind: 'string', type, length, values: out, validity: anyNull ? validity : null };
}
