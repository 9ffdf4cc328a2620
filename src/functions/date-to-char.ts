/**
 * to_char(timestamp | timestamptz, format) for the common template patterns, read as PostgreSQL
 * 15's formatting.c reads a format: at each position the longest keyword starting there (the case
 * of its letters chooses the output case), an FM prefix, double-quoted literals, backslash before
 * a quote. Every keyword PostgreSQL knows is recognized, so text that PostgreSQL would substitute
 * is never copied literally; TH/th/SP suffixes and the TM prefix report 0A000. The numeric
 * signatures (to_char of numbers) are number-to-char.ts's.
 */
import { Types } from '../../storage/types.js';
import { featureNotSupported } from '../../storage/errors.js';
import { date2j, j2day, USECS_PER_SEC } from '../../storage/datetime-calendar.js';
import { resolveTimeZone } from '../../storage/datetime.js';
import type { Vector } from '../../storage/vector.js';
import type { FunctionSignature, ScalarFunctionDef } from '../../planner/functions.js';
import { numbersOf, strictValidity, stringsOf, textResult } from './function-vectors.js';
import { decodeInterval, intervalFields } from '../../storage/interval.js';
import { formatIntervalKeyword } from './interval-to-char.js';
import { cased, formatClockKeyword } from './to-char-clock.js';
import { isoWeek, isoYear, localFields, type LocalFields } from './date-units.js';
import { numberToChar, numberToCharSignatures } from './number-to-char.js';

/** formatting.c's keyword table, longest first within each leading letter. */
const keywords = [
  'A.D.', 'A.M.', 'AD', 'AM', 'B.C.', 'BC', 'CC', 'DAY', 'DDD', 'DD', 'DY', 'Day', 'Dy', 'D',
  'FF1', 'FF2', 'FF3', 'FF4', 'FF5', 'FF6', 'FX', 'HH24', 'HH12', 'HH', 'IDDD', 'ID', 'IW', 'IYYY', 'IYY', 'IY', 'I', 'J',
  'MI', 'MM', 'MONTH', 'MON', 'MS', 'Month', 'Mon', 'OF', 'P.M.', 'PM', 'Q', 'RM', 'SSSSS', 'SSSS', 'SS',
  'TZH', 'TZM', 'TZ', 'US', 'WW', 'W', 'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y',
  'a.d.', 'a.m.', 'ad', 'am', 'b.c.', 'bc', 'cc', 'day', 'ddd', 'dd', 'dy', 'd',
  'ff1', 'ff2', 'ff3', 'ff4', 'ff5', 'ff6', 'fx', 'hh24', 'hh12', 'hh', 'iddd', 'id', 'iw', 'iyyy', 'iyy', 'iy', 'i', 'j',
  'mi', 'mm', 'month', 'mon', 'ms', 'of', 'p.m.', 'pm', 'q', 'rm', 'sssss', 'ssss', 'ss',
  'tz', 'tzh', 'tzm', 'us', 'ww', 'w', 'y,yyy', 'yyyy', 'yyy', 'yy', 'y',
].sort((a, b) => b.length - a.length);

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Node = { literal: string } | { keyword: string; fillMode: boolean };

function parseFormat(format: string): Node[] {
  const nodes: Node[] = [];
  let i = 0;
  while (i < format.length) {
    let fillMode = false;
    if (format.startsWith('FM', i) || format.startsWith('fm', i)) {
      fillMode = true;
      i += 2;
    } else if (format.startsWith('TM', i) || format.startsWith('tm', i)) {
      throw featureNotSupported('to_char prefix TM');
    }
    const keyword = keywords.find((k) => format.startsWith(k, i));
    if (keyword !== undefined) {
      i += keyword.length;
      if (/^(TH|th|SP)/.test(format.slice(i, i + 2))) throw featureNotSupported(`to_char suffix ${format.slice(i, i + 2)}`);
      nodes.push({ keyword, fillMode });
      continue;
    }
    if (i >= format.length) break;
    const c = format[i] as string;
    if (c === '"') {
      i++;
      while (i < format.length && format[i] !== '"') {
        if (format[i] === '\\' && i + 1 < format.length) i++;
        nodes.push({ literal: format[i] as string });
        i++;
      }
      i++;
    } else if (c === '\\' && format[i + 1] === '"') {
      nodes.push({ literal: '"' });
      i += 2;
    } else {
      nodes.push({ literal: c });
      i++;
    }
  }
  return nodes;
}

/** C's "%0*d": the width counts the minus sign. */
const pad = (n: number, width: number, fillMode: boolean) => {
  const digits = String(Math.abs(n)).padStart(fillMode ? 0 : n < 0 ? width - 1 : width, '0');
  return n < 0 ? '-' + digits : digits;
};
/** PostgreSQL's ADJUST_YEAR: BC years print as positive numbers. */
const adjustYear = (year: number) => (year <= 0 ? -(year - 1) : year);

/** The zone of a timestamptz value (offset east, abbreviation); a timestamp has offset 0 and no name. */
interface ZoneFields {
  offset: number;
  abbreviation: string | null;
}

const romanMonths = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

function formatKeyword(keyword: string, fillMode: boolean, f: LocalFields, zone: ZoneFields): string {
  const upper = keyword.toUpperCase();
  const clock = formatClockKeyword(keyword, upper, fillMode, pad, f.hour, f.minute, f.second, f.micro);
  if (clock !== null) return clock;
  const weekday = j2day(f.julian);
  const dayOfYear = f.julian - date2j(f.year, 1, 1) + 1;
  const absOffset = Math.abs(zone.offset);
  switch (upper) {
    case 'Y,YYY': {
      const year = adjustYear(f.year);
      const thousands = Math.trunc(year / 1000);
      return `${thousands},${String(year - thousands * 1000).padStart(3, '0')}`;
    }
    case 'CC': {
      const century = f.year > 0 ? Math.trunc((f.year - 1) / 100) + 1 : Math.trunc(f.year / 100) - 1;
      return century <= 99 && century >= -99 ? pad(century, century >= 0 ? 2 : 3, fillMode) : String(century);
    }
    case 'DDD':
      return pad(dayOfYear, 3, fillMode);
    case 'IDDD': {
      const iso = isoYear(f.year, f.month, f.day);
      const day4 = date2j(iso, 1, 4);
      return pad(f.julian - (day4 - j2day(day4 - 1)) + 1, 3, fillMode);
    }
    case 'WW':
      return pad(Math.trunc((dayOfYear - 1) / 7) + 1, 2, fillMode);
    case 'W':
      return String(Math.trunc((f.day - 1) / 7) + 1);
    case 'J':
      return String(f.julian);
    case 'FF1':
    case 'FF2':
    case 'FF3':
    case 'FF4':
    case 'FF5':
    case 'FF6': {
      const digits = Number(upper.slice(2));
      return String(Math.trunc(f.micro / 10 ** (6 - digits))).padStart(digits, '0');
    }
    case 'FX':
      return '';
    case 'AD':
    case 'BC':
      return cased(keyword, f.year <= 0 ? 'BC' : 'AD');
    case 'A.D.':
    case 'B.C.':
      return cased(keyword, f.year <= 0 ? 'B.C.' : 'A.D.');
    case 'RM':
      return cased(keyword, (romanMonths[f.month - 1] as string).padEnd(fillMode ? 0 : 4));
    case 'TZ':
      return zone.abbreviation === null ? '' : cased(keyword, zone.abbreviation);
    case 'OF': {
      const text = `${zone.offset >= 0 ? '+' : '-'}${pad(Math.trunc(absOffset / 3600), 2, fillMode)}`;
      return absOffset % 3600 !== 0 ? `${text}:${pad(Math.trunc((absOffset % 3600) / 60), 2, false)}` : text;
    }
    case 'TZH':
      return `${zone.offset >= 0 ? '+' : '-'}${pad(Math.trunc(absOffset / 3600), 2, false)}`;
    case 'TZM':
      return pad(Math.trunc((absOffset % 3600) / 60), 2, false);
    case 'YYYY': {
      const year = adjustYear(f.year);
      return f.year <= 9999 && f.year >= -9998 ? pad(year, 4, fillMode) : String(year);
    }
    case 'IYYY': {
      const iso = isoYear(f.year, f.month, f.day);
      return iso <= 9999 && iso >= -9998 ? pad(adjustYear(iso), 4, fillMode) : String(adjustYear(iso));
    }
    case 'YYY':
    case 'YY':
    case 'Y':
    case 'IYY':
    case 'IY':
    case 'I': {
      // The last 3, 2 or 1 digits of the (ISO) year, zero-padded except under FM or for one digit.
      const iso = upper.startsWith('I');
      const digits = upper.length;
      const year = adjustYear(iso ? isoYear(f.year, f.month, f.day) : f.year);
      return digits === 1 ? String(year % 10) : pad(year % 10 ** digits, digits, fillMode);
    }
    case 'IW':
      return pad(isoWeek(f.year, f.month, f.day), 2, fillMode);
    case 'MM':
      return pad(f.month, 2, fillMode);
    case 'DD':
      return pad(f.day, 2, fillMode);
    case 'Q':
      return String(Math.trunc((f.month - 1) / 3) + 1);
    case 'D':
      return String(weekday + 1);
    case 'ID':
      return String(weekday === 0 ? 7 : weekday);
    case 'MON':
      return cased(keyword, (monthNames[f.month - 1] as string).slice(0, 3));
    case 'DY':
      return cased(keyword, (dayNames[weekday] as string).slice(0, 3));
    case 'MONTH':
      return cased(keyword, (monthNames[f.month - 1] as string).padEnd(fillMode ? 0 : 9));
    case 'DAY':
      return cased(keyword, (dayNames[weekday] as string).padEnd(fillMode ? 0 : 9));
    default:
      throw featureNotSupported(`to_char pattern ${keyword}`);
  }
}

/** to_char(interval, format): the same format reading, the interval's own fields (interval-to-char.ts). */
function intervalToChar(args: readonly Vector[], n: number, validity: Uint8Array): Vector {
  const spans = stringsOf(args[0]);
  const formats = stringsOf(args[1]);
  const out = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) {
    if (validity[i] === 0) continue;
    const format = formats[i] as string;
    if (format === '') {
      validity[i] = 0;
      continue;
    }
    const fields = intervalFields(decodeInterval(spans[i] as string));
    let text = '';
    for (const node of parseFormat(format)) text += 'literal' in node ? node.literal : formatIntervalKeyword(node.keyword, node.fillMode, fields);
    out[i] = text;
  }
  return textResult(out, validity);
}

export const toCharFunction: ScalarFunctionDef = {
  name: 'to_char',
  signatures: [
    { argTypes: [Types.timestamp, Types.text], returnType: Types.text },
    { argTypes: [Types.timestamptz, Types.text], returnType: Types.text },
    { argTypes: [Types.interval, Types.text], returnType: Types.text },
    ...numberToCharSignatures,
  ],
  strict: true,
  evaluate: (signature, args, n, context) => {
    // The number signatures keep their identity, whatever other signatures precede them.
    const numberSignature = numberToCharSignatures.indexOf(toCharFunction.signatures[signature] as FunctionSignature);
    if (numberSignature >= 0) return numberToChar(numberSignature, args, n);
    const validity = strictValidity(args, n) ?? new Uint8Array(n).fill(1);
    if (signature === 2) return intervalToChar(args, n, validity);
    const input = numbersOf(args[0] as Vector);
    const formats = stringsOf(args[1]);
    const zone = signature === 1 ? resolveTimeZone(context.settings.timeZone) : null;
    const out = new Array<string>(n).fill('');
    let lastFormat: string | null = null;
    let nodes: Node[] = [];
    for (let i = 0; i < n; i++) {
      if (validity[i] === 0) continue;
      const micros = input[i] as number;
      const format = formats[i] as string;
      // PostgreSQL returns NULL for an empty format and for infinite timestamps.
      if (format === '' || !Number.isFinite(micros)) {
        validity[i] = 0;
        continue;
      }
      if (format !== lastFormat) {
        nodes = parseFormat(format);
        lastFormat = format;
      }
      const utcSeconds = Math.floor(micros / USECS_PER_SEC);
      const zoneFields: ZoneFields = zone === null ? { offset: 0, abbreviation: null } : { offset: zone.offsetAt(utcSeconds), abbreviation: zone.abbreviationAt(utcSeconds) };
      const fields = localFields(micros + zoneFields.offset * USECS_PER_SEC);
      let text = '';
      for (const node of nodes) text += 'literal' in node ? node.literal : formatKeyword(node.keyword, node.fillMode, fields, zoneFields);
      out[i] = text;
    }
    return textResult(out, validity);
  },
};
