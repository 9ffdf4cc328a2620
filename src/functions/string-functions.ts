/**
 * String functions with PostgreSQL's semantics under the C collation: case mapping changes only
 * ASCII letters, and lengths and positions count characters (code points), not UTF-16 units.
 * concat and concat_ws take text here; the binder turns their other arguments into text output first.
 * Substring-like functions (substring, left, right, lpad, split_part, strpos) live in
 * string-slice-functions.ts.
 */
import { createHash } from 'node:crypto';
import { Types } from '../../storage/types.js';
import { DbError } from '../../storage/errors.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { charCount, codePoints, fixedResult, mapText, numbersOf, strictValidity, stringsOf, textResult } from './function-vectors.js';
import { sliceFunctions } from './string-slice-functions.js';

function mapInt4(args: readonly Vector[], n: number, f: (row: number) => number): Vector {
  const validity = strictValidity(args, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = f(i);
  return fixedResult(Types.int4, out, validity);
}

const T = Types.text;
const text1 = [{ argTypes: [T], returnType: T }];
const charLength = (_s: number, args: readonly Vector[], n: number): Vector => {
  const values = stringsOf(args[0]);
  return mapInt4(args, n, (i) => charCount(values[i] as string));
};

/** btrim/ltrim/rtrim: strip characters of `set` (a space by default) from the chosen ends. */
function trimmer(name: string, left: boolean, right: boolean): ScalarFunctionDef {
  return {
    name,
    signatures: [
      { argTypes: [T], returnType: T },
      { argTypes: [T, T], returnType: T },
    ],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const sets = args.length > 1 ? stringsOf(args[1]) : null;
      return mapText(args, n, (i) => {
        const chars = codePoints(values[i] as string);
        const set = new Set(sets === null ? ' ' : codePoints(sets[i] as string));
        let start = 0;
        let end = chars.length;
        if (left) while (start < end && set.has(chars[start] as string)) start++;
        if (right) while (end > start && set.has(chars[end - 1] as string)) end--;
        return typeof chars === 'string' ? chars.slice(start, end) : chars.slice(start, end).join('');
      });
    },
  };
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** initcap under the C collation: ASCII words only; any other character separates words. */
function initcap(s: string): string {
  let out = '';
  let wasAlnum = false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    let ch = s[k] as string;
    if (c >= 65 && c <= 90 && wasAlnum) ch = ch.toLowerCase();
    else if (c >= 97 && c <= 122 && !wasAlnum) ch = ch.toUpperCase();
    out += ch;
    wasAlnum = isAsciiAlnum(c);
  }
  return out;
}

/** The most bytes a text value may hold (PostgreSQL's MaxAllocSize for a varlena). */
const MAX_TEXT_BYTES = 0x3fffffff - 4;

export const stringFunctions: readonly ScalarFunctionDef[] = [
  {
    name: 'lower',
    signatures: text1,
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      return mapText(args, n, (i) => (values[i] as string).replace(/[A-Z]+/g, (m) => m.toLowerCase()));
    },
  },
  {
    name: 'upper',
    signatures: text1,
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      return mapText(args, n, (i) => (values[i] as string).replace(/[a-z]+/g, (m) => m.toUpperCase()));
    },
  },
  {
    name: 'initcap',
    signatures: text1,
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      return mapText(args, n, (i) => initcap(values[i] as string));
    },
  },
  { name: 'length', signatures: [{ argTypes: [T], returnType: Types.int4 }], strict: true, evaluate: charLength },
  { name: 'char_length', signatures: [{ argTypes: [T], returnType: Types.int4 }], strict: true, evaluate: charLength },
  { name: 'character_length', signatures: [{ argTypes: [T], returnType: Types.int4 }], strict: true, evaluate: charLength },
  {
    name: 'octet_length',
    signatures: [{ argTypes: [T], returnType: Types.int4 }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      return mapInt4(args, n, (i) => Buffer.byteLength(values[i] as string, 'utf8'));
    },
  },
  {
    name: 'md5',
    signatures: text1,
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      return mapText(args, n, (i) => createHash('md5').update(values[i] as string, 'utf8').digest('hex'));
    },
  },
  {
    name: 'reverse',
    signatures: text1,
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      return mapText(args, n, (i) => {
        const chars = codePoints(values[i] as string);
        return (typeof chars === 'string' ? chars.split('') : [...chars]).reverse().join('');
      });
    },
  },
  {
    name: 'repeat',
    signatures: [{ argTypes: [T, Types.int4], returnType: T }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const counts = numbersOf(args[1]);
      return mapText(args, n, (i) => {
        const s = values[i] as string;
        const count = counts[i] as number;
        if (count <= 0) return '';
        if (Buffer.byteLength(s, 'utf8') * count > MAX_TEXT_BYTES) throw new DbError('54000', 'requested length too large');
        return s.repeat(count);
      });
    },
  },
  {
    name: 'replace',
    signatures: [{ argTypes: [T, T, T], returnType: T }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const froms = stringsOf(args[1]);
      const tos = stringsOf(args[2]);
      return mapText(args, n, (i) => {
        const from = froms[i] as string;
        return from === '' ? (values[i] as string) : (values[i] as string).split(from).join(tos[i] as string);
      });
    },
  },
  {
    name: 'starts_with',
    signatures: [{ argTypes: [T, T], returnType: Types.bool }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const prefixes = stringsOf(args[1]);
      const validity = strictValidity(args, n);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (values[i] as string).startsWith(prefixes[i] as string) ? 1 : 0;
      return fixedResult(Types.bool, out, validity);
    },
  },
  {
    // concat is not strict: NULL arguments are skipped.
    name: 'concat',
    signatures: [{ argTypes: [T], returnType: T, variadic: true }],
    strict: false,
    evaluate: (_s, args, n) => {
      const out = new Array<string>(n).fill('');
      for (const arg of args) {
        const values = stringsOf(arg);
        const validity = arg.validity;
        for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] += values[i] as string;
      }
      return textResult(out, null);
    },
  },
  {
    // concat_ws is not strict either: a NULL separator gives NULL, NULL values are skipped.
    name: 'concat_ws',
    signatures: [{ argTypes: [T, T], returnType: T, variadic: true }],
    strict: false,
    evaluate: (_s, args, n) => {
      const separators = stringsOf(args[0]);
      const validity = args[0]?.validity === null ? null : new Uint8Array((args[0] as Vector).validity as Uint8Array);
      const out = new Array<string>(n).fill('');
      const started = new Uint8Array(n);
      for (let a = 1; a < args.length; a++) {
        const values = stringsOf(args[a]);
        const valid = (args[a] as Vector).validity;
        for (let i = 0; i < n; i++) {
          if ((validity !== null && validity[i] === 0) || (valid !== null && valid[i] === 0)) continue;
          out[i] += started[i] === 1 ? (separators[i] as string) + (values[i] as string) : (values[i] as string);
          started[i] = 1;
        }
      }
      return textResult(out, validity);
    },
  },
  {
    name: 'ascii',
    signatures: [{ argTypes: [T], returnType: Types.int4 }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      return mapInt4(args, n, (i) => (values[i] as string).codePointAt(0) ?? 0);
    },
  },
  trimmer('btrim', true, true),
  trimmer('ltrim', true, false),
  trimmer('rtrim', false, true),
  ...sliceFunctions,
];
