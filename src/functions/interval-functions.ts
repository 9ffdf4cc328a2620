/**
 * interval arithmetic under PostgreSQL's own function names (what its operators call):
 * timestamp[tz] ± interval with months and days stepped on the calendar (timestamptz in the
 * session TimeZone), date ± interval as timestamp, timestamp - timestamp (justified hours),
 * interval ± interval, interval * / float8, unary minus; and justify_hours/days/interval, date_bin.
 * An interval argument that repeats the previous row's value is decoded once (constants).
 */
import { Types, type DataType } from '../../storage/types.js';
import { DbError } from '../../storage/errors.js';
import { dateToTimestamp, resolveTimeZone } from '../../storage/datetime.js';
import { addIntervalToTimestamp } from '../../storage/interval-timestamp.js';
import {
  addIntervals,
  decodeInterval,
  divideInterval,
  encodeInterval,
  justifyDays,
  justifyHours,
  justifyInterval,
  multiplyInterval,
  negateInterval,
  rint,
  type Interval,
} from '../../storage/interval.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, numbersOf, strictValidity, stringResult, stringsOf } from './function-vectors.js';

const I = Types.interval;
const TS = Types.timestamp;
const TSTZ = Types.timestamptz;
const F8 = Types.float8;

/** Decodes the interval of each row, reusing the last decode while the text repeats. */
export function intervalReader(vector: Vector | undefined): (row: number) => Interval {
  const values = stringsOf(vector);
  let lastText: string | null = null;
  let last: Interval = { months: 0, days: 0, micros: 0 };
  return (row) => {
    const text = values[row] as string;
    if (text !== lastText) {
      last = decodeInterval(text, { months: 0, days: 0, micros: 0 });
      lastText = text;
    }
    return last;
  };
}

function negated(span: Interval): Interval {
  return { months: -span.months, days: -span.days, micros: -span.micros };
}

/** ts ± interval over vectors; a date operand is first its midnight timestamp. */
function timestampInterval(name: string, input: DataType, result: DataType, sign: 1 | -1, withZone: boolean): ScalarFunctionDef {
  return {
    name,
    signatures: [{ argTypes: [input, I], returnType: result }],
    strict: true,
    evaluate: (_s, args, n, context) => {
      const validity = strictValidity(args, n);
      const times = numbersOf(args[0]);
      const spans = intervalReader(args[1]);
      const zone = withZone ? resolveTimeZone(context.settings.timeZone) : null;
      const isDate = input.id === 'date';
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const start = isDate ? dateToTimestamp(times[i] as number) : (times[i] as number);
        const span = spans(i);
        out[i] = addIntervalToTimestamp(start, sign === 1 ? span : negated(span), zone);
      }
      return fixedResult(result, out, validity);
    },
  };
}

/** timestamp_mi: the difference as days and time (justify_hours), never months. */
function timestampDifference(name: string, type: DataType): ScalarFunctionDef {
  return {
    name,
    signatures: [{ argTypes: [type, type], returnType: I }],
    strict: true,
    evaluate: (_s, args, n) => {
      const validity = strictValidity(args, n);
      const a = numbersOf(args[0]);
      const b = numbersOf(args[1]);
      const out = new Array<string>(n).fill('');
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const x = a[i] as number;
        const y = b[i] as number;
        if (!Number.isFinite(x) || !Number.isFinite(y)) throw new DbError('22008', 'cannot subtract infinite timestamps');
        const span = justifyHours({ months: 0, days: 0, micros: x - y });
        out[i] = encodeInterval(span.months, span.days, span.micros);
      }
      return stringResult(I, out, validity);
    },
  };
}

function intervalUnary(name: string, op: (span: Interval) => string): ScalarFunctionDef {
  return {
    name,
    signatures: [{ argTypes: [I], returnType: I }],
    strict: true,
    evaluate: (_s, args, n) => {
      const validity = strictValidity(args, n);
      const spans = intervalReader(args[0]);
      const out = new Array<string>(n).fill('');
      for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = op(spans(i));
      return stringResult(I, out, validity);
    },
  };
}

function intervalBinary(name: string, op: (a: Interval, b: Interval) => string): ScalarFunctionDef {
  return {
    name,
    signatures: [{ argTypes: [I, I], returnType: I }],
    strict: true,
    evaluate: (_s, args, n) => {
      const validity = strictValidity(args, n);
      const left = intervalReader(args[0]);
      const right = intervalReader(args[1]);
      const out = new Array<string>(n).fill('');
      for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = op(left(i), right(i));
      return stringResult(I, out, validity);
    },
  };
}

/** interval * float8, float8 * interval, interval / float8. */
function intervalScale(name: string, factorFirst: boolean, op: (span: Interval, factor: number) => string): ScalarFunctionDef {
  return {
    name,
    signatures: [{ argTypes: factorFirst ? [F8, I] : [I, F8], returnType: I }],
    strict: true,
    evaluate: (_s, args, n) => {
      const validity = strictValidity(args, n);
      const spans = intervalReader(args[factorFirst ? 1 : 0]);
      const factors = numbersOf(args[factorFirst ? 0 : 1]);
      const out = new Array<string>(n).fill('');
      for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = op(spans(i), factors[i] as number);
      return stringResult(I, out, validity);
    },
  };
}

const encode = (span: Interval) => encodeInterval(span.months, span.days, span.micros);

/** date_bin(stride, source, origin): the start of source's bin; strides with months are refused. */
function dateBin(stride: Interval, source: number, origin: number): number {
  if (!Number.isFinite(source)) return source;
  if (!Number.isFinite(origin)) throw new DbError('22008', 'origin out of range');
  if (stride.months !== 0) throw new DbError('0A000', 'timestamps cannot be binned into intervals containing months or years');
  const strideMicros = stride.days * 86_400_000_000 + stride.micros;
  if (strideMicros <= 0) throw new DbError('22008', 'stride must be greater than zero');
  const diff = source - origin;
  let delta = diff - (diff % strideMicros);
  if (origin > source && strideMicros > 1) delta -= strideMicros;
  return origin + delta;
}

const dateBinFunction: ScalarFunctionDef = {
  name: 'date_bin',
  signatures: [
    { argTypes: [I, TS, TS], returnType: TS },
    { argTypes: [I, TSTZ, TSTZ], returnType: TSTZ },
  ],
  strict: true,
  evaluate: (signature, args, n) => {
    const validity = strictValidity(args, n);
    const strides = intervalReader(args[0]);
    const sources = numbersOf(args[1]);
    const origins = numbersOf(args[2]);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (validity === null || validity[i] === 1) out[i] = dateBin(strides(i), sources[i] as number, origins[i] as number);
    }
    return fixedResult(signature === 0 ? TS : TSTZ, out, validity);
  },
};

/** make_interval(years, months, weeks, days, hours, mins, secs), every argument defaulting to 0. */
const makeIntervalFunction: ScalarFunctionDef = {
  name: 'make_interval',
  signatures: [{ argTypes: [Types.int4, Types.int4, Types.int4, Types.int4, Types.int4, Types.int4, F8], returnType: I }],
  parameters: { names: ['years', 'months', 'weeks', 'days', 'hours', 'mins', 'secs'], defaults: [0, 0, 0, 0, 0, 0, 0] },
  strict: true,
  evaluate: (_s, args, n) => {
    const validity = strictValidity(args, n);
    const fields = args.map((a) => numbersOf(a));
    const out = new Array<string>(n).fill('');
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const [years, months, weeks, days, hours, mins, secs] = fields.map((f) => f[i] as number) as [number, number, number, number, number, number, number];
      const micros = (hours * 3600 + mins * 60) * 1e6 + rint(secs * 1e6);
      if (!Number.isFinite(micros)) throw new DbError('22008', 'interval out of range');
      out[i] = encodeInterval(years * 12 + months, weeks * 7 + days, micros);
    }
    return stringResult(I, out, validity);
  },
};

export const intervalFunctions: readonly ScalarFunctionDef[] = [
  makeIntervalFunction,
  timestampInterval('timestamptz_pl_interval', TSTZ, TSTZ, 1, true),
  timestampInterval('timestamptz_mi_interval', TSTZ, TSTZ, -1, true),
  timestampInterval('timestamp_pl_interval', TS, TS, 1, false),
  timestampInterval('timestamp_mi_interval', TS, TS, -1, false),
  timestampInterval('date_pl_interval', Types.date, TS, 1, false),
  timestampInterval('date_mi_interval', Types.date, TS, -1, false),
  timestampDifference('timestamp_mi', TS),
  timestampDifference('timestamptz_mi', TSTZ),
  intervalBinary('interval_pl', (a, b) => addIntervals(a, b, 1)),
  intervalBinary('interval_mi', (a, b) => addIntervals(a, b, -1)),
  intervalUnary('interval_um', negateInterval),
  intervalScale('interval_mul', false, multiplyInterval),
  intervalScale('mul_d_interval', true, multiplyInterval),
  intervalScale('interval_div', false, divideInterval),
  intervalUnary('justify_hours', (s) => encode(justifyHours(s))),
  intervalUnary('justify_days', (s) => encode(justifyDays(s))),
  intervalUnary('justify_interval', (s) => encode(justifyInterval(s))),
  dateBinFunction,
];
