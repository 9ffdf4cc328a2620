/**
 * COPY's options, checked as PostgreSQL 15's ProcessCopyOptions checks them (same messages,
 * SQLSTATEs and order), resolved into the format the readers and writers use.
 */
import { DbError } from '../../../storage/errors.js';
import type { CopyOptionValue } from '../ast.js';

export interface CopyFormat {
  readonly kind: 'text' | 'csv' | 'binary';
  /** One character. */
  readonly delimiter: string;
  readonly nullText: string;
  readonly header: boolean | 'match';
  /** CSV only: one character each. */
  readonly quote: string;
  readonly escape: string;
  /** COPY TO, CSV: columns (names) always quoted, or '*' for all. */
  readonly forceQuote: '*' | readonly string[];
  /** COPY FROM, CSV: columns whose unquoted null string is read as a value / quoted one as NULL. */
  readonly forceNotNull: readonly string[];
  readonly forceNull: readonly string[];
}

export interface CopyOption {
  readonly name: string;
  readonly value: CopyOptionValue;
  readonly location: number;
}

const redundant = (location: number) => new DbError('42601', 'conflicting or redundant options').withPosition(location >= 0 ? location + 1 : undefined);
const featureError = (message: string) => new DbError('0A000', message);
const invalid = (message: string) => new DbError('22023', message);

function booleanOf(option: CopyOption): boolean {
  const v = option.value;
  if (v === true) return true;
  if (typeof v === 'string') {
    const text = v.toLowerCase();
    if (text === '1' || text === 'true' || text === 'on' || text === 'yes') return true;
    if (text === '0' || text === 'false' || text === 'off' || text === 'no') return false;
  }
  throw invalid(`${option.name} requires a Boolean value`);
}

function stringOf(option: CopyOption): string {
  if (typeof option.value === 'string') return option.value;
  throw invalid(`${option.name} requires a parameter`);
}

function columnListOf(option: CopyOption, allowStar: boolean): '*' | readonly string[] {
  const v = option.value;
  if (allowStar && v === '*') return '*';
  if (Array.isArray(v)) return v;
  throw invalid(`argument to option "${option.name}" must be a list of column names`);
}

function headerOf(option: CopyOption, isFrom: boolean): boolean | 'match' {
  if (typeof option.value === 'string' && option.value.toLowerCase() === 'match') {
    if (!isFrom) throw featureError(`cannot use "${option.value}" with HEADER in COPY TO`);
    return 'match';
  }
  try {
    return booleanOf(option);
  } catch {
    throw invalid(`${option.name} requires a Boolean value or "match"`);
  }
}

export function resolveCopyFormat(options: readonly CopyOption[], isFrom: boolean): CopyFormat {
  const seen = new Set<string>();
  let kind: CopyFormat['kind'] = 'text';
  let delimiter: string | null = null;
  let nullText: string | null = null;
  let header: boolean | 'match' = false;
  let quote: string | null = null;
  let escape: string | null = null;
  let forceQuote: '*' | readonly string[] | null = null;
  let forceNotNull: readonly string[] | null = null;
  let forceNull: readonly string[] | null = null;
  for (const option of options) {
    const name = option.name;
    if (seen.has(name)) throw redundant(option.location);
    seen.add(name);
    switch (name) {
      case 'format': {
        const text = stringOf(option);
        if (text === 'text' || text === 'csv' || text === 'binary') kind = text;
        else throw invalid(`COPY format "${text}" not recognized`).withPosition(option.location + 1);
        break;
      }
      case 'freeze':
        booleanOf(option);
        break;
      case 'delimiter':
        delimiter = stringOf(option);
        break;
      case 'null':
        nullText = stringOf(option);
        break;
      case 'header':
        header = headerOf(option, isFrom);
        break;
      case 'quote':
        quote = stringOf(option);
        break;
      case 'escape':
        escape = stringOf(option);
        break;
      case 'force_quote':
        forceQuote = columnListOf(option, true);
        break;
      case 'force_not_null':
        forceNotNull = columnListOf(option, false) as readonly string[];
        break;
      case 'force_null':
        forceNull = columnListOf(option, false) as readonly string[];
        break;
      case 'encoding': {
        const encoding = stringOf(option).toLowerCase().replace(/[-_]/g, '');
        if (encoding !== 'utf8' && encoding !== 'unicode' && encoding !== 'sqlascii') {
          throw featureError(`COPY encoding "${stringOf(option)}" is not supported: Eventide reads and writes UTF8`);
        }
        break;
      }
      default:
        throw new DbError('42601', `option "${name}" not recognized`).withPosition(option.location >= 0 ? option.location + 1 : undefined);
    }
  }
  const csv = kind === 'csv';
  const binary = kind === 'binary';
  if (binary && delimiter !== null) throw new DbError('42601', 'cannot specify DELIMITER in BINARY mode');
  if (binary && nullText !== null) throw new DbError('42601', 'cannot specify NULL in BINARY mode');
  delimiter ??= csv ? ',' : '\t';
  nullText ??= csv ? '' : '\\N';
  if (csv) {
    quote ??= '"';
    escape ??= quote;
  }
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f) throw featureError('COPY delimiter must be a single one-byte character');
  if (delimiter === '\r' || delimiter === '\n') throw invalid('COPY delimiter cannot be newline or carriage return');
  if (nullText.includes('\r') || nullText.includes('\n')) throw invalid('COPY null representation cannot use newline or carriage return');
  if (!csv && '\\.abcdefghijklmnopqrstuvwxyz0123456789'.includes(delimiter)) throw invalid(`COPY delimiter cannot be "${delimiter}"`);
  if (binary && header !== false) throw featureError('cannot specify HEADER in BINARY mode');
  if (!csv && quote !== null) throw featureError('COPY quote available only in CSV mode');
  if (csv && (quote!.length !== 1 || quote!.charCodeAt(0) > 0x7f)) throw featureError('COPY quote must be a single one-byte character');
  if (csv && delimiter === quote) throw invalid('COPY delimiter and quote must be different');
  if (!csv && escape !== null) throw featureError('COPY escape available only in CSV mode');
  if (csv && (escape!.length !== 1 || escape!.charCodeAt(0) > 0x7f)) throw featureError('COPY escape must be a single one-byte character');
  if (!csv && forceQuote !== null) throw featureError('COPY force quote available only in CSV mode');
  if (forceQuote !== null && isFrom) throw featureError('COPY force quote only available using COPY TO');
  if (!csv && forceNotNull !== null) throw featureError('COPY force not null available only in CSV mode');
  if (forceNotNull !== null && !isFrom) throw featureError('COPY force not null only available using COPY FROM');
  if (!csv && forceNull !== null) throw featureError('COPY force null available only in CSV mode');
  if (forceNull !== null && !isFrom) throw featureError('COPY force null only available using COPY FROM');
  if (nullText.includes(delimiter)) throw invalid('COPY delimiter must not appear in the NULL specification');
  if (csv && nullText.includes(quote!)) throw invalid('CSV quote character must not appear in the NULL specification');
  return {
    kind,
    delimiter,
    nullText,
    header,
    quote: quote ?? '"',
    escape: escape ?? '"',
    forceQuote: forceQuote ?? [],
    forceNotNull: forceNotNull ?? [],
    forceNull: forceNull ?? [],
  };
}
