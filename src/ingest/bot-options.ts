/**
 * The table options of bot filtering (CREATE TABLE ... WITH (bot_filter = on, ...)), checked the
 * way PostgreSQL checks a reloption (22023 for a bad value, 42703 for a missing column), and
 * resolved into the column indexes the filter runs on.
 */
import { DbError } from '../../storage/errors.js';
import type { ColumnDef } from '../../storage/table-def.js';

/** The options this module owns; anything else under `bot_` is unrecognized. */
export const botOptionNames = [
  'bot_filter',
  'bot_flag_column',
  'bot_user_agent_column',
  'bot_user_agent_key',
  'bot_rate_limit',
  'bot_rate_key',
] as const;

export const rateLimitMax = 1_000_000_000;

/** Where the user agent is read: a text column, or a member of a jsonb column. */
export interface UserAgentSource {
  readonly column: number;
  /** The jsonb member (properties->>'user_agent'), or null for a text column. */
  readonly key: string | null;
}

export interface BotFilterConfig {
  readonly flagColumn: number;
  readonly userAgent: UserAgentSource | null;
  /** Events per second a key may send before further ones are flagged; 0 turns the rule off. */
  readonly rateLimit: number;
  readonly rateKeyColumn: number;
}

const textTypes = new Set(['text', 'varchar']);
const rateKeyTypes = new Set(['int2', 'int4', 'int8', 'text', 'varchar']);

export function isBotOption(name: string): boolean {
  return (botOptionNames as readonly string[]).includes(name);
}

/** PostgreSQL's parse_bool: true/false, yes/no, on/off, 1/0 and their unambiguous prefixes. */
export function parseBoolOption(name: string, value: string): boolean {
  const v = value.toLowerCase();
  const prefixOf = (word: string, min: number) => v.length >= min && word.startsWith(v);
  if (prefixOf('true', 1) || prefixOf('yes', 1) || prefixOf('on', 2) || v === '1') return true;
  if (prefixOf('false', 1) || prefixOf('no', 1) || prefixOf('off', 2) || v === '0') return false;
  throw new DbError('22023', `invalid value for boolean option "${name}": ${value}`);
}

function parseIntOption(name: string, value: string, min: number, max: number): number {
  if (!/^\s*[+-]?\d+\s*$/.test(value)) throw new DbError('22023', `invalid value for integer option "${name}": ${value}`);
  const n = Number(value);
  if (n < min || n > max) {
    throw new DbError('22023', `value ${value.trim()} out of bounds for option "${name}"`, { detail: `Valid values are between "${min}" and "${max}".` });
  }
  return n;
}

/**
 * Checks the bot options of a table being created and resolves them; null when bot filtering is
 * off (options given with it off are still checked, as PostgreSQL checks every reloption).
 */
export function resolveBotOptions(columns: readonly ColumnDef[], options: Readonly<Record<string, string>>): BotFilterConfig | null {
  const given = (name: string): string | undefined => options[name];
  const on = given('bot_filter') !== undefined && parseBoolOption('bot_filter', given('bot_filter') as string);
  const columnOf = (option: string, name: string): number => {
    const index = columns.findIndex((c) => c.name === name);
    if (index < 0) throw new DbError('42703', `column "${name}" named in option "${option}" does not exist`);
    return index;
  };
  const typed = (option: string, index: number, allowed: ReadonlySet<string>, wanted: string): number => {
    const column = columns[index] as ColumnDef;
    if (!allowed.has(column.type.id)) {
      throw new DbError('22023', `invalid value for option "${option}": column "${column.name}" is of type ${column.type.name}, not ${wanted}`);
    }
    return index;
  };

  const flagName = given('bot_flag_column') ?? 'is_bot';
  const flagColumn = on || given('bot_flag_column') !== undefined ? typed('bot_flag_column', columnOf('bot_flag_column', flagName), new Set(['bool']), 'boolean') : -1;

  const rateText = given('bot_rate_limit');
  const rateLimit = rateText === undefined ? 0 : parseIntOption('bot_rate_limit', rateText, 0, rateLimitMax);
  const rateKeyName = given('bot_rate_key') ?? 'user_id';
  const rateKeyColumn =
    rateLimit > 0 || given('bot_rate_key') !== undefined
      ? typed('bot_rate_key', columnOf('bot_rate_key', rateKeyName), rateKeyTypes, 'an integer or text type')
      : -1;

  const userAgent = userAgentSource(columns, given('bot_user_agent_column'), given('bot_user_agent_key'), columnOf);
  if (!on) return null;
  if (userAgent === null && rateLimit === 0) {
    throw new DbError('22023', 'bot_filter has no rule to run', {
      hint: 'Name a user agent column with bot_user_agent_column (a table column "user_agent" is found by default), or set bot_rate_limit.',
    });
  }
  return { flagColumn, userAgent, rateLimit, rateKeyColumn };
}

function userAgentSource(
  columns: readonly ColumnDef[],
  columnName: string | undefined,
  key: string | undefined,
  columnOf: (option: string, name: string) => number,
): UserAgentSource | null {
  if (columnName === '') {
    if (key !== undefined) throw new DbError('22023', 'option "bot_user_agent_key" needs a jsonb column in "bot_user_agent_column"');
    return null;
  }
  let index: number;
  if (columnName !== undefined) index = columnOf('bot_user_agent_column', columnName);
  else {
    // By default the user agent is a column named user_agent, when the table has one.
    index = columns.findIndex((c) => c.name === 'user_agent');
    if (index < 0) {
      if (key !== undefined) throw new DbError('22023', 'option "bot_user_agent_key" needs a jsonb column in "bot_user_agent_column"');
      return null;
    }
  }
  const column = columns[index] as ColumnDef;
  if (column.type.id === 'jsonb') return { column: index, key: key ?? 'user_agent' };
  if (!textTypes.has(column.type.id)) {
    throw new DbError('22023', `invalid value for option "bot_user_agent_column": column "${column.name}" is of type ${column.type.name}, not text or jsonb`);
  }
  if (key !== undefined) throw new DbError('22023', `option "bot_user_agent_key" needs a jsonb column, but column "${column.name}" is of type ${column.type.name}`);
  return { column: index, key: null };
}
