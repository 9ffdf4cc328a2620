/**
 * Functions that cut or pad strings by character position: substring (also SUBSTRING(x FROM a
 * FOR b)), substr, left, right, lpad, rpad, split_part, strpos and position (POSITION(a IN b)
 * arrives as position(b, a)). Positions are 1-based and count code points, as PostgreSQL does.
 */
import { Types } from '../../storage/types.js';
import { DbError } from '../../storage/errors.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { charCount, charSlice, fixedResult, mapText, numbersOf, strictValidity, stringsOf } from './function-vectors.js';

const T = Types.text;
const I = Types.int4;


/** substring(s, start [, count]): PostgreSQL's text_substr, where start may be below 1. */
function substring(s: string, start: number, count: number | null): string {
  if (count === null) return charSlice(s, Math.max(start, 1) - 1, Number.MAX_SAFE_INTEGER);
  if (count < 0) throw new DbError('22011', 'negative substring length not allowed');
  const end = start + count;
  if (end <= 1) return '';
  return charSlice(s, Math.max(start, 1) - 1, end - 1);
}

function substringDef(name: string): ScalarFunctionDef {
  return {
    name,
    signatures: [
      { argTypes: [T, I], returnType: T },
      { argTypes: [T, I, I], returnType: T },
    ],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const starts = numbersOf(args[1]);
      const counts = args.length > 2 ? numbersOf(args[2]) : null;
      return mapText(args, n, (i) => substring(values[i] as string, starts[i] as number, counts === null ? null : (counts[i] as number)));
    },
  };
}

/** PostgreSQL refuses a pad length whose worst-case UTF-8 size exceeds MaxAllocSize. */
const MAX_PAD_LENGTH = Math.floor((0x3fffffff - 4) / 4);

/** lpad/rpad: truncate to `length` characters, then pad with `fill` repeated (nothing when it is empty). */
function pad(s: string, length: number, fill: string, left: boolean): string {
  if (length > MAX_PAD_LENGTH) throw new DbError('54000', 'requested length too large');
  const target = Math.max(length, 0);
  const total = charCount(s);
  const kept = total > target ? charSlice(s, 0, target) : s;
  const missing = target - Math.min(total, target);
  const fillLength = charCount(fill);
  if (fillLength === 0 || missing === 0) return kept;
  const repeated = fill.repeat(Math.ceil(missing / fillLength));
  const padding = fillLength === fill.length ? repeated.slice(0, missing) : charSlice(repeated, 0, missing);
  return left ? padding + kept : kept + padding;
}

function padDef(name: string, left: boolean): ScalarFunctionDef {
  return {
    name,
    signatures: [
      { argTypes: [T, I], returnType: T },
      { argTypes: [T, I, T], returnType: T },
    ],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const lengths = numbersOf(args[1]);
      const fills = args.length > 2 ? stringsOf(args[2]) : null;
      return mapText(args, n, (i) => pad(values[i] as string, lengths[i] as number, fills === null ? ' ' : (fills[i] as string), left));
    },
  };
}

/** 1-based character position of `needle` in `haystack`, 0 when absent (1 for an empty needle). */
function strpos(haystack: string, needle: string): number {
  const at = haystack.indexOf(needle);
  return at < 0 ? 0 : charCount(haystack.slice(0, at)) + 1;
}

function strposDef(name: string): ScalarFunctionDef {
  return {
    name,
    signatures: [{ argTypes: [T, T], returnType: I }],
    strict: true,
    evaluate: (_s, args, n) => {
      const haystacks = stringsOf(args[0]);
      const needles = stringsOf(args[1]);
      const validity = strictValidity(args, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (validity === null || validity[i] === 1) out[i] = strpos(haystacks[i] as string, needles[i] as string);
      }
      return fixedResult(I, out, validity);
    },
  };
}

function splitPart(s: string, delimiter: string, field: number): string {
  if (field === 0) throw new DbError('22023', 'field position must not be zero');
  if (s === '') return '';
  if (delimiter === '') return field === 1 || field === -1 ? s : '';
  const parts = s.split(delimiter);
  const index = field > 0 ? field - 1 : parts.length + field;
  return parts[index] ?? '';
}

export const sliceFunctions: readonly ScalarFunctionDef[] = [
  substringDef('substring'),
  substringDef('substr'),
  {
    name: 'left',
    signatures: [{ argTypes: [T, I], returnType: T }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const counts = numbersOf(args[1]);
      return mapText(args, n, (i) => {
        const s = values[i] as string;
        const count = counts[i] as number;
        return charSlice(s, 0, count >= 0 ? count : charCount(s) + count);
      });
    },
  },
  {
    name: 'right',
    signatures: [{ argTypes: [T, I], returnType: T }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const counts = numbersOf(args[1]);
      return mapText(args, n, (i) => {
        const s = values[i] as string;
        const count = counts[i] as number;
        const total = charCount(s);
        return charSlice(s, count >= 0 ? Math.max(total - count, 0) : -count, total);
      });
    },
  },
  padDef('lpad', true),
  padDef('rpad', false),
  strposDef('strpos'),
  strposDef('position'),
  {
    name: 'split_part',
    signatures: [{ argTypes: [T, T, I], returnType: T }],
    strict: true,
    evaluate: (_s, args, n) => {
      const values = stringsOf(args[0]);
      const delimiters = stringsOf(args[1]);
      const fields = numbersOf(args[2]);
      return mapText(args, n, (i) => splitPart(values[i] as string, delimiters[i] as string, fields[i] as number));
    },
  },
];
