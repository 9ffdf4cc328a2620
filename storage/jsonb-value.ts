/**
 * Reading normalized jsonb text (what `parseJsonb` produces) without re-validating it: value
 * boundaries, an object's members, a tree for containment and ordering, PostgreSQL's jsonb order
 * (compareJsonbContainers) and a key under which equal values (1.0 = 1) group together.
 */
import { numericCompare } from './numeric.js';

export type JsonbNode =
  | { readonly kind: 'null' }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'array'; readonly items: readonly JsonbNode[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly JsonbNode[] };

/** jsonb_typeof's names, by the first character of a normalized value. */
export function jsonbTypeOf(text: string): 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' {
  switch (text.charCodeAt(0)) {
    case 123:
      return 'object';
    case 91:
      return 'array';
    case 34:
      return 'string';
    case 110:
      return 'null';
    case 116:
    case 102:
      return 'boolean';
    default:
      return 'number';
  }
}

/** End (exclusive) of the JSON value starting at `start` (strings, objects, arrays, scalars). */
export function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === 34) return stringEnd(text, start);
  if (first === 123 || first === 91) {
    let depth = 0;
    let i = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i = stringEnd(text, i);
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return text.length;
  }
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 125 || c === 93) break;
    i++;
  }
  return i;
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  return text.length;
}

/** The members of an object or the elements of an array (value texts), keys decoded; null for scalars. */
export function jsonbChildren(text: string): { keys: string[] | null; values: string[] } | null {
  const open = text.charCodeAt(0);
  if (open !== 123 && open !== 91) return null;
  const keys: string[] | null = open === 123 ? [] : null;
  const values: string[] = [];
  let i = 1;
  while (i < text.length) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 44) i++;
    const c = text.charCodeAt(i);
    if (c === 125 || c === 93 || i >= text.length) break;
    if (keys !== null) {
      const keyEnd = stringEnd(text, i);
      keys.push(decodeString(text.slice(i, keyEnd)));
      i = keyEnd;
      while (text.charCodeAt(i) === 58 || text.charCodeAt(i) === 32) i++;
    }
    const end = valueEnd(text, i);
    values.push(text.slice(i, end));
    i = end;
  }
  return { keys, values };
}

/** A quoted JSON string's contents (normalized text escapes only what JSON allows). */
export function decodeString(quoted: string): string {
  return quoted.indexOf('\\') < 0 ? quoted.slice(1, -1) : (JSON.parse(quoted) as string);
}

/** The tree of a normalized jsonb text. */
export function jsonbTree(text: string): JsonbNode {
  const parts = jsonbChildren(text);
  if (parts === null) return scalarNode(text);
  const values = parts.values.map(jsonbTree);
  return parts.keys === null ? { kind: 'array', items: values } : { kind: 'object', keys: parts.keys, values };
}

function scalarNode(text: string): JsonbNode {
  switch (jsonbTypeOf(text)) {
    case 'string':
      return { kind: 'string', value: decodeString(text) };
    case 'null':
      return { kind: 'null' };
    case 'boolean':
      return { kind: 'bool', value: text === 'true' };
    default:
      return { kind: 'number', text };
  }
}

/** jsonb's type order: null < string < number < boolean < array < object. */
const typeRank: Readonly<Record<JsonbNode['kind'], number>> = { null: 0, string: 1, number: 2, bool: 3, array: 4, object: 5 };

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareScalars(a: JsonbNode, b: JsonbNode): number {
  switch (a.kind) {
    case 'string':
      return compareStrings(a.value, (b as { value: string }).value);
    case 'number':
      return numericCompare(a.text, (b as { text: string }).text);
    case 'bool':
      return Number(a.value) - Number((b as { value: boolean }).value);
    default:
      return 0;
  }
}

/**
 * compareJsonbContainers: containers with more members sort higher; otherwise members compare in
 * storage order, object keys before their values. A top-level scalar is a one-element pseudo array,
 * so it sorts below a real one-element array but above an empty array.
 */
export function compareJsonb(a: string, b: string): number {
  return compareTop(jsonbTree(a), jsonbTree(b));
}

export function compareJsonbTrees(a: JsonbNode, b: JsonbNode): number {
  return compareTop(a, b);
}

function compareTop(a: JsonbNode, b: JsonbNode): number {
  const aScalar = a.kind !== 'array' && a.kind !== 'object';
  const bScalar = b.kind !== 'array' && b.kind !== 'object';
  if (aScalar && bScalar) return compareNodes(a, b);
  if (aScalar !== bScalar && (a.kind === 'array' || b.kind === 'array')) {
    const array = (a.kind === 'array' ? a : b) as { items: readonly JsonbNode[] };
    const arraySign = a.kind === 'array' ? 1 : -1;
    if (array.items.length !== 1) return array.items.length > 1 ? arraySign : -arraySign;
    return arraySign;
  }
  return compareNodes(a, b);
}

function compareNodes(a: JsonbNode, b: JsonbNode): number {
  if (a.kind !== b.kind) return typeRank[a.kind] > typeRank[b.kind] ? 1 : -1;
  if (a.kind === 'array') {
    const bItems = (b as { items: readonly JsonbNode[] }).items;
    if (a.items.length !== bItems.length) return a.items.length > bItems.length ? 1 : -1;
    for (let i = 0; i < a.items.length; i++) {
      const c = compareNodes(a.items[i] as JsonbNode, bItems[i] as JsonbNode);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (a.kind === 'object') {
    const other = b as { keys: readonly string[]; values: readonly JsonbNode[] };
    if (a.keys.length !== other.keys.length) return a.keys.length > other.keys.length ? 1 : -1;
    for (let i = 0; i < a.keys.length; i++) {
      const k = compareStrings(a.keys[i] as string, other.keys[i] as string);
      if (k !== 0) return k;
      const c = compareNodes(a.values[i] as JsonbNode, other.values[i] as JsonbNode);
      if (c !== 0) return c;
    }
    return 0;
  }
  return compareScalars(a, b);
}

/** numeric_out text without trailing fraction zeros, so numerically equal numbers share it. */
function canonicalNumber(text: string): string {
  if (!text.includes('.')) return text;
  const stripped = text.replace(/\.?0+$/, '');
  return stripped === '-0' || stripped === '' ? '0' : stripped;
}

/**
 * A key equal for jsonb values PostgreSQL calls equal: numbers lose trailing fraction zeros.
 * Without a '.' anywhere the normalized text is already that key.
 */
export function jsonbKey(text: string): string {
  if (!text.includes('.')) return text;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(text, i);
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const end = valueEnd(text, i);
      out += text.slice(from, i) + canonicalNumber(text.slice(i, end));
      from = i = end;
      continue;
    }
    i++;
  }
  return out + text.slice(from);
}

/** Scalar equality as containment and existence use it (numbers by value). */
function scalarEquals(a: JsonbNode, b: JsonbNode): boolean {
  return a.kind === b.kind && compareScalars(a, b) === 0;
}

/** JsonbDeepContains: `container @> contained`. */
export function jsonbContains(container: JsonbNode, contained: JsonbNode, top = true): boolean {
  if (container.kind === 'object') {
    if (contained.kind !== 'object') return false;
    for (let i = 0; i < contained.keys.length; i++) {
      const at = container.keys.indexOf(contained.keys[i] as string);
      if (at < 0) return false;
      const have = container.values[at] as JsonbNode;
      const want = contained.values[i] as JsonbNode;
      if (!containsMember(have, want)) return false;
    }
    return true;
  }
  if (container.kind === 'array') {
    // A top-level array contains a top-level scalar it holds as an element.
    const wanted = contained.kind === 'array' ? contained.items : top && contained.kind !== 'object' ? [contained] : null;
    if (wanted === null) return false;
    return wanted.every((want) => container.items.some((have) => containsMember(have, want)));
  }
  if (contained.kind === 'array' || contained.kind === 'object') return false;
  return scalarEquals(container, contained);
}

function containsMember(have: JsonbNode, want: JsonbNode): boolean {
  if (want.kind === 'array' || want.kind === 'object') return have.kind === want.kind && jsonbContains(have, want, false);
  return scalarEquals(have, want);
}

/**
 * jsonb ? key: a top-level key, an array's string element, or the string scalar itself. Scans the
 * top level of the text without building values; a key absent from the whole text is rejected
 * by one substring search first.
 */
export function jsonbExists(text: string, key: string): boolean {
  if (isPlainKey(key) && !text.includes(key)) return false;
  const first = text.charCodeAt(0);
  if (first === 34) return decodeString(text) === key;
  if (first !== 123 && first !== 91) return false;
  const object = first === 123;
  let i = 1;
  while (i < text.length) {
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 44) i++;
    const c = text.charCodeAt(i);
    if (c === 125 || c === 93 || i >= text.length) return false;
    const end = valueEnd(text, i);
    if (c === 34 && decodeString(text.slice(i, end)) === key) return true;
    i = end;
    if (object) {
      while (text.charCodeAt(i) === 58 || text.charCodeAt(i) === 32) i++;
      i = valueEnd(text, i);
    }
  }
  return false;
}

/** A key whose JSON spelling is itself (no quote, backslash or control character). */
export function isPlainKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92) return false;
  }
  return true;
}
