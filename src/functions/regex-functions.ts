/**
 * POSIX regular expressions: the ~, ~*, !~, !~* operators (PostgreSQL's textregexeq family),
 * regexp_replace, regexp_like and regexp_count.
 *
 * PostgreSQL's advanced regular expressions are mostly JavaScript's syntax; the differences that
 * real queries use are translated: bracket classes like [[:alpha:]], the word-boundary escapes
 * \m \M \y, and `.` matching a newline. A pattern is compiled once per distinct text per batch
 * (usually once: patterns are constants).
 */
import { DbError } from '../../storage/errors.js';
import { Types } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, strictValidity, stringsOf, textResult } from './function-vectors.js';

const T = Types.text;

const posixClasses: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

/** PostgreSQL ARE text -> JavaScript RegExp source. */
function translate(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      i++;
      if (next === undefined) throw invalidRegex('invalid escape \\ sequence');
      if (!inClass && next === 'm') out += '\\b(?=\\w)';
      else if (!inClass && next === 'M') out += '\\b(?<=\\w)';
      else if (!inClass && next === 'y') out += '\\b';
      else if (!inClass && next === 'Y') out += '\\B';
      else if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'Z') out += '$';
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        const name = end < 0 ? '' : pattern.slice(i + 2, end);
        const range = posixClasses[name];
        if (range === undefined) throw invalidRegex('invalid character class');
        out += range;
        i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ] right after [ or [^ is a literal in POSIX brackets.
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    out += c;
  }
  if (inClass) throw invalidRegex('brackets [] not balanced');
  return out;
}

function invalidRegex(detail: string): DbError {
  return new DbError('2201B', `invalid regular expression: ${detail}`);
}

const compiled = new Map<string, RegExp>();
const compiledLimit = 256;

export function compileRegex(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (re !== undefined) return re;
  try {
    re = new RegExp(translate(pattern), `s${flags}`);
  } catch (error) {
    if (error instanceof DbError) throw error;
    throw invalidRegex(error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '').toLowerCase() : String(error));
  }
  if (compiled.size >= compiledLimit) compiled.clear();
  compiled.set(key, re);
  return re;
}

/** regexp_replace / regexp_like flags: i (case-insensitive), g (global), c (case-sensitive), n/s/x ignored. */
function jsFlags(flags: string, functionName: string): { flags: string; global: boolean } {
  let ci = false;
  let global = false;
  for (const f of flags) {
    if (f === 'i') ci = true;
    else if (f === 'c') ci = false;
    else if (f === 'g') global = true;
    else if (f !== 'n' && f !== 'p' && f !== 'w' && f !== 's') throw new DbError('22023', `invalid regular expression option: "${f}"`, { detail: `in ${functionName}` });
  }
  return { flags: ci ? 'i' : '', global };
}

function boolOf(args: readonly Vector[], n: number, test: (value: string, pattern: string, row: number) => boolean): Vector {
  const values = stringsOf(args[0]);
  const patterns = stringsOf(args[1]);
  const validity = strictValidity(args, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = test(values[i] as string, patterns[i] as string, i) ? 1 : 0;
  return fixedResult(Types.bool, out, validity);
}

function matcher(name: string, caseInsensitive: boolean, negated: boolean): ScalarFunctionDef {
  return {
    name,
    signatures: [{ argTypes: [T, T], returnType: Types.bool }],
    strict: true,
    evaluate: (_s, args, n) => boolOf(args, n, (value, pattern) => compileRegex(pattern, caseInsensitive ? 'i' : '').test(value) !== negated),
  };
}

/** PostgreSQL's replacement text: \1..\9 groups, \& the whole match, \\ a backslash. */
function replacementFunction(replacement: string): (match: string, ...groups: unknown[]) => string {
  return (match, ...rest) => {
    const groups = rest.slice(0, -2) as (string | undefined)[];
    return replacement.replace(/\\([0-9&\\])/g, (_all, ref: string) => {
      if (ref === '\\') return '\\';
      if (ref === '&' || ref === '0') return match;
      return groups[Number(ref) - 1] ?? '';
    });
  };
}

export const regexFunctions: readonly ScalarFunctionDef[] = [
  matcher('textregexeq', false, false),
  matcher('texticregexeq', true, false),
  matcher('textregexne', false, true),
  matcher('texticregexne', true, true),
  {
    name: 'regexp_like',
    signatures: [
      { argTypes: [T, T], returnType: Types.bool },
      { argTypes: [T, T, T], returnType: Types.bool },
    ],
    strict: true,
    evaluate: (_s, args, n) => {
      const flags = args.length > 2 ? stringsOf(args[2]) : null;
      return boolOf(args, n, (value, pattern, i) => compileRegex(pattern, flags === null ? '' : jsFlags(flags[i] as string, 'regexp_like').flags).test(value));
    },
  },
  {
    name: 'regexp_replace',
    signatures: [
      { argTypes: [T, T, T], returnType: T },
      { argTypes: [T, T, T, T], returnType: T },
    ],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const patterns = stringsOf(args[1]);
      const replacements = stringsOf(args[2]);
      const flags = args.length > 3 ? stringsOf(args[3]) : null;
      const validity = strictValidity(args, n);
      const out = new Array<string>(n).fill('');
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const f = jsFlags(flags === null ? '' : (flags[i] as string), 'regexp_replace');
        const re = compileRegex(patterns[i] as string, f.flags + (f.global ? 'g' : ''));
        re.lastIndex = 0;
        out[i] = (values[i] as string).replace(re, replacementFunction(replacements[i] as string));
      }
      return textResult(out, validity);
    },
  },
  {
    name: 'regexp_count',
    signatures: [{ argTypes: [T, T], returnType: Types.int4 }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const patterns = stringsOf(args[1]);
      const validity = strictValidity(args, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const re = compileRegex(patterns[i] as string, 'g');
        re.lastIndex = 0;
        out[i] = [...(values[i] as string).matchAll(re)].length;
      }
      return fixedResult(Types.int4, out, validity);
    },
  },
];
