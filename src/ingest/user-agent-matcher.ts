/**
 * Matches user agents against the crawler patterns. One alternation RegExp of all ~1,500 patterns
 * costs about 30 ms per non-matching browser user agent in V8 (it tries every alternative at every
 * position), so each pattern is compiled on its own and indexed by a trigram of a literal it
 * requires: a user agent is tested only against the patterns whose trigram it contains (plus the
 * few patterns without a usable literal). The result is the same as testing every pattern.
 */

/** A pattern that matched, or -1. */
export type PatternIndex = number;

/** Literal runs shorter than this are not indexed. */
const minLiteralLength = 3;
/** Distinct user agents remembered with their result; the map is cleared when it fills. */
const cacheEntriesMax = 16_384;
/** Longer user agents are matched every time, so the cache holds at most 16,384 x 512 characters. */
const cachedLengthMax = 512;

export class UserAgentMatcher {
  readonly patterns: readonly string[];
  private readonly regexps: readonly RegExp[];
  /** Trigram key -> indexes of the patterns that require it. */
  private readonly byTrigram = new Map<number, number[]>();
  /** Patterns tested against every user agent (no literal of three characters in some branch). */
  readonly unindexed: readonly number[];
  private readonly cache = new Map<string, PatternIndex>();
  /** Candidate marks, reused across calls: stamp[p] === generation means already queued. */
  private readonly stamp: Uint32Array;
  private generation = 0;

  /** Throws SyntaxError naming the pattern when one is not a valid JavaScript regular expression. */
  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    this.regexps = patterns.map((p) => {
      try {
        return new RegExp(p);
      } catch (error) {
        throw new SyntaxError(`crawler pattern ${JSON.stringify(p)} is not a valid regular expression: ${(error as Error).message}`);
      }
    });
    const counts = new Map<number, number>();
    const literalsOf = patterns.map((p) => requiredLiterals(p));
    for (const literals of literalsOf) {
      for (const literal of literals ?? []) for (const key of trigramKeys(literal)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const unindexed: number[] = [];
    literalsOf.forEach((literals, index) => {
      if (literals === null || literals.some((literal) => trigramKeys(literal).length === 0)) {
        unindexed.push(index);
        return;
      }
      // Each branch's rarest trigram: a user agent that matches contains it.
      for (const literal of literals) {
        let best = -1;
        let bestCount = Infinity;
        for (const key of trigramKeys(literal)) {
          const c = counts.get(key) ?? 0;
          if (c < bestCount) {
            best = key;
            bestCount = c;
          }
        }
        const list = this.byTrigram.get(best);
        if (list === undefined) this.byTrigram.set(best, [index]);
        else if (list[list.length - 1] !== index) list.push(index);
      }
    });
    this.unindexed = unindexed;
    this.stamp = new Uint32Array(patterns.length);
  }

  /** The first pattern (in list order) the user agent matches, or -1. */
  match(userAgent: string): PatternIndex {
    if (userAgent.length > cachedLengthMax) return this.matchUncached(userAgent);
    const cached = this.cache.get(userAgent);
    if (cached !== undefined) return cached;
    const result = this.matchUncached(userAgent);
    if (this.cache.size >= cacheEntriesMax) this.cache.clear();
    this.cache.set(userAgent, result);
    return result;
  }

  private matchUncached(userAgent: string): PatternIndex {
    let best = -1;
    for (const index of this.unindexed) {
      if ((best < 0 || index < best) && (this.regexps[index] as RegExp).test(userAgent)) best = index;
    }
    const generation = ++this.generation;
    if (generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    const end = userAgent.length - 2;
    for (let i = 0; i < end; i++) {
      const list = this.byTrigram.get(trigramAt(userAgent, i));
      if (list === undefined) continue;
      for (const index of list) {
        if (this.stamp[index] === this.generation) continue;
        this.stamp[index] = this.generation;
        if ((best < 0 || index < best) && (this.regexps[index] as RegExp).test(userAgent)) best = index;
      }
    }
    return best;
  }
}

/** Three ASCII characters as a 21-bit small integer (no allocation, a fast map key); -1 otherwise. */
function trigramAt(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  return (a | b | c) < 128 ? (a << 14) | (b << 7) | c : -1;
}

function trigramKeys(literal: string): number[] {
  const keys: number[] = [];
  for (let i = 0; i + 2 < literal.length; i++) {
    const key = trigramAt(literal, i);
    if (key >= 0) keys.push(key);
  }
  return keys;
}

/** Escapes that stand for a class or an assertion, not for their character. */
const classEscapes = new Set('dDwWsSbBpPkcxu0123456789'.split(''));
const controlEscapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };

/**
 * For each top-level branch of the pattern, its longest run of literal characters that any match
 * must contain; null when some branch has none of at least three characters. Conservative: groups,
 * classes, anchors and optional characters end a run.
 */
export function requiredLiterals(pattern: string): string[] | null {
  const branches = splitTopLevel(pattern);
  const out: string[] = [];
  for (const branch of branches) {
    const literal = longestLiteral(branch);
    if (literal.length < minLiteralLength) return null;
    out.push(literal);
  }
  return out;
}

function splitTopLevel(pattern: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') i++;
    else if (ch === '[') i = classEnd(pattern, i);
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      branches.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(pattern.slice(start));
  return branches;
}

/** Index of the `]` closing the class opened at `open`. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}

/** Index of the `)` closing the group opened at `open`. */
function groupEnd(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') i++;
    else if (ch === '[') i = classEnd(pattern, i);
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return pattern.length;
}

function longestLiteral(branch: string): string {
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < branch.length; i++) {
    const ch = branch[i] as string;
    switch (ch) {
      case '\\': {
        const next = branch[++i] ?? '';
        if (classEscapes.has(next)) end();
        else run += controlEscapes[next] ?? next;
        break;
      }
      case '[':
        i = classEnd(branch, i);
        end();
        break;
      case '(':
        i = groupEnd(branch, i);
        end();
        break;
      case '?':
      case '*':
      case '{':
        // The character before is optional (or repeated a counted number of times): drop it.
        run = run.slice(0, -1);
        end();
        if (ch === '{') while (i < branch.length && branch[i] !== '}') i++;
        break;
      case '+':
        end();
        break;
      case '.':
      case '^':
      case '$':
      case '|':
        end();
        break;
      default:
        run += ch;
    }
  }
  end();
  return best;
}
