/**
 * The column-chunk form of generated events: one typed array per column, text columns as codes
 * into the vocabularies of events-dictionaries.ts. This is what the generator produces; the text,
 * CSV and Batch adapters read it. NULL is a sentinel value per column (documented per field), so
 * a chunk has no per-row objects.
 */

/** Keys present in `properties`, as bits of `propertyKeys`. */
export const PropertyKey = { plan: 1, itemId: 2, abGroup: 4 } as const;
/** `propertyKeys` value of a row whose properties are NULL. */
export const NULL_PROPERTIES = 0xff;

export interface EventsChunk {
  readonly rowCount: number;
  /** event_time: microseconds since 1970-01-01 UTC (storage's timestamptz layout), whole ms. */
  readonly eventTimeUs: Float64Array;
  /** user_id, 1..users. */
  readonly userId: Int32Array;
  /** n of session_id 's-<user_id>-<n>': the user's n-th session, from 1. */
  readonly sessionNumber: Int32Array;
  /** Index into EVENT_TYPES. */
  readonly eventType: Uint8Array;
  /** Index into PAGES. */
  readonly page: Uint16Array;
  /** Index into REFERRERS; 0 is NULL. */
  readonly referrer: Uint8Array;
  /** Index into COUNTRIES; 0 is NULL. */
  readonly country: Uint8Array;
  /** Index into DEVICES. */
  readonly device: Uint8Array;
  /** Index into OPERATING_SYSTEMS. */
  readonly os: Uint8Array;
  /** Index into BROWSERS. */
  readonly browser: Uint8Array;
  /** is_bot: 0 or 1. */
  readonly isBot: Uint8Array;
  /** revenue in cents; -1 is NULL (only purchases have revenue). */
  readonly revenueCents: Int32Array;
  /** duration_ms; -1 is NULL. */
  readonly durationMs: Int32Array;
  /** Bits of PropertyKey present in properties, or NULL_PROPERTIES. */
  readonly propertyKeys: Uint8Array;
  /** properties.plan: index into PLANS (meaningful when its key bit is set). */
  readonly plan: Uint8Array;
  /** properties.item_id: product number (meaningful when its key bit is set). */
  readonly itemId: Int32Array;
  /** properties.ab_group: index into AB_GROUPS (meaningful when its key bit is set). */
  readonly abGroup: Uint8Array;
}

export function allocateEventsChunk(rowCount: number): EventsChunk {
  return {
    rowCount,
    eventTimeUs: new Float64Array(rowCount),
    userId: new Int32Array(rowCount),
    sessionNumber: new Int32Array(rowCount),
    eventType: new Uint8Array(rowCount),
    page: new Uint16Array(rowCount),
    referrer: new Uint8Array(rowCount),
    country: new Uint8Array(rowCount),
    device: new Uint8Array(rowCount),
    os: new Uint8Array(rowCount),
    browser: new Uint8Array(rowCount),
    isBot: new Uint8Array(rowCount),
    revenueCents: new Int32Array(rowCount),
    durationMs: new Int32Array(rowCount),
    propertyKeys: new Uint8Array(rowCount),
    plan: new Uint8Array(rowCount),
    itemId: new Int32Array(rowCount),
    abGroup: new Uint8Array(rowCount),
  };
}
