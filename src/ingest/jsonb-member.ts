/**
 * `document->>'key'` for one top-level member, by scanning the normalized jsonb text without
 * building the object (the ingest path reads one member of every row's properties).
 */
import { decodeString } from '../../storage/jsonb-value.js';

const quote = 34;
const backslash = 92;

/** The member's value as ->> gives it (string contents, other values as text), or null. */
export function jsonbMemberText(document: string, key: string): string | null {
  if (document.charCodeAt(0) !== 123) return null;
  const n = document.length;
  let found: string | null = null;
  let i = 1;
  while (i < n) {
    let c = document.charCodeAt(i);
    while (c === 32 || c === 44) c = document.charCodeAt(++i);
    if (c !== quote) return found;
    const keyStart = i + 1;
    let keyEnd = keyStart;
    let escaped = false;
    for (; keyEnd < n; keyEnd++) {
      const k = document.charCodeAt(keyEnd);
      if (k === quote) break;
      if (k === backslash) {
        escaped = true;
        keyEnd++;
      }
    }
    // Compare the key as written unless it has escapes (rare): then decode it.
    const matches = escaped ? decodeString(document.slice(i, keyEnd + 1)) === key : keyEnd - keyStart === key.length && document.startsWith(key, keyStart);
    i = keyEnd + 1;
    // ": " between key and value.
    c = document.charCodeAt(i);
    while (c === 58 || c === 32) c = document.charCodeAt(++i);
    const valueStart = i;
    i = valueEnd(document, i);
    if (matches) {
      // A later duplicate wins, as jsonb keeps the last.
      const value = document.slice(valueStart, i);
      found = value === 'null' ? null : value.charCodeAt(0) === quote ? decodeString(value) : value;
    }
  }
  return found;
}

/** Index of the quote closing the string that opens at `open`. */
function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === backslash) i++;
    else if (c === quote) return i;
  }
  return text.length;
}

/** Index just past the value starting at `start` (a string, an object/array, or a scalar). */
function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === quote) return stringEnd(text, start) + 1;
  if (first === 123 || first === 91) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === quote) i = stringEnd(text, i);
      else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) return i + 1;
    }
    return text.length;
  }
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 125) break;
    i++;
  }
  return i;
}
