/**
 * The first stage of PostgreSQL's date/time input (ParseDateTime): splits the text into fields,
 * each typed as a number, a string, a date, a time, a numeric time zone or a special word, plus
 * the keyword table (datetktbl) the second stage looks words up in.
 */

export const enum FieldType {
  Number = 0,
  String = 1,
  Date = 2,
  Time = 3,
  Tz = 4,
  Special = 5,
}

export interface Fields {
  readonly values: string[];
  readonly types: FieldType[];
}

/** PostgreSQL's MAXDATELEN and MAXDATEFIELDS. */
const MAX_DATE_LENGTH = 128;
const MAX_DATE_FIELDS = 25;

// Token kinds of datetktbl (a subset of PostgreSQL's type codes; the numbers are bit positions
// for the field masks, as in PostgreSQL's datetime.h).
export const RESERV = 0;
export const MONTH = 1;
export const YEAR = 2;
export const DAY = 3;
export const JULIAN = 4;
export const TZ = 5;
export const DTZ = 6;
export const DYNTZ = 7;
export const IGNORE_DTF = 8;
export const AMPM = 9;
export const HOUR = 10;
export const MINUTE = 11;
export const SECOND = 12;
export const MILLISECOND = 13;
export const MICROSECOND = 14;
export const DOY = 15;
export const DOW = 16;
export const UNITS = 17;
export const ADBC = 18;
export const ISOTIME = 23;
export const DTZMOD = 28;
export const UNKNOWN_FIELD = 31;

// Values of RESERV and UNITS tokens.
export const DTK_NOW = 12;
export const DTK_YESTERDAY = 13;
export const DTK_TODAY = 14;
export const DTK_TOMORROW = 15;
export const DTK_ZULU = 16;
export const DTK_EPOCH = 11;
export const DTK_LATE = 10;
export const DTK_EARLY = 9;
export const DTK_TIME = 3;
export const DTK_YEAR = 25;
export const DTK_MONTH = 23;
export const DTK_DAY = 21;
export const DTK_HOUR = 20;
export const DTK_MINUTE = 19;
export const DTK_SECOND = 18;
export const DTK_JULIAN = 31;
export const AM = 0;
export const PM = 1;
export const AD = 0;
export const BC = 1;

/** datetktbl: [type, value] by lower-case token. */
export const keywords: ReadonlyMap<string, readonly [number, number]> = new Map<string, readonly [number, number]>([
  ['-infinity', [RESERV, DTK_EARLY]],
  ['ad', [ADBC, AD]],
  ['allballs', [RESERV, DTK_ZULU]],
  ['am', [AMPM, AM]],
  ['apr', [MONTH, 4]],
  ['april', [MONTH, 4]],
  ['at', [IGNORE_DTF, 0]],
  ['aug', [MONTH, 8]],
  ['august', [MONTH, 8]],
  ['bc', [ADBC, BC]],
  ['d', [UNITS, DTK_DAY]],
  ['dec', [MONTH, 12]],
  ['december', [MONTH, 12]],
  ['dow', [UNITS, 32]],
  ['doy', [UNITS, 33]],
  ['dst', [DTZMOD, 3600]],
  ['epoch', [RESERV, DTK_EPOCH]],
  ['feb', [MONTH, 2]],
  ['february', [MONTH, 2]],
  ['fri', [DOW, 5]],
  ['friday', [DOW, 5]],
  ['h', [UNITS, DTK_HOUR]],
  ['infinity', [RESERV, DTK_LATE]],
  ['isodow', [UNITS, 37]],
  ['isoyear', [UNITS, 36]],
  ['j', [UNITS, DTK_JULIAN]],
  ['jan', [MONTH, 1]],
  ['january', [MONTH, 1]],
  ['jd', [UNITS, DTK_JULIAN]],
  ['jul', [MONTH, 7]],
  ['julian', [UNITS, DTK_JULIAN]],
  ['july', [MONTH, 7]],
  ['jun', [MONTH, 6]],
  ['june', [MONTH, 6]],
  ['m', [UNITS, DTK_MONTH]],
  ['mar', [MONTH, 3]],
  ['march', [MONTH, 3]],
  ['may', [MONTH, 5]],
  ['mm', [UNITS, DTK_MINUTE]],
  ['mon', [DOW, 1]],
  ['monday', [DOW, 1]],
  ['nov', [MONTH, 11]],
  ['november', [MONTH, 11]],
  ['now', [RESERV, DTK_NOW]],
  ['oct', [MONTH, 10]],
  ['october', [MONTH, 10]],
  ['on', [IGNORE_DTF, 0]],
  ['pm', [AMPM, PM]],
  ['s', [UNITS, DTK_SECOND]],
  ['sat', [DOW, 6]],
  ['saturday', [DOW, 6]],
  ['sep', [MONTH, 9]],
  ['sept', [MONTH, 9]],
  ['september', [MONTH, 9]],
  ['sun', [DOW, 0]],
  ['sunday', [DOW, 0]],
  ['t', [ISOTIME, DTK_TIME]],
  ['thu', [DOW, 4]],
  ['thur', [DOW, 4]],
  ['thurs', [DOW, 4]],
  ['thursday', [DOW, 4]],
  ['today', [RESERV, DTK_TODAY]],
  ['tomorrow', [RESERV, DTK_TOMORROW]],
  ['tue', [DOW, 2]],
  ['tues', [DOW, 2]],
  ['tuesday', [DOW, 2]],
  ['wed', [DOW, 3]],
  ['wednesday', [DOW, 3]],
  ['weds', [DOW, 3]],
  ['y', [UNITS, DTK_YEAR]],
  ['yesterday', [RESERV, DTK_YESTERDAY]],
]);

/** Token lookups compare at most TOKMAXLEN characters, as PostgreSQL's datebsearch does. */
export function lookupKeyword(token: string): readonly [number, number] | undefined {
  return keywords.get(token.length > 10 ? token.slice(0, 10) : token);
}

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAlphaCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSpaceCode(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isPunctCode(code: number): boolean {
  return (code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126);
}

/** ParseDateTime: the fields of an input string, or null for a bad format. */
export function tokenize(text: string): Fields | null {
  if (text.length > MAX_DATE_LENGTH) return null;
  const values: string[] = [];
  const types: FieldType[] = [];
  const length = text.length;
  let at = 0;
  const code = (i: number) => (i < length ? text.charCodeAt(i) : 0);
  while (at < length) {
    const c = code(at);
    if (isSpaceCode(c)) {
      at++;
      continue;
    }
    if (values.length >= MAX_DATE_FIELDS) return null;
    const start = at;
    let type: FieldType;
    let value: string;
    if (isDigitCode(c)) {
      at++;
      while (isDigitCode(code(at))) at++;
      const next = code(at);
      if (next === 58) {
        // ':' -> a time
        type = FieldType.Time;
        at++;
        while (isDigitCode(code(at)) || code(at) === 58 || code(at) === 46) at++;
        value = text.slice(start, at);
      } else if (next === 45 || next === 47 || next === 46) {
        // '-', '/', '.' -> a date, possibly with an embedded text month
        const delimiter = next;
        at++;
        if (isDigitCode(code(at))) {
          type = delimiter === 46 ? FieldType.Number : FieldType.Date;
          while (isDigitCode(code(at))) at++;
          if (code(at) === delimiter) {
            type = FieldType.Date;
            at++;
            while (isDigitCode(code(at)) || code(at) === delimiter) at++;
          }
          value = text.slice(start, at);
        } else {
          type = FieldType.Date;
          while (isDigitCode(code(at)) || isAlphaCode(code(at)) || code(at) === delimiter) at++;
          value = text.slice(start, at).toLowerCase();
        }
      } else {
        type = FieldType.Number;
        value = text.slice(start, at);
      }
    } else if (c === 46) {
      at++;
      while (isDigitCode(code(at))) at++;
      type = FieldType.Number;
      value = text.slice(start, at);
    } else if (isAlphaCode(c)) {
      type = FieldType.String;
      at++;
      while (isAlphaCode(code(at))) at++;
      value = text.slice(start, at).toLowerCase();
      // A date with a text month, or a zone name with embedded punctuation ("america/new_york").
      const next = code(at);
      let isDate = false;
      if (next === 45 || next === 47 || next === 46) isDate = true;
      else if (next === 43 || isDigitCode(next)) isDate = lookupKeyword(value) === undefined;
      if (isDate) {
        type = FieldType.Date;
        do at++;
        while (
          at < length &&
          (code(at) === 43 ||
            code(at) === 45 ||
            code(at) === 47 ||
            code(at) === 95 ||
            code(at) === 46 ||
            code(at) === 58 ||
            isDigitCode(code(at)) ||
            isAlphaCode(code(at)))
        );
        value = text.slice(start, at).toLowerCase();
      }
    } else if (c === 43 || c === 45) {
      at++;
      while (isSpaceCode(code(at))) at++;
      if (isDigitCode(code(at))) {
        type = FieldType.Tz;
        const digitsStart = at;
        at++;
        while (isDigitCode(code(at)) || code(at) === 58 || code(at) === 46 || code(at) === 45) at++;
        value = text[start] + text.slice(digitsStart, at);
      } else if (isAlphaCode(code(at))) {
        type = FieldType.Special;
        const wordStart = at;
        at++;
        while (isAlphaCode(code(at))) at++;
        value = text[start] + text.slice(wordStart, at).toLowerCase();
      } else {
        return null;
      }
    } else if (isPunctCode(c)) {
      at++;
      continue;
    } else {
      return null;
    }
    values.push(value);
    types.push(type);
  }
  return { values, types };
}
