/**
 * Text adapters of an events chunk: one row as 14 text-format SQL parameters (for INSERT over
 * the wire) and the text of single columns. Values are PostgreSQL's output text; NULL is null.
 */
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
import { EVENTS_COLUMNS } from './events-schema.js';
import { formatCents, formatTimestamptz } from './value-text.js';

export const EVENTS_COLUMN_COUNT = EVENTS_COLUMNS.length;

// jsonb prints keys shorter first, then bytewise: plan, item_id, ab_group.
const PLAN_PARTS = PLANS.map((p) => `"plan": "${p}"`);
const AB_PARTS = AB_GROUPS.map((g) => `"ab_group": "${g}"`);

/** properties as jsonb text, or null. */
export function propertiesText(chunk: EventsChunk, row: number): string | null {
  const keys = chunk.propertyKeys[row] as number;
  if (keys === NULL_PROPERTIES) return null;
  if (keys === 0) return '{}';
  let text = '{';
  if ((keys & PropertyKey.plan) !== 0) text += PLAN_PARTS[chunk.plan[row] as number];
  if ((keys & PropertyKey.itemId) !== 0) text += `${text.length > 1 ? ', ' : ''}"item_id": ${chunk.itemId[row]}`;
  if ((keys & PropertyKey.abGroup) !== 0) text += `${text.length > 1 ? ', ' : ''}${AB_PARTS[chunk.abGroup[row] as number]}`;
  return text + '}';
}

export function sessionIdText(userId: number, sessionNumber: number): string {
  return `s-${userId}-${sessionNumber}`;
}

/**
 * Writes row `row` as EVENTS_COLUMN_COUNT text values into `out` from `offset`, in
 * EVENTS_COLUMNS order: the parameters of a multi-row INSERT.
 */
export function writeEventParams(chunk: EventsChunk, row: number, out: (string | null)[], offset: number): void {
  const revenue = chunk.revenueCents[row] as number;
  const duration = chunk.durationMs[row] as number;
  const userId = chunk.userId[row] as number;
  out[offset] = formatTimestamptz(chunk.eventTimeUs[row] as number);
  out[offset + 1] = String(userId);
  out[offset + 2] = sessionIdText(userId, chunk.sessionNumber[row] as number);
  out[offset + 3] = EVENT_TYPES[chunk.eventType[row] as number] as string;
  out[offset + 4] = PAGES[chunk.page[row] as number] as string;
  out[offset + 5] = REFERRERS[chunk.referrer[row] as number] ?? null;
  out[offset + 6] = COUNTRIES[chunk.country[row] as number] ?? null;
  out[offset + 7] = DEVICES[chunk.device[row] as number] as string;
  out[offset + 8] = OPERATING_SYSTEMS[chunk.os[row] as number] as string;
  out[offset + 9] = BROWSERS[chunk.browser[row] as number] as string;
  out[offset + 10] = chunk.isBot[row] === 1 ? 't' : 'f';
  out[offset + 11] = revenue < 0 ? null : formatCents(revenue);
  out[offset + 12] = duration < 0 ? null : String(duration);
  out[offset + 13] = propertiesText(chunk, row);
}

/** Row `row` as text values (null for NULL), in EVENTS_COLUMNS order. */
export function eventRowText(chunk: EventsChunk, row: number): (string | null)[] {
  const out = new Array<string | null>(EVENTS_COLUMN_COUNT);
  writeEventParams(chunk, row, out, 0);
  return out;
}

function mapRows(n: number, value: (row: number) => string | null): (string | null)[] {
  const out = new Array<string | null>(n);
  for (let row = 0; row < n; row++) out[row] = value(row);
  return out;
}

/** One column of the chunk as text values (null for NULL); `column` indexes EVENTS_COLUMNS. */
export function eventsColumnText(chunk: EventsChunk, column: number): (string | null)[] {
  const n = chunk.rowCount;
  switch (column) {
    case 0:
      return mapRows(n, (r) => formatTimestamptz(chunk.eventTimeUs[r] as number));
    case 1:
      return mapRows(n, (r) => String(chunk.userId[r]));
    case 2:
      return mapRows(n, (r) => sessionIdText(chunk.userId[r] as number, chunk.sessionNumber[r] as number));
    case 3:
      return mapRows(n, (r) => EVENT_TYPES[chunk.eventType[r] as number] as string);
    case 4:
      return mapRows(n, (r) => PAGES[chunk.page[r] as number] as string);
    case 5:
      return mapRows(n, (r) => REFERRERS[chunk.referrer[r] as number] ?? null);
    case 6:
      return mapRows(n, (r) => COUNTRIES[chunk.country[r] as number] ?? null);
    case 7:
      return mapRows(n, (r) => DEVICES[chunk.device[r] as number] as string);
    case 8:
      return mapRows(n, (r) => OPERATING_SYSTEMS[chunk.os[r] as number] as string);
    case 9:
      return mapRows(n, (r) => BROWSERS[chunk.browser[r] as number] as string);
    case 10:
      return mapRows(n, (r) => (chunk.isBot[r] === 1 ? 't' : 'f'));
    case 11:
      return mapRows(n, (r) => ((chunk.revenueCents[r] as number) < 0 ? null : formatCents(chunk.revenueCents[r] as number)));
    case 12:
      return mapRows(n, (r) => ((chunk.durationMs[r] as number) < 0 ? null : String(chunk.durationMs[r])));
    case 13:
      return mapRows(n, (r) => propertiesText(chunk, r));
    default:
      throw new RangeError(`events has no column ${column}`);
  }
}
