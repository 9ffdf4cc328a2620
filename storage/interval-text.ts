/**
 * interval's text input (DecodeInterval and DecodeISO8601Interval of PostgreSQL 15: unit words and
 * abbreviations, `@ ... ago`, hh:mm:ss fields, a bare number as seconds, SQL year-month `1-2`,
 * ISO 8601 `P1Y2M3DT4H5M6S`) and its output in every IntervalStyle.
 */
import { DbError } from './errors.js';
import {
  DAYS_PER_MONTH,
  encodeInterval,
  intervalFields,
  rint,
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
  type Interval,
} from './interval.js';

export type IntervalStyle = 'postgres' | 'postgres_verbose' | 'sql_standard' | 'iso_8601';

type Unit = 'microsecond' | 'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade' | 'century' | 'millennium';

const unitWords: ReadonlyMap<string, Unit> = new Map<string, Unit>([
  ...['microsecond', 'microseconds', 'microsecon', 'us', 'usec', 'usecs', 'useconds'].map((w) => [w, 'microsecond'] as const),
  ...['millisecond', 'milliseconds', 'millisecon', 'ms', 'msec', 'msecs', 'mseconds'].map((w) => [w, 'millisecond'] as const),
  ...['second', 'seconds', 's', 'sec', 'secs'].map((w) => [w, 'second'] as const),
  ...['minute', 'minutes', 'm', 'min', 'mins'].map((w) => [w, 'minute'] as const),
  ...['hour', 'hours', 'h', 'hr', 'hrs'].map((w) => [w, 'hour'] as const),
  ...['day', 'days', 'd'].map((w) => [w, 'day'] as const),
  ...['week', 'weeks', 'w'].map((w) => [w, 'week'] as const),
  ...['month', 'months', 'mon', 'mons'].map((w) => [w, 'month'] as const),
  ...['year', 'years', 'y', 'yr', 'yrs'].map((w) => [w, 'year'] as const),
  ...['decade', 'decades', 'dec', 'decs'].map((w) => [w, 'decade'] as const),
  ...['century', 'centuries', 'c', 'cent'].map((w) => [w, 'century'] as const),
  ...['millennium', 'millennia', 'millenniums', 'mil', 'mils'].map((w) => [w, 'millennium'] as const),
]);

const badFormat = (text: string) => new DbError('22007', `invalid input syntax for type interval: "${text}"`);
const fieldOverflow = (text: string) => new DbError('22015', `interval field value out of range: "${text}"`);

/** Accumulates fields as PostgreSQL does, fractions cascading down to smaller units. */
class Accumulator {
  months = 0;
  days = 0;
  micros = 0;

  add(value: number, unit: Unit): void {
    const whole = Math.trunc(value);
    const fraction = value - whole;
    switch (unit) {
      case 'microsecond':
        this.micros += value;
        return;
      case 'millisecond':
        this.micros += value * 1000;
        return;
      case 'second':
        this.micros += value * USECS_PER_SEC;
        return;
      case 'minute':
        this.micros += value * USECS_PER_MINUTE;
        return;
      case 'hour':
        this.micros += value * USECS_PER_HOUR;
        return;
      case 'day':
        this.days += whole;
        this.micros += fraction * USECS_PER_DAY;
        return;
      case 'week':
        this.days += whole * 7;
        this.fractionalDays(fraction * 7);
        return;
      case 'month':
        this.months += whole;
        this.fractionalDays(fraction * DAYS_PER_MONTH);
        return;
      case 'year':
        this.months += whole * 12 + rint(fraction * 12);
        return;
      case 'decade':
        this.months += whole * 120 + rint(fraction * 120);
        return;
      case 'century':
        this.months += whole * 1200 + rint(fraction * 1200);
        return;
      case 'millennium':
        this.months += whole * 12000 + rint(fraction * 12000);
        return;
    }
  }

  private fractionalDays(days: number): void {
    const whole = Math.trunc(days);
    this.days += whole;
    this.micros += rint((days - whole) * USECS_PER_DAY);
  }
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/;

/** Splits `1day`, `2h30m` into number and word tokens, keeping hh:mm:ss and 1-2 fields whole. */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/[\s,]+/)) {
    if (word === '') continue;
    const parts = word.match(/[+-]?[\d.:]+(?:-\d+)?|[a-z@]+|[+-]/g);
    if (parts === null || parts.join('') !== word) return [word, '\u0000'];
    out.push(...parts);
  }
  return out;
}

/** hh:mm, hh:mm:ss(.f), mm:ss.f in microseconds (signed). */
function timeField(field: string, original: string): number {
  const negative = field.startsWith('-');
  const body = field.replace(/^[+-]/, '');
  const parts = body.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '' || !/^\d+(\.\d*)?$/.test(p))) throw badFormat(original);
  let hours: number;
  let minutes: number;
  let seconds: number;
  if (parts.length === 2 && parts[1]!.includes('.')) {
    hours = 0;
    minutes = Number(parts[0]);
    seconds = Number(parts[1]);
  } else {
    if (parts[0]!.includes('.') || parts[1]!.includes('.')) throw badFormat(original);
    hours = Number(parts[0]);
    minutes = Number(parts[1]);
    seconds = parts.length === 3 ? Number(parts[2]) : 0;
  }
  if (minutes > 59 || seconds > 60) throw fieldOverflow(original);
  const micros = hours * USECS_PER_HOUR + minutes * USECS_PER_MINUTE + rint(seconds * USECS_PER_SEC);
  return negative ? -micros : micros;
}

/** Which fields a unit fills: a field given twice is an error, as in PostgreSQL's DecodeInterval. */
const unitMask: Record<Unit, number> = {
  microsecond: 1, millisecond: 2, second: 4, minute: 8, hour: 16, day: 32, week: 64, month: 128, year: 256, decade: 512, century: 1024, millennium: 2048,
};
const TIME_MASK = unitMask.hour | unitMask.minute | unitMask.second;

/**
 * `sqlStandard`: IntervalStyle sql_standard reads a leading minus as applying to every field
 * when no other field carries a sign ('-1 2:00' is minus one day and two hours).
 */
export function parseInterval(text: string, sqlStandard = false): string {
  const lower = text.trim().toLowerCase();
  if (lower.startsWith('p')) return parseIso8601(lower, text);
  const all = tokens(lower);
  const ago = all.includes('ago');
  const fields = all.filter((f, i) => f !== 'ago' && !(i === 0 && f === '@'));
  if (fields.length === 0) throw badFormat(text);
  const acc = new Accumulator();
  // Right to left, as PostgreSQL reads: a unit names the number before it; a bare number left of
  // a time field is days, a bare rightmost number seconds.
  let pending: Unit | null = null;
  let defaultUnit: Unit = 'second';
  let mask = 0;
  const claim = (bits: number) => {
    if ((mask & bits) !== 0) throw badFormat(text);
    mask |= bits;
  };
  for (let i = fields.length - 1; i >= 0; i--) {
    const field = fields[i] as string;
    const unit = unitWords.get(field);
    if (unit !== undefined) {
      pending = unit;
      continue;
    }
    if (field.includes(':')) {
      if (pending !== null) throw badFormat(text);
      claim(TIME_MASK);
      acc.micros += timeField(field, text);
      defaultUnit = 'day';
      continue;
    }
    const yearMonth = /^([+-]?)(\d+)-(\d+)$/.exec(field);
    if (yearMonth !== null && pending === null) {
      const sign = yearMonth[1] === '-' ? -1 : 1;
      const months = Number(yearMonth[3]);
      if (months > 11) throw fieldOverflow(text);
      claim(unitMask.year | unitMask.month);
      acc.months += sign * (Number(yearMonth[2]) * 12 + months);
      continue;
    }
    if (!numberPattern.test(field)) throw badFormat(text);
    const value = Number(field);
    if (!Number.isFinite(value)) throw fieldOverflow(text);
    const used = pending ?? defaultUnit;
    claim(unitMask[used]);
    acc.add(value, used);
    pending = null;
  }
  if (pending !== null || mask === 0) throw badFormat(text);
  if (sqlStandard && fields[0]!.startsWith('-') && !fields.slice(1).some((f) => f.startsWith('-') || f.startsWith('+'))) {
    acc.micros = -Math.abs(acc.micros);
    acc.days = -Math.abs(acc.days);
    acc.months = -Math.abs(acc.months);
  }
  return finish(acc, ago ? -1 : 1, text);
}

function finish(acc: Accumulator, sign: number, text: string): string {
  const micros = rint(acc.micros);
  if (Math.abs(acc.months) > 2147483647 || Math.abs(acc.days) > 2147483647 || Math.abs(micros) >= 2 ** 63) throw fieldOverflow(text);
  return encodeInterval(sign * acc.months, sign * acc.days, sign * micros);
}

/** ISO 8601 designators: P[nY][nM][nW][nD][T[nH][nM][nS]], numbers may be signed or fractional. */
function parseIso8601(lower: string, text: string): string {
  const acc = new Accumulator();
  let i = 1;
  let inTime = false;
  let any = false;
  while (i < lower.length) {
    if (lower[i] === 't') {
      if (inTime) throw badFormat(text);
      inTime = true;
      any = true;
      i++;
      continue;
    }
    const match = /^[+-]?(\d+\.?\d*|\.\d+)/.exec(lower.slice(i));
    if (match === null) throw badFormat(text);
    i += match[0].length;
    const designator = lower[i++];
    const value = Number(match[0]);
    const unit: Unit | undefined = inTime
      ? designator === 'h' ? 'hour' : designator === 'm' ? 'minute' : designator === 's' ? 'second' : undefined
      : designator === 'y' ? 'year' : designator === 'm' ? 'month' : designator === 'w' ? 'week' : designator === 'd' ? 'day' : undefined;
    if (unit === undefined) throw badFormat(text);
    acc.add(value, unit);
    any = true;
  }
  if (!any) throw badFormat(text);
  return finish(acc, 1, text);
}

/** AppendSeconds: whole seconds (two digits when `fill`) and the fraction without trailing zeros. */
function seconds(sec: number, fraction: number, fill: boolean): string {
  const whole = String(Math.abs(sec));
  let out = fill ? whole.padStart(2, '0') : whole;
  if (fraction !== 0) out += '.' + String(Math.abs(fraction)).padStart(6, '0').replace(/0+$/, '');
  return out;
}

const pad2 = (n: number) => String(Math.abs(n)).padStart(2, '0');

export function formatInterval(span: Interval, style: IntervalStyle): string {
  const f = intervalFields(span);
  switch (style) {
    case 'postgres':
      return formatPostgres(f);
    case 'postgres_verbose':
      return formatVerbose(f);
    case 'sql_standard':
      return formatSqlStandard(f);
    case 'iso_8601':
      return formatIso(f);
  }
}

type Fields = ReturnType<typeof intervalFields>;

function formatPostgres(f: Fields): string {
  let out = '';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string) => {
    if (value === 0) return;
    out += `${isZero ? '' : ' '}${isBefore && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`;
    isBefore = value < 0;
    isZero = false;
  };
  part(f.years, 'year');
  part(f.months, 'mon');
  part(f.days, 'day');
  if (isZero || f.hours !== 0 || f.minutes !== 0 || f.seconds !== 0 || f.fraction !== 0) {
    const minus = f.hours < 0 || f.minutes < 0 || f.seconds < 0 || f.fraction < 0;
    out += `${isZero ? '' : ' '}${minus ? '-' : isBefore ? '+' : ''}${pad2(f.hours)}:${pad2(f.minutes)}:${seconds(f.seconds, f.fraction, true)}`;
  }
  return out;
}

function formatVerbose(f: Fields): string {
  let out = '@';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string) => {
    if (value === 0) return;
    if (isZero) {
      isBefore = value < 0;
      value = Math.abs(value);
    } else if (isBefore) {
      value = -value;
    }
    out += ` ${value} ${unit}${value === 1 ? '' : 's'}`;
    isZero = false;
  };
  part(f.years, 'year');
  part(f.months, 'mon');
  part(f.days, 'day');
  part(f.hours, 'hour');
  part(f.minutes, 'min');
  if (f.seconds !== 0 || f.fraction !== 0) {
    out += ' ';
    if (f.seconds < 0 || (f.seconds === 0 && f.fraction < 0)) {
      if (isZero) isBefore = true;
      else if (!isBefore) out += '-';
    } else if (isBefore) {
      out += '-';
    }
    out += `${seconds(f.seconds, f.fraction, false)} sec${Math.abs(f.seconds) !== 1 || f.fraction !== 0 ? 's' : ''}`;
    isZero = false;
  }
  if (isZero) out += ' 0';
  if (isBefore) out += ' ago';
  return out;
}

function formatSqlStandard(input: Fields): string {
  const f = { ...input };
  const values = [f.years, f.months, f.days, f.hours, f.minutes, f.seconds, f.fraction];
  const hasNegative = values.some((v) => v < 0);
  const hasPositive = values.some((v) => v > 0);
  const hasYearMonth = f.years !== 0 || f.months !== 0;
  const hasDayTime = f.days !== 0 || f.hours !== 0 || f.minutes !== 0 || f.seconds !== 0 || f.fraction !== 0;
  const standard = !(hasNegative && hasPositive) && !(hasYearMonth && hasDayTime);
  let out = '';
  if (hasNegative && standard) {
    out = '-';
    f.years = -f.years;
    f.months = -f.months;
    f.days = -f.days;
    f.hours = -f.hours;
    f.minutes = -f.minutes;
    f.seconds = -f.seconds;
    f.fraction = -f.fraction;
  }
  if (!hasNegative && !hasPositive) return '0';
  if (!standard) {
    const yearSign = f.years < 0 || f.months < 0 ? '-' : '+';
    const daySign = f.days < 0 ? '-' : '+';
    const secSign = f.hours < 0 || f.minutes < 0 || f.seconds < 0 || f.fraction < 0 ? '-' : '+';
    return (
      out +
      `${yearSign}${Math.abs(f.years)}-${Math.abs(f.months)} ${daySign}${Math.abs(f.days)} ${secSign}${Math.abs(f.hours)}:${pad2(f.minutes)}:${seconds(f.seconds, f.fraction, true)}`
    );
  }
  if (hasYearMonth) return out + `${f.years}-${f.months}`;
  if (f.days !== 0) return out + `${f.days} ${f.hours}:${pad2(f.minutes)}:${seconds(f.seconds, f.fraction, true)}`;
  return out + `${f.hours}:${pad2(f.minutes)}:${seconds(f.seconds, f.fraction, true)}`;
}

function formatIso(f: Fields): string {
  if (f.years === 0 && f.months === 0 && f.days === 0 && f.hours === 0 && f.minutes === 0 && f.seconds === 0 && f.fraction === 0) return 'PT0S';
  let out = 'P';
  const part = (value: number, unit: string) => {
    if (value !== 0) out += `${value}${unit}`;
  };
  part(f.years, 'Y');
  part(f.months, 'M');
  part(f.days, 'D');
  if (f.hours !== 0 || f.minutes !== 0 || f.seconds !== 0 || f.fraction !== 0) out += 'T';
  part(f.hours, 'H');
  part(f.minutes, 'M');
  if (f.seconds !== 0 || f.fraction !== 0) {
    if (f.seconds < 0 || f.fraction < 0) out += '-';
    out += seconds(f.seconds, f.fraction, false) + 'S';
  }
  return out;
}

export function parseIntervalStyle(setting: string | undefined): IntervalStyle {
  const s = (setting ?? 'postgres').toLowerCase();
  return s === 'postgres_verbose' || s === 'sql_standard' || s === 'iso_8601' ? s : 'postgres';
}
