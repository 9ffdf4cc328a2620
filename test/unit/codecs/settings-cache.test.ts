/** Resolved format settings are remembered per settings object, and follow that object's changes. */
import { describe, expect, test } from 'vitest';
import { resolveSettings, type FormatSettings } from '../../../storage/value-codecs-settings.js';

describe('resolveSettings', () => {
  test('a settings object changed after use resolves to its new fields', () => {
    const settings: FormatSettings = { timeZone: 'UTC', dateStyle: 'ISO, MDY', extraFloatDigits: 1 };
    const utc = resolveSettings(settings);
    expect(resolveSettings(settings)).toBe(utc);
    settings.timeZone = 'America/New_York';
    const newYork = resolveSettings(settings);
    expect(newYork).not.toBe(utc);
    expect(newYork).toBe(resolveSettings({ timeZone: 'America/New_York', dateStyle: 'ISO, MDY', extraFloatDigits: 1 }));
    settings.dateStyle = 'German, DMY';
    expect(resolveSettings(settings).dateStyle).toEqual(resolveSettings({ timeZone: 'America/New_York', dateStyle: 'German, DMY', extraFloatDigits: 1 }).dateStyle);
    expect(resolveSettings(settings).dateStyle).not.toEqual(newYork.dateStyle);
  });
});
