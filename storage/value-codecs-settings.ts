/**
 * The session settings that change how values print and parse (TimeZone, DateStyle,
 * extra_float_digits), and their resolved form, cached so that a vector's worth of values pays
 * for resolving them once.
 */
import { resolveTimeZone, type TimeZone } from './datetime-zone.js';
import { parseDateStyle, type DateStyle } from './datetime-format.js';
import type { DecodeContext } from './datetime-decode.js';

export interface FormatSettings {
  timeZone: string;
  dateStyle: string;
  extraFloatDigits: number;
  intervalStyle?: string;
}

export const defaultFormatSettings: FormatSettings = Object.freeze({
  timeZone: 'UTC',
  dateStyle: 'ISO, MDY',
  extraFloatDigits: 1,
});

export interface ResolvedSettings {
  readonly zone: TimeZone;
  readonly dateStyle: DateStyle;
  readonly extraFloatDigits: number;
  /** What date/time input needs: the zone, the field order and the current time. */
  readonly decode: DecodeContext;
}

const nowMicros = () => Date.now() * 1000;
const resolved = new Map<string, ResolvedSettings>();

/**
 * The last resolution per settings object, checked against its fields: parameters of one Bind
 * share one settings object, so thousands of values skip building the key below.
 */
const lastResolved = new WeakMap<FormatSettings, { timeZone: string; dateStyle: string; extraFloatDigits: number; entry: ResolvedSettings }>();

export function resolveSettings(settings: FormatSettings | null | undefined): ResolvedSettings {
  const source = settings ?? defaultFormatSettings;
  const last = lastResolved.get(source);
  if (last !== undefined && last.timeZone === source.timeZone && last.dateStyle === source.dateStyle && last.extraFloatDigits === source.extraFloatDigits) {
    return last.entry;
  }
  const entry = resolveByKey(source);
  lastResolved.set(source, { timeZone: source.timeZone, dateStyle: source.dateStyle, extraFloatDigits: source.extraFloatDigits, entry });
  return entry;
}

function resolveByKey(source: FormatSettings): ResolvedSettings {
  const key = source.timeZone + '\u0000' + source.dateStyle + '\u0000' + String(source.extraFloatDigits);
  let entry = resolved.get(key);
  if (entry !== undefined) return entry;
  const zone = resolveTimeZone(source.timeZone);
  const dateStyle = parseDateStyle(source.dateStyle);
  entry = {
    zone,
    dateStyle,
    extraFloatDigits: source.extraFloatDigits,
    decode: { zone, dateOrder: dateStyle.order, nowMicros },
  };
  if (resolved.size > 256) resolved.clear();
  resolved.set(key, entry);
  return entry;
}
