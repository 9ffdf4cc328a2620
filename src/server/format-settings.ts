/** The session settings that change how values are written and read as text. */
import type { FormatSettings } from './value-codecs.js';

export function formatSettings(settings: ReadonlyMap<string, string>): FormatSettings {
  const extra = Number.parseInt(settings.get('extra_float_digits') ?? '1', 10);
  return {
    timeZone: settings.get('timezone') ?? 'UTC',
    dateStyle: settings.get('datestyle') ?? 'ISO, MDY',
    extraFloatDigits: Number.isFinite(extra) ? extra : 1,
    intervalStyle: settings.get('intervalstyle') ?? 'postgres',
  };
}
