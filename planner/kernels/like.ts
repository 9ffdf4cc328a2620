/** LIKE / ILIKE: PostgreSQL's patterns (% any run, _ one character, backslash escapes) as RegExps. */
import { DbError } from '../../storage/errors.js';

const cache = new Map<string, RegExp>();

/** Case folding of the C locale: only ASCII letters have case. */
export function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : text;
}

/** A matcher for LIKE (or ILIKE, which folds ASCII case only, as PostgreSQL under the C locale). */
export function likeMatcher(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  if (!caseInsensitive) {
    const re = likePattern(pattern, false);
    return (value) => re.test(value);
  }
  const re = likePattern(asciiLower(pattern), false);
  return (value) => re.test(asciiLower(value));
}

function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i:' : 's:') + pattern;
  let re = cache.get(key);
  if (re !== undefined) return re;
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      i++;
      if (i >= pattern.length) throw new DbError('22025', 'LIKE pattern must not end with escape character');
      source += escapeRegExp(pattern[i] as string);
    } else if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += escapeRegExp(ch);
  }
  re = new RegExp(`${source}$`, caseInsensitive ? 'iu' : 'u');
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}
