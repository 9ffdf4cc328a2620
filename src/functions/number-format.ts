/**
 * The number template of to_char as PostgreSQL 15's formatting.c reads and applies it: parse_format
 * with the NUM keyword table and NUMDesc_prepare's counts and errors, then NUM_processor and
 * NUM_numpart_to_char, which lay the digit string out over the template in the C locale (decimal
 * point '.', thousands separator ',', signs '+' and '-'). The callers (number-to-char.ts) produce
 * the digit string as each of PostgreSQL's *_to_char functions does.
 */
import { DbError, featureNotSupported } from '../../storage/errors.js';

/** formatting.c's NUM_keywords, in its search order within each leading character. */
const keywords = [
  ',', '.', '0', '9', 'B', 'C', 'D', 'EEEE', 'FM', 'G', 'L', 'MI', 'PL', 'PR', 'RN', 'SG', 'SP', 'S', 'TH', 'V',
  'b', 'c', 'd', 'eeee', 'fm', 'g', 'l', 'mi', 'pl', 'pr', 'rn', 'sg', 'sp', 's', 'th', 'v',
] as const;

type Keyword = 'COMMA' | 'DEC' | '0' | '9' | 'B' | 'C' | 'D' | 'EEEE' | 'FM' | 'G' | 'L' | 'MI' | 'PL' | 'PR' | 'RN' | 'SG' | 'SP' | 'S' | 'TH' | 'V';

type Node = { literal: string } | { keyword: Keyword };

const enum Flag {
  Decimal = 1 << 1,
  LocaleDecimal = 1 << 2,
  Zero = 1 << 3,
  Blank = 1 << 4,
  FillMode = 1 << 5,
  LocaleSign = 1 << 6,
  Bracket = 1 << 7,
  Minus = 1 << 8,
  Plus = 1 << 9,
  Roman = 1 << 10,
  Multi = 1 << 11,
  PlusPost = 1 << 12,
  MinusPost = 1 << 13,
  Eeee = 1 << 14,
}

const enum LocaleSign {
  None = 0,
  Pre = 1,
  Post = 2,
}

/** NUMDesc: what the template asks for. */
export interface NumberTemplate {
  readonly nodes: readonly Node[];
  /** Digit positions before and after the decimal point (V digits are in `multi`). */
  pre: number;
  post: number;
  multi: number;
  flags: number;
  lsign: LocaleSign;
  preLsignNum: number;
  zeroStart: number;
  zeroEnd: number;
}

const syntaxError = (message: string, detail?: string) => new DbError('42601', message, detail === undefined ? {} : { detail });

function keywordId(name: string): Keyword {
  switch (name.toUpperCase()) {
    case ',':
      return 'COMMA';
    case '.':
      return 'DEC';
    default:
      return name.toUpperCase() as Keyword;
  }
}

/** NUMDesc_prepare: counts digits and records flags, with PostgreSQL's errors for bad mixes. */
function prepare(t: NumberTemplate, id: Keyword): void {
  const has = (flag: Flag) => (t.flags & flag) !== 0;
  if (has(Flag.Eeee) && id !== 'EEEE') throw syntaxError('"EEEE" must be the last pattern used');
  switch (id) {
    case '9':
      if (has(Flag.Bracket)) throw syntaxError('"9" must be ahead of "PR"');
      if (has(Flag.Multi)) t.multi++;
      else if (has(Flag.Decimal)) t.post++;
      else t.pre++;
      return;
    case '0':
      if (has(Flag.Bracket)) throw syntaxError('"0" must be ahead of "PR"');
      if (!has(Flag.Zero) && !has(Flag.Decimal)) {
        t.flags |= Flag.Zero;
        t.zeroStart = t.pre + 1;
      }
      if (!has(Flag.Decimal)) t.pre++;
      else t.post++;
      t.zeroEnd = t.pre + t.post;
      return;
    case 'B':
      if (t.pre === 0 && t.post === 0 && !has(Flag.Zero)) t.flags |= Flag.Blank;
      return;
    case 'D':
    case 'DEC':
      if (id === 'D') t.flags |= Flag.LocaleDecimal;
      if (has(Flag.Decimal)) throw syntaxError('multiple decimal points');
      if (has(Flag.Multi)) throw syntaxError('cannot use "V" and decimal point together');
      t.flags |= Flag.Decimal;
      return;
    case 'FM':
      t.flags |= Flag.FillMode;
      return;
    case 'S':
      if (has(Flag.LocaleSign)) throw syntaxError('cannot use "S" twice');
      if (has(Flag.Plus) || has(Flag.Minus) || has(Flag.Bracket)) throw syntaxError('cannot use "S" and "PL"/"MI"/"SG"/"PR" together');
      if (!has(Flag.Decimal)) {
        t.lsign = LocaleSign.Pre;
        t.preLsignNum = t.pre;
        t.flags |= Flag.LocaleSign;
      } else if (t.lsign === LocaleSign.None) {
        t.lsign = LocaleSign.Post;
        t.flags |= Flag.LocaleSign;
      }
      return;
    case 'MI':
      if (has(Flag.LocaleSign)) throw syntaxError('cannot use "S" and "MI" together');
      t.flags |= Flag.Minus | (has(Flag.Decimal) ? Flag.MinusPost : 0);
      return;
    case 'PL':
      if (has(Flag.LocaleSign)) throw syntaxError('cannot use "S" and "PL" together');
      t.flags |= Flag.Plus | (has(Flag.Decimal) ? Flag.PlusPost : 0);
      return;
    case 'SG':
      if (has(Flag.LocaleSign)) throw syntaxError('cannot use "S" and "SG" together');
      t.flags |= Flag.Minus | Flag.Plus;
      return;
    case 'PR':
      if (has(Flag.LocaleSign) || has(Flag.Plus) || has(Flag.Minus)) throw syntaxError('cannot use "PR" and "S"/"PL"/"MI"/"SG" together');
      t.flags |= Flag.Bracket;
      return;
    case 'V':
      if (has(Flag.Decimal)) throw syntaxError('cannot use "V" and decimal point together');
      t.flags |= Flag.Multi;
      return;
    case 'EEEE':
      if (has(Flag.Eeee)) throw syntaxError('cannot use "EEEE" twice');
      if (has(Flag.Blank) || has(Flag.FillMode) || has(Flag.LocaleSign) || has(Flag.Bracket) || has(Flag.Minus) || has(Flag.Plus) || has(Flag.Roman) || has(Flag.Multi)) {
        throw syntaxError('"EEEE" is incompatible with other formats', '"EEEE" may only be used together with digit and decimal point patterns.');
      }
      t.flags |= Flag.Eeee;
      return;
    case 'RN':
      throw featureNotSupported('to_char pattern RN (roman numerals)');
    case 'TH':
      throw featureNotSupported('to_char pattern TH');
    case 'C':
    case 'G':
    case 'L':
    case 'SP':
    case 'COMMA':
      return;
  }
}

/** parse_format with NUM_keywords: keywords, double-quoted literals, \" outside quotes. */
export function parseNumberTemplate(format: string): NumberTemplate {
  const nodes: Node[] = [];
  const t: NumberTemplate = { nodes, pre: 0, post: 0, multi: 0, flags: 0, lsign: LocaleSign.None, preLsignNum: 0, zeroStart: 0, zeroEnd: 0 };
  let i = 0;
  while (i < format.length) {
    const keyword = keywords.find((k) => format.startsWith(k, i));
    if (keyword !== undefined) {
      const id = keywordId(keyword);
      prepare(t, id);
      nodes.push({ keyword: id });
      i += keyword.length;
      continue;
    }
    const c = format.codePointAt(i) as number;
    if (c === 0x22) {
      i++;
      while (i < format.length) {
        if (format[i] === '"') {
          i++;
          break;
        }
        if (format[i] === '\\' && i + 1 < format.length) i++;
        const ch = String.fromCodePoint(format.codePointAt(i) as number);
        nodes.push({ literal: ch });
        i += ch.length;
      }
      continue;
    }
    if (c === 0x5c && format[i + 1] === '"') i++;
    const ch = String.fromCodePoint(format.codePointAt(i) as number);
    nodes.push({ literal: ch });
    i += ch.length;
  }
  return t;
}

export const isEeee = (t: NumberTemplate) => (t.flags & Flag.Eeee) !== 0;
export const isMulti = (t: NumberTemplate) => (t.flags & Flag.Multi) !== 0;

/** get_last_relevant_decnum: the last nonzero digit after the point, or the point itself. */
function lastRelevant(number: string): number {
  const point = number.indexOf('.');
  if (point < 0) return -1;
  let result = point;
  for (let p = point + 1; p < number.length; p++) if (number[p] !== '0') result = p;
  return result;
}

/**
 * NUM_processor for to_char: lays out `number` (digits and an optional '.', no sign, or '#'s)
 * over the template. `template` is this row's copy: the processor adjusts its counts and flags.
 */
export function applyNumberTemplate(t: NumberTemplate, number: string, outPreSpaces: number, sign: '+' | '-'): string {
  if ((t.flags & Flag.Eeee) !== 0) return number;
  const has = (flag: Flag) => (t.flags & flag) !== 0;
  if (t.zeroStart) t.zeroStart--;
  let signWrote: boolean;
  if (has(Flag.Plus) || has(Flag.Minus)) {
    signWrote = !(has(Flag.Plus) && !has(Flag.Minus));
  } else {
    if (sign !== '-' && has(Flag.FillMode)) t.flags &= ~Flag.Bracket;
    signWrote = sign === '+' && has(Flag.FillMode) && !has(Flag.LocaleSign);
    if (t.lsign === LocaleSign.Pre && t.pre === t.preLsignNum) t.lsign = LocaleSign.Post;
  }
  let numCount = t.post + t.pre - 1;
  let relevant = -1;
  if (has(Flag.FillMode) && has(Flag.Decimal)) {
    relevant = lastRelevant(number);
    // Digits under '0' patterns are never stripped, but stay within the number string.
    if (relevant >= 0 && t.zeroEnd > outPreSpaces) {
      const lastZero = Math.min(number.length - 1, t.zeroEnd - outPreSpaces);
      if (relevant < lastZero) relevant = lastZero;
    }
  }
  if (!signWrote && outPreSpaces === 0) numCount++;
  const decimal = '.';
  let out = '';
  let numIn = false;
  let numCurr = 0;
  let numberP = 0;
  const preDecSpace = () => !has(Flag.Zero) && numberP === 0 && number[0] === '0' && t.post !== 0;

  const numpart = (id: Keyword) => {
    numIn = false;
    if (
      !signWrote &&
      (numCurr >= outPreSpaces || (has(Flag.Zero) && t.zeroStart === numCurr)) &&
      (!preDecSpace() || (relevant >= 0 && number[relevant] === '.'))
    ) {
      if (has(Flag.LocaleSign)) {
        if (t.lsign === LocaleSign.Pre) {
          out += sign === '-' ? '-' : '+';
          signWrote = true;
        }
      } else if (has(Flag.Bracket)) {
        out += sign === '+' ? ' ' : '<';
        signWrote = true;
      } else if (sign === '+') {
        if (!has(Flag.FillMode)) out += ' ';
        signWrote = true;
      } else {
        out += '-';
        signWrote = true;
      }
    }
    if (numCurr < outPreSpaces && (t.zeroStart > numCurr || !has(Flag.Zero))) {
      if (!has(Flag.FillMode)) out += ' ';
    } else if (has(Flag.Zero) && numCurr < outPreSpaces && t.zeroStart <= numCurr) {
      out += '0';
      numIn = true;
    } else {
      const c = number[numberP];
      if (c === '.') {
        if (relevant < 0 || number[relevant] !== '.') out += decimal;
        else if (has(Flag.FillMode)) out += decimal;
      } else if (relevant >= 0 && numberP > relevant && id !== '0') {
        // FM: trailing zeros after the last relevant digit are dropped.
      } else if (preDecSpace()) {
        if (!has(Flag.FillMode)) out += ' ';
        else if (relevant >= 0 && number[relevant] === '.') out += '0';
      } else {
        // Past the end of the number (float templates lose decimals) C writes the terminating
        // NUL, which ends the output there.
        out += c ?? '\0';
        numIn = true;
      }
      if (numberP < number.length) numberP++;
    }
    let end = numCount + (outPreSpaces ? 1 : 0) + (has(Flag.Decimal) ? 1 : 0);
    if (relevant >= 0 && relevant === numberP) end = numCurr;
    if (numCurr + 1 === end) {
      if (signWrote && has(Flag.Bracket)) out += sign === '+' ? ' ' : '>';
      else if (has(Flag.LocaleSign) && t.lsign === LocaleSign.Post) out += sign === '-' ? '-' : '+';
    }
    numCurr++;
  };

  for (const node of t.nodes) {
    if ('literal' in node) {
      out += node.literal;
      continue;
    }
    switch (node.keyword) {
      case '9':
      case '0':
      case 'DEC':
      case 'D':
        numpart(node.keyword);
        break;
      case 'COMMA':
      case 'G':
        if (numIn) out += ',';
        else if (!has(Flag.FillMode)) out += ' ';
        break;
      case 'L':
        out += ' ';
        break;
      case 'MI':
        if (sign === '-') out += '-';
        else if (!has(Flag.FillMode)) out += ' ';
        break;
      case 'PL':
        if (sign === '+') out += '+';
        else if (!has(Flag.FillMode)) out += ' ';
        break;
      case 'SG':
        out += sign;
        break;
      default:
        break;
    }
  }
  const end = out.indexOf('\0');
  return end < 0 ? out : out.slice(0, end);
}
