/**
 * Session settings (PostgreSQL's GUCs) that clients set and read: their defaults, how a value is
 * checked and normalized, how SHOW prints it, and which ones are reported to the client with
 * ParameterStatus. Values live in SessionContext.settings under lower-case names.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { DbError } from '../../storage/errors.js';
import { resolveTimeZone } from '../../storage/datetime-zone.js';
import type { FormatSettings } from '../../storage/value-codecs.js';

export const serverVersion = '15.0 (Eventide 0.1.0)';

interface Setting {
  /** The name as PostgreSQL spells it (SHOW's column name, ParameterStatus name). */
  readonly name: string;
  readonly defaultValue: string;
  /** Sent as ParameterStatus at startup and whenever it changes. */
  readonly reported: boolean;
  readonly readOnly?: boolean;
  /** Checks and normalizes a new value; throws 22023 like PostgreSQL. */
  normalize?(value: string): string;
  readonly description: string;
}

const invalid = (name: string, value: string) => new DbError('22023', `invalid value for parameter "${name}": "${value}"`);

function normalizeDateStyle(value: string): string {
  let output = 'ISO';
  let order = 'MDY';
  for (const part of value.split(/[\s,]+/).filter((p) => p !== '')) {
    const p = part.toUpperCase();
    if (p === 'ISO' || p === 'SQL' || p === 'POSTGRES' || p === 'GERMAN') output = p === 'POSTGRES' ? 'Postgres' : p === 'GERMAN' ? 'German' : p;
    else if (p === 'MDY' || p === 'DMY' || p === 'YMD') order = p;
    else if (p === 'US' || p === 'NONEURO' || p === 'NONEUROPEAN') order = 'MDY';
    else if (p === 'EURO' || p === 'EUROPEAN') order = 'DMY';
    else if (p !== 'DEFAULT') throw invalid('DateStyle', value);
  }
  if (output !== 'ISO') throw new DbError('0A000', `DateStyle ${output} is not supported; use ISO`);
  return `${output}, ${order}`;
}

const timeUnits: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000], ['ms', 1]];

/** A duration setting in milliseconds, printed in the largest unit that divides it (5000 -> 5s). */
function normalizeMilliseconds(name: string) {
  return (value: string): string => {
    const match = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(value);
    if (match === null) throw invalid(name, value);
    const unit = timeUnits.find(([u]) => u === (match[2] ?? 'ms'))?.[1] ?? 1;
    const ms = Math.round(Number(match[1]) * unit);
    if (ms < 0 || ms > 2147483647) throw new DbError('22023', `${ms} ms is outside the valid range for parameter "${name}" (0 .. 2147483647)`);
    if (ms === 0) return '0';
    for (const [u, size] of timeUnits) if (ms % size === 0) return `${ms / size}${u}`;
    return `${ms}ms`;
  };
}

function normalizeEncoding(value: string): string {
  const v = value.replace(/[-_\s]/g, '').toUpperCase();
  if (v === 'UTF8' || v === 'UNICODE') return 'UTF8';
  if (v === 'SQLASCII') return 'UTF8';
  throw new DbError('22023', `invalid value for parameter "client_encoding": "${value}"`, {
    detail: 'Eventide speaks UTF8 only.',
  });
}

function normalizeBool(name: string) {
  return (value: string): string => {
    const v = value.trim().toLowerCase();
    if (['on', 'true', 'yes', '1', 't', 'y'].includes(v)) return 'on';
    if (['off', 'false', 'no', '0', 'f', 'n'].includes(v)) return 'off';
    throw new DbError('22023', `parameter "${name}" requires a Boolean value`);
  };
}

function normalizeInteger(name: string, min: number, max: number) {
  return (value: string): string => {
    const n = Number(value.trim());
    if (!Number.isInteger(n)) throw new DbError('22023', `invalid value for parameter "${name}": "${value}"`);
    if (n < min || n > max) throw new DbError('22023', `${n} is outside the valid range for parameter "${name}" (${min} .. ${max})`);
    return String(n);
  };
}

const memoryUnitsKb: [string, number][] = [['TB', 2 ** 30], ['GB', 2 ** 20], ['MB', 2 ** 10], ['kB', 1]];

/** A memory size setting (PostgreSQL's units kB, MB, GB, TB; a bare number is in `baseUnit`), printed in the largest unit that divides it. */
function normalizeMemory(name: string, baseUnit: 'kB' | 'MB') {
  return (value: string): string => {
    const match = /^\s*(\d+)\s*([a-zA-Z]+)?\s*$/.exec(value);
    if (match === null) throw invalid(name, value);
    const unit = memoryUnitsKb.find(([u]) => u === (match[2] ?? baseUnit));
    if (unit === undefined) throw new DbError('22023', `invalid value for parameter "${name}": "${value}"`, { hint: 'Valid units for this parameter are "kB", "MB", "GB", and "TB".' });
    const kb = Number(match[1]) * unit[1];
    if (kb > 2147483647) throw new DbError('22023', `${value.trim()} is outside the valid range for parameter "${name}" (0 .. 2147483647kB)`);
    if (kb === 0) return '0';
    for (const [u, size] of memoryUnitsKb) if (kb % size === 0) return `${kb / size}${u}`;
    return `${kb}kB`;
  };
}

/** Kilobytes of a value normalized by normalizeMemory. */
export function memorySettingKb(text: string): number {
  const match = /^(\d+)(kB|MB|GB|TB)?$/.exec(text);
  if (match === null) return 0;
  return Number(match[1]) * (memoryUnitsKb.find(([u]) => u === (match[2] ?? 'kB'))?.[1] ?? 1);
}

/**
 * A query may hold a quarter of the machine's memory, at most 2 GB and at most half the JS heap
 * limit (what operators buffer is mostly on the heap; filling it would stop the process).
 */
function defaultQueryMemoryLimit(): string {
  const bytes = Math.min(totalmem() / 4, 2 ** 31, getHeapStatistics().heap_size_limit / 2);
  return normalizeMemory('eventide.query_memory_limit', 'MB')(String(Math.max(1, Math.floor(bytes / 2 ** 20))));
}

function oneOf(name: string, allowed: readonly string[]) {
  return (value: string): string => {
    const v = value.trim().toLowerCase();
    if (!allowed.includes(v)) throw invalid(name, value);
    return v;
  };
}

const table: Setting[] = [
  { name: 'application_name', defaultValue: '', reported: true, description: 'Sets the application name to be reported in statistics and logs.' },
  { name: 'client_encoding', defaultValue: 'UTF8', reported: true, normalize: normalizeEncoding, description: "Sets the client's character set encoding." },
  { name: 'DateStyle', defaultValue: 'ISO, MDY', reported: true, normalize: normalizeDateStyle, description: 'Sets the display format for date and time values.' },
  { name: 'default_transaction_read_only', defaultValue: 'off', reported: true, normalize: normalizeBool('default_transaction_read_only'), description: 'Sets the default read-only status of new transactions.' },
  { name: 'in_hot_standby', defaultValue: 'off', reported: true, readOnly: true, description: 'Shows whether hot standby is currently active.' },
  { name: 'integer_datetimes', defaultValue: 'on', reported: true, readOnly: true, description: 'Shows whether datetimes are integer based.' },
  { name: 'IntervalStyle', defaultValue: 'postgres', reported: true, normalize: oneOf('IntervalStyle', ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601']), description: 'Sets the display format for interval values.' },
  { name: 'is_superuser', defaultValue: 'on', reported: true, readOnly: true, description: 'Shows whether the current user is a superuser.' },
  { name: 'server_encoding', defaultValue: 'UTF8', reported: true, readOnly: true, description: 'Shows the server (database) character set encoding.' },
  { name: 'server_version', defaultValue: serverVersion, reported: true, readOnly: true, description: 'Shows the server version.' },
  { name: 'server_version_num', defaultValue: '150000', reported: false, readOnly: true, description: 'Shows the server version as an integer.' },
  { name: 'session_authorization', defaultValue: 'eventide', reported: true, readOnly: true, description: 'Sets the session user name.' },
  { name: 'standard_conforming_strings', defaultValue: 'on', reported: true, normalize: (v) => { if (normalizeBool('standard_conforming_strings')(v) !== 'on') throw new DbError('0A000', 'standard_conforming_strings = off is not supported'); return 'on'; }, description: "Causes '...' strings to treat backslashes literally." },
  { name: 'TimeZone', defaultValue: 'UTC', reported: true, normalize: (v) => (resolveTimeZone(v), v), description: 'Sets the time zone for displaying and interpreting time stamps.' },
  { name: 'extra_float_digits', defaultValue: '1', reported: false, normalize: normalizeInteger('extra_float_digits', -15, 3), description: 'Sets the number of digits displayed for floating-point values.' },
  { name: 'search_path', defaultValue: '"$user", public', reported: false, description: 'Sets the schema search order for names that are not schema-qualified.' },
  { name: 'statement_timeout', defaultValue: '0', reported: false, normalize: normalizeMilliseconds('statement_timeout'), description: 'Sets the maximum allowed duration of any statement.' },
  { name: 'lock_timeout', defaultValue: '0', reported: false, normalize: normalizeMilliseconds('lock_timeout'), description: 'Sets the maximum allowed duration of any wait for a lock.' },
  { name: 'idle_in_transaction_session_timeout', defaultValue: '0', reported: false, normalize: normalizeMilliseconds('idle_in_transaction_session_timeout'), description: 'Sets the maximum allowed idle time between queries, when in a transaction.' },
  { name: 'client_min_messages', defaultValue: 'notice', reported: false, normalize: oneOf('client_min_messages', ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error']), description: 'Sets the message levels that are sent to the client.' },
  { name: 'transaction_isolation', defaultValue: 'read committed', reported: false, normalize: oneOf('transaction_isolation', ['read committed', 'read uncommitted', 'repeatable read', 'serializable']), description: "Sets the current transaction's isolation level." },
  { name: 'default_transaction_isolation', defaultValue: 'read committed', reported: false, normalize: oneOf('default_transaction_isolation', ['read committed', 'read uncommitted', 'repeatable read', 'serializable']), description: 'Sets the transaction isolation level of each new transaction.' },
  { name: 'transaction_read_only', defaultValue: 'off', reported: false, normalize: normalizeBool('transaction_read_only'), description: 'Sets the current transaction\'s read-only status.' },
  { name: 'max_identifier_length', defaultValue: '63', reported: false, readOnly: true, description: 'Shows the maximum identifier length.' },
  { name: 'lc_collate', defaultValue: 'C', reported: false, readOnly: true, description: 'Shows the collation order locale.' },
  { name: 'lc_ctype', defaultValue: 'C', reported: false, readOnly: true, description: 'Shows the character classification and case conversion locale.' },
  { name: 'lc_messages', defaultValue: 'C', reported: false, description: 'Sets the language in which messages are displayed.' },
  { name: 'lc_monetary', defaultValue: 'C', reported: false, description: 'Sets the locale for formatting monetary amounts.' },
  { name: 'lc_numeric', defaultValue: 'C', reported: false, description: 'Sets the locale for formatting numbers.' },
  { name: 'lc_time', defaultValue: 'C', reported: false, description: 'Sets the locale for formatting date and time values.' },
  { name: 'bytea_output', defaultValue: 'hex', reported: false, normalize: oneOf('bytea_output', ['hex', 'escape']), description: 'Sets the output format for bytea.' },
  { name: 'eventide.query_memory_limit', defaultValue: defaultQueryMemoryLimit(), reported: false, normalize: normalizeMemory('eventide.query_memory_limit', 'MB'), description: 'Sets the most memory one query may hold (sorts, hash tables, windows); 0 means no limit.' },
  { name: 'work_mem', defaultValue: '4MB', reported: false, description: 'Sets the maximum memory to be used for query workspaces.' },
  { name: 'jit', defaultValue: 'off', reported: false, normalize: normalizeBool('jit'), description: 'Allow JIT compilation.' },
  { name: 'row_security', defaultValue: 'on', reported: false, normalize: normalizeBool('row_security'), description: 'Enable row security.' },
  { name: 'synchronous_commit', defaultValue: 'on', reported: false, normalize: oneOf('synchronous_commit', ['on']), description: 'Sets the current transaction\'s synchronization level.' },
];

const byName = new Map(table.map((s) => [s.name.toLowerCase(), s]));

export function findSetting(name: string): Setting {
  const setting = byName.get(name.toLowerCase());
  if (setting === undefined) throw new DbError('42704', `unrecognized configuration parameter "${name}"`);
  return setting;
}

export function settingValue(settings: ReadonlyMap<string, string>, name: string): string {
  const setting = findSetting(name);
  return settings.get(setting.name.toLowerCase()) ?? setting.defaultValue;
}

/** Checks and stores a new value; returns the ParameterStatus to send, if the setting is reported. */
export function applySetting(settings: Map<string, string>, name: string, value: string | null): readonly [string, string] | null {
  const setting = findSetting(name);
  if (setting.readOnly) throw new DbError('55P02', `parameter "${setting.name}" cannot be changed`);
  const key = setting.name.toLowerCase();
  const normalized = value === null ? setting.defaultValue : setting.normalize ? setting.normalize(value) : value;
  settings.set(key, normalized);
  return setting.reported ? [setting.name, normalized] : null;
}

/** Normalizes the settings a client sent in its startup packet, and lists the ParameterStatus set. */
export function startupParameters(settings: Map<string, string>, user: string): [string, string][] {
  for (const [key, value] of [...settings]) {
    const setting = byName.get(key);
    if (setting === undefined || setting.readOnly) continue; // PostgreSQL ignores unknown ones only for options; keep lenient
    settings.set(key, setting.normalize ? setting.normalize(value) : value);
  }
  settings.set('session_authorization', user);
  return table.filter((s) => s.reported).map((s) => [s.name, s.name === 'session_authorization' ? user : settingValue(settings, s.name)]);
}

export function allSettings(settings: ReadonlyMap<string, string>): [string, string, string][] {
  return [...table].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())).map((s) => [s.name, settingValue(settings, s.name), s.description]);
}

export function formatSettingsOf(settings: ReadonlyMap<string, string>): FormatSettings {
  return {
    timeZone: settingValue(settings, 'TimeZone'),
    dateStyle: settingValue(settings, 'DateStyle'),
    extraFloatDigits: Number(settingValue(settings, 'extra_float_digits')),
    intervalStyle: settingValue(settings, 'IntervalStyle'),
  };
}

/** SET values arrive as a list of words or literals; PostgreSQL joins them with ", ". */
export function joinSettingWords(name: string, words: readonly string[]): string {
  const setting = findSetting(name);
  if (setting.name === 'search_path') return words.map((w) => (/^[a-z_][a-z0-9_]*$/.test(w) ? w : `"${w.replace(/"/g, '""')}"`)).join(', ');
  return words.join(', ');
}
