/**
 * The generated events as JSON lines, the shape applications post: one object per event, keys
 * named after the columns, event_time in ISO 8601 with a Z, properties nested, NULL fields left
 * out. The file is written once before any timing, with the byte offset of every `linesPerBody`
 * lines recorded so HTTP clients can send it in bodies of whole lines without scanning it.
 */
import { open } from 'node:fs/promises';
import { NULL_PROPERTIES, type EventsChunk } from '../events-chunk.js';
import { BROWSERS, COUNTRIES, DEVICES, EVENT_TYPES, OPERATING_SYSTEMS, PAGES, REFERRERS } from '../events-dictionaries.js';
import { EventsGenerator } from '../events-generator.js';
import type { EventsGeneratorOptions } from '../events-options.js';
import { propertiesText, sessionIdText } from '../events-text.js';
import { formatCents, formatTimestamptz } from '../value-text.js';

export interface JsonLinesFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  /** Start offsets of the bodies, then the file's length: body i is [offsets[i], offsets[i + 1]). */
  readonly bodyOffsets: readonly number[];
  readonly linesPerBody: number;
  readonly elapsedMs: number;
}

/** '2024-06-01 13:07:00.25+00' -> '2024-06-01T13:07:00.25Z'. */
function isoTimestamp(microseconds: number): string {
  const text = formatTimestamptz(microseconds);
  return `${text.slice(0, 10)}T${text.slice(11, -3)}Z`;
}

// Vocabularies hold no quote or backslash (csv.ts checks them), so they go into JSON as is.
const optional = (key: string, value: string | null | undefined) => (value == null ? '' : `,"${key}":"${value}"`);

/** Row `row` of `chunk` as one JSON object without the line break. */
export function eventJsonLine(chunk: EventsChunk, row: number): string {
  const userId = chunk.userId[row] as number;
  const revenue = chunk.revenueCents[row] as number;
  const duration = chunk.durationMs[row] as number;
  let line =
    `{"event_time":"${isoTimestamp(chunk.eventTimeUs[row] as number)}","user_id":${userId}` +
    `,"session_id":"${sessionIdText(userId, chunk.sessionNumber[row] as number)}"` +
    `,"event_type":"${EVENT_TYPES[chunk.eventType[row] as number]}","page":"${PAGES[chunk.page[row] as number]}"` +
    optional('referrer', REFERRERS[chunk.referrer[row] as number]) +
    optional('country', COUNTRIES[chunk.country[row] as number]) +
    `,"device":"${DEVICES[chunk.device[row] as number]}","os":"${OPERATING_SYSTEMS[chunk.os[row] as number]}"` +
    `,"browser":"${BROWSERS[chunk.browser[row] as number]}","is_bot":${chunk.isBot[row] === 1}`;
  if (revenue >= 0) line += `,"revenue":${formatCents(revenue)}`;
  if (duration >= 0) line += `,"duration_ms":${duration}`;
  if (chunk.propertyKeys[row] !== NULL_PROPERTIES) line += `,"properties":${propertiesText(chunk, row)}`;
  return line + '}';
}

/** Bytes gathered before a write to the file. */
const WRITE_BYTES = 8 << 20;

export async function writeEventsJsonLinesFile(path: string, options: EventsGeneratorOptions, linesPerBody: number): Promise<JsonLinesFile> {
  const started = performance.now();
  const file = await open(path, 'w');
  const bodyOffsets: number[] = [];
  // Each line goes into the buffer as soon as it is made, so it dies young: holding a chunk's
  // lines as strings until one write spent most of the time in the garbage collector.
  const buffer = Buffer.allocUnsafe(WRITE_BYTES);
  let used = 0;
  let rows = 0;
  let bytes = 0;
  try {
    for (const chunk of new EventsGenerator(options).chunks()) {
      for (let row = 0; row < chunk.rowCount; row++) {
        if (rows % linesPerBody === 0) bodyOffsets.push(bytes);
        const line = eventJsonLine(chunk, row) + '\n';
        if (used + line.length > buffer.length) {
          await file.write(buffer.subarray(0, used));
          used = 0;
        }
        // Every character is ASCII, so string length is byte length.
        used += buffer.write(line, used, 'latin1');
        bytes += line.length;
        rows++;
      }
    }
    await file.write(buffer.subarray(0, used));
  } finally {
    await file.close();
  }
  bodyOffsets.push(bytes);
  return { path, rows, bytes, bodyOffsets, linesPerBody, elapsedMs: performance.now() - started };
}

/** DuckDB's read_json column spec for the events table (the file leaves NULL fields out). */
export function duckdbJsonColumns(columns: readonly { name: string; duckdbType: string }[]): string {
  return `{${columns.map((c) => `${c.name}: '${c.duckdbType}'`).join(', ')}}`;
}
