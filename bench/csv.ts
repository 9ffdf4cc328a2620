/**
 * CSV adapters (RFC 4180, as PostgreSQL's and DuckDB's COPY ... CSV read it): NULL is an empty
 * unquoted field; a value is quoted when it holds a comma, quote or line break, or is empty.
 *
 * Events are encoded straight to bytes from the chunk's typed arrays (no per-field strings):
 * CSV feeds the bulk loads of every peer and must not eat the core the database under test
 * needs. Only properties can hold a quote or comma (the vocabularies are checked below), so it
 * is the one field quoted.
 */
import { assert } from '../storage/errors.js';
import { ascii, ByteWriter } from './byte-writer.js';
import { NULL_PROPERTIES, PropertyKey, type EventsChunk } from './events-chunk.js';
import {
  AB_GROUPS,
  BROWSERS,
  COUNTRIES,
  DEVICES,
  EVENT_TYPES,
  OPERATING_SYSTEMS,
  PAGES,
  PLANS,
  REFERRERS,
} from './events-dictionaries.js';
import { DAY_MS } from './seasonality.js';
import { userRowText, type UsersChunk } from './users-generator.js';
import { formatDate, formatTimestamptz } from './value-text.js';

const NEEDS_QUOTES = /[",\r\n]/;
const vocabularies = [BROWSERS, COUNTRIES, DEVICES, EVENT_TYPES, OPERATING_SYSTEMS, PAGES, REFERRERS];
for (const value of vocabularies.flat()) {
  assert(value === null || (value !== '' && !NEEDS_QUOTES.test(value)), `vocabulary value ${value} needs CSV quoting`);
}

export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '' || NEEDS_QUOTES.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

const encodeAll = (values: readonly (string | null)[]) => values.map((v) => ascii(v ?? ''));
const EVENT_TYPE_BYTES = encodeAll(EVENT_TYPES);
const PAGE_BYTES = encodeAll(PAGES);
const REFERRER_BYTES = encodeAll(REFERRERS);
const COUNTRY_BYTES = encodeAll(COUNTRIES);
const DEVICE_BYTES = encodeAll(DEVICES);
const OS_BYTES = encodeAll(OPERATING_SYSTEMS);
const BROWSER_BYTES = encodeAll(BROWSERS);
// properties inside a quoted CSV field: quotes doubled; jsonb key order plan, item_id, ab_group.
const PLAN_BYTES = PLANS.map((p) => ascii(`""plan"": ""${p}""`));
const ITEM_BYTES = ascii('""item_id"": ');
const AB_BYTES = AB_GROUPS.map((g) => ascii(`""ab_group"": ""${g}""`));
const SEPARATOR_BYTES = ascii(', ');
const EMPTY_OBJECT_BYTES = ascii('"{}"');
const MILLIS_BYTES = Array.from({ length: 1000 }, (_, ms) => ascii(formatTimestamptz(ms * 1000).slice(19, -3)));
const SUFFIX_BYTES = ascii('+00');
const SESSION_PREFIX_BYTES = ascii('s-');
/** More than any encoded events row needs. */
const MAX_ROW_BYTES = 512;

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const dayBytes = new Map<number, Uint8Array>();

function writeTimestamptz(out: ByteWriter, microseconds: number): void {
  const ms = Math.floor(microseconds / 1000);
  if (microseconds !== ms * 1000) {
    out.piece(ascii(formatTimestamptz(microseconds)));
    return;
  }
  const day = Math.floor(ms / DAY_MS);
  let date = dayBytes.get(day);
  if (date === undefined) {
    date = ascii(`${formatDate(day)} `);
    dayBytes.set(day, date);
  }
  out.piece(date);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  out.twoDigits(hours);
  out.byte(58);
  out.twoDigits(minutes);
  out.byte(58);
  out.twoDigits(seconds);
  out.piece(MILLIS_BYTES[rest - seconds * 1000] as Uint8Array);
  out.piece(SUFFIX_BYTES);
}

function writeProperties(out: ByteWriter, chunk: EventsChunk, row: number): void {
  const keys = chunk.propertyKeys[row] as number;
  if (keys === NULL_PROPERTIES) return;
  if (keys === 0) {
    out.piece(EMPTY_OBJECT_BYTES);
    return;
  }
  out.byte(QUOTE);
  out.byte(123);
  let first = true;
  if ((keys & PropertyKey.plan) !== 0) {
    out.piece(PLAN_BYTES[chunk.plan[row] as number] as Uint8Array);
    first = false;
  }
  if ((keys & PropertyKey.itemId) !== 0) {
    if (!first) out.piece(SEPARATOR_BYTES);
    out.piece(ITEM_BYTES);
    out.uint(chunk.itemId[row] as number);
    first = false;
  }
  if ((keys & PropertyKey.abGroup) !== 0) {
    if (!first) out.piece(SEPARATOR_BYTES);
    out.piece(AB_BYTES[chunk.abGroup[row] as number] as Uint8Array);
  }
  out.byte(125);
  out.byte(QUOTE);
}

/** Appends the rows of an events chunk as CSV lines (no header) to `out`. */
export function writeEventsCsv(out: ByteWriter, chunk: EventsChunk): void {
  for (let row = 0; row < chunk.rowCount; row++) {
    out.reserve(MAX_ROW_BYTES);
    writeTimestamptz(out, chunk.eventTimeUs[row] as number);
    out.byte(COMMA);
    const user = chunk.userId[row] as number;
    out.uint(user);
    out.byte(COMMA);
    out.piece(SESSION_PREFIX_BYTES);
    out.uint(user);
    out.byte(45);
    out.uint(chunk.sessionNumber[row] as number);
    out.byte(COMMA);
    out.piece(EVENT_TYPE_BYTES[chunk.eventType[row] as number] as Uint8Array);
    out.byte(COMMA);
    out.piece(PAGE_BYTES[chunk.page[row] as number] as Uint8Array);
    out.byte(COMMA);
    out.piece(REFERRER_BYTES[chunk.referrer[row] as number] as Uint8Array);
    out.byte(COMMA);
    out.piece(COUNTRY_BYTES[chunk.country[row] as number] as Uint8Array);
    out.byte(COMMA);
    out.piece(DEVICE_BYTES[chunk.device[row] as number] as Uint8Array);
    out.byte(COMMA);
    out.piece(OS_BYTES[chunk.os[row] as number] as Uint8Array);
    out.byte(COMMA);
    out.piece(BROWSER_BYTES[chunk.browser[row] as number] as Uint8Array);
    out.byte(COMMA);
    out.byte(chunk.isBot[row] === 1 ? 116 : 102);
    out.byte(COMMA);
    const cents = chunk.revenueCents[row] as number;
    if (cents >= 0) {
      const whole = Math.floor(cents / 100);
      out.uint(whole);
      out.byte(46);
      out.twoDigits(cents - whole * 100);
    }
    out.byte(COMMA);
    const duration = chunk.durationMs[row] as number;
    if (duration >= 0) out.uint(duration);
    out.byte(COMMA);
    writeProperties(out, chunk, row);
    out.byte(NEWLINE);
  }
}

/** The rows of an events chunk as CSV bytes (ASCII), no header. */
export function encodeEventsCsv(chunk: EventsChunk): Buffer {
  const out = new ByteWriter();
  writeEventsCsv(out, chunk);
  return out.take();
}

/** The rows of an events chunk as CSV lines, no header. */
export function eventsCsv(chunk: EventsChunk): string {
  return encodeEventsCsv(chunk).toString('latin1');
}

/** The rows of a users chunk as CSV lines, no header (users are few: plain strings suffice). */
export function usersCsv(chunk: UsersChunk): string {
  const lines = new Array<string>(chunk.rowCount);
  for (let row = 0; row < chunk.rowCount; row++) lines[row] = userRowText(chunk, row).map(csvField).join(',') + '\n';
  return lines.join('');
}
