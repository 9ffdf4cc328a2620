/**
 * The events generator: determinism, streaming, the shape of the data (funnel drop-off, Zipf
 * skew, sessions, seasonality) and that every generated value is valid text of its SQL type.
 */
import { describe, expect, it } from 'vitest';
import { encodeEventsCsv } from '../../../bench/csv.js';
import { eventsChunkToBatch } from '../../../bench/events-batch.js';
import { NULL_PROPERTIES, type EventsChunk } from '../../../bench/events-chunk.js';
import { AB_GROUPS, COUNTRIES, EVENT_TYPES, EventType, PLANS } from '../../../bench/events-dictionaries.js';
import { EventsGenerator, SESSION_GAP_MS } from '../../../bench/events-generator.js';
import { EVENTS_COLUMNS } from '../../../bench/events-schema.js';
import { eventRowText } from '../../../bench/events-text.js';
import { UsersGenerator, userRowText } from '../../../bench/users-generator.js';
import { getValue } from '../../../storage/vector.js';
import { parseCsv } from './csv-reference.js';

function allChunks(generator: EventsGenerator): EventsChunk[] {
  return [...generator.chunks()];
}

function csvOf(options: ConstructorParameters<typeof EventsGenerator>[0]): Buffer {
  return Buffer.concat(allChunks(new EventsGenerator(options)).map(encodeEventsCsv));
}

const ROWS = 100_000;
const sample = allChunks(new EventsGenerator({ rows: ROWS, seed: 11 }));

function forEachRow(visit: (chunk: EventsChunk, row: number) => void): void {
  for (const chunk of sample) for (let row = 0; row < chunk.rowCount; row++) visit(chunk, row);
}

describe('determinism and streaming', () => {
  it('gives the same rows for the same seed, whatever the chunk size', () => {
    const a = csvOf({ rows: 30_000, seed: 5 });
    const b = csvOf({ rows: 30_000, seed: 5 });
    const small = csvOf({ rows: 30_000, seed: 5, chunkRows: 777 });
    expect(a.length).toBeGreaterThan(30_000 * 50);
    expect(b.equals(a)).toBe(true);
    expect(small.equals(a)).toBe(true);
  });

  it('gives different rows for a different seed', () => {
    const a = csvOf({ rows: 5_000, seed: 5 }).toString('latin1').split('\n');
    const b = csvOf({ rows: 5_000, seed: 6 }).toString('latin1').split('\n');
    let same = 0;
    for (let i = 0; i < a.length - 1; i++) if (a[i] === b[i]) same++;
    expect(same).toBeLessThan(50);
  });

  it('produces exactly the requested rows in chunks of at most the chunk size', () => {
    const chunks = allChunks(new EventsGenerator({ rows: 10_001, seed: 1, chunkRows: 1_000 }));
    expect(chunks.map((c) => c.rowCount)).toEqual([...Array(10).fill(1_000), 1]);
    expect(allChunks(new EventsGenerator({ rows: 0 }))).toEqual([]);
  });

  it('rejects impossible options with invalid_parameter_value', () => {
    expect(() => new EventsGenerator({ rows: -1 })).toThrow(expect.objectContaining({ code: '22023' }));
    expect(() => new EventsGenerator({ rows: 10, users: 0 })).toThrow(expect.objectContaining({ code: '22023' }));
    // One user cannot have 20,000 events of 30-minute-separated sessions in one day.
    const crowded = new EventsGenerator({ rows: 20_000, users: 1, windowDays: 1 });
    expect(() => allChunks(crowded)).toThrow(expect.objectContaining({ code: '22023' }));
  });
});

describe('shape of the data', () => {
  it('drops off at each step of the purchase funnel', () => {
    const counts = new Array<number>(EVENT_TYPES.length).fill(0);
    forEachRow((chunk, row) => counts[chunk.eventType[row] as number]!++);
    const funnel = [EventType.pageView, EventType.viewItem, EventType.addToCart, EventType.beginCheckout, EventType.purchase];
    const funnelCounts = funnel.map((type) => counts[type] as number);
    for (let step = 1; step < funnel.length; step++) {
      expect(funnelCounts[step]).toBeLessThan(funnelCounts[step - 1] as number);
    }
    expect(funnelCounts[4]).toBeGreaterThan(0);
    // page_view is the most frequent type overall.
    expect(Math.max(...counts)).toBe(counts[EventType.pageView]);
  });

  it('walks the funnel in order within each session', () => {
    const reached = [0, 0, 0, 0, 0];
    let key = '';
    let steps = new Set<number>();
    const close = () => {
      if (key === '') return;
      [EventType.pageView, EventType.viewItem, EventType.addToCart, EventType.beginCheckout, EventType.purchase].forEach(
        (type, i) => (reached[i]! += steps.has(type) ? 1 : 0),
      );
    };
    forEachRow((chunk, row) => {
      const k = `${chunk.userId[row]}-${chunk.sessionNumber[row]}`;
      if (k !== key) {
        close();
        key = k;
        steps = new Set();
        // Every session lands on a page first.
        expect(chunk.eventType[row]).toBe(EventType.pageView);
      }
      const type = chunk.eventType[row] as number;
      if (type === EventType.addToCart) expect(steps.has(EventType.viewItem)).toBe(true);
      if (type === EventType.beginCheckout) expect(steps.has(EventType.addToCart)).toBe(true);
      if (type === EventType.purchase) expect(steps.has(EventType.beginCheckout)).toBe(true);
      steps.add(type);
    });
    close();
    for (let step = 1; step < reached.length; step++) expect(reached[step]).toBeLessThan(reached[step - 1] as number);
  });

  it('skews activity across users (Zipf)', () => {
    const generator = new EventsGenerator({ rows: ROWS, seed: 11 });
    const perUser = new Array<number>(generator.options.users).fill(0);
    forEachRow((chunk, row) => perUser[(chunk.userId[row] as number) - 1]!++);
    perUser.sort((a, b) => b - a);
    const median = perUser[Math.floor(perUser.length / 2)] as number;
    expect(generator.options.users).toBe(ROWS / 50);
    expect(median).toBeGreaterThan(0);
    expect(perUser[0]).toBeGreaterThan(20 * median);
  });

  it('keeps events of a session under 30 minutes apart and sessions of a user 30 minutes or more apart', () => {
    const byUser = new Map<number, { time: number; session: number }[]>();
    forEachRow((chunk, row) => {
      const user = chunk.userId[row] as number;
      let events = byUser.get(user);
      if (events === undefined) byUser.set(user, (events = []));
      events.push({ time: (chunk.eventTimeUs[row] as number) / 1000, session: chunk.sessionNumber[row] as number });
    });
    for (const events of byUser.values()) {
      events.sort((a, b) => a.time - b.time);
      expect(events[0]!.session).toBe(1);
      for (let i = 1; i < events.length; i++) {
        const gap = events[i]!.time - events[i - 1]!.time;
        if (events[i]!.session === events[i - 1]!.session) expect(gap).toBeLessThan(SESSION_GAP_MS);
        else {
          expect(events[i]!.session).toBe(events[i - 1]!.session + 1);
          expect(gap).toBeGreaterThanOrEqual(SESSION_GAP_MS);
        }
      }
    }
  });

  it('spreads events over the window with daily and weekly seasonality', () => {
    const { windowStartMs, windowEndMs } = new EventsGenerator({ rows: ROWS, seed: 11 }).options;
    expect(windowEndMs).toBe(Date.UTC(2024, 6, 1));
    expect(windowEndMs - windowStartMs).toBe(90 * 86_400_000);
    const hours = new Array<number>(24).fill(0);
    const weekdays = new Array<number>(7).fill(0);
    let outside = 0;
    forEachRow((chunk, row) => {
      const ms = (chunk.eventTimeUs[row] as number) / 1000;
      if (ms < windowStartMs || ms >= windowEndMs) outside++;
      hours[Math.floor(ms / 3_600_000) % 24]!++;
      // 1970-01-01 was a Thursday (getUTCDay 4).
      weekdays[(Math.floor(ms / 86_400_000) + 4) % 7]!++;
    });
    expect(outside).toBe(0);
    const night = hours[2]! + hours[3]! + hours[4]!;
    const afternoon = hours[12]! + hours[13]! + hours[14]!;
    expect(afternoon).toBeGreaterThan(2 * night);
    // Saturday and Sunday against Tuesday and Wednesday (each appears 12 or 13 times in 90 days).
    expect(weekdays[0]! + weekdays[6]!).toBeLessThan(0.9 * (weekdays[2]! + weekdays[3]!));
  });

  it('marks about 3% of events as bots', () => {
    let bots = 0;
    forEachRow((chunk, row) => (bots += chunk.isBot[row] as number));
    expect(bots / ROWS).toBeGreaterThan(0.015);
    expect(bots / ROWS).toBeLessThan(0.05);
  });
});

/** jsonb's text form: keys by length then bytes, `{"k": v, ...}`. */
function jsonbText(value: Record<string, unknown>): string {
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(value[k])}`).join(', ')}}`;
}

describe('generated values are text of their SQL types', () => {
  const { users, windowStartMs, windowEndMs } = new EventsGenerator({ rows: ROWS, seed: 11 }).options;

  it('in the parameter form', () => {
    // Plain checks collected per row: expect() per value would dominate the run time.
    const failures: string[] = [];
    const check = (ok: boolean, what: string, row: readonly (string | null)[]) => {
      if (!ok && failures.length < 5) failures.push(`${what}: ${JSON.stringify(row)}`);
    };
    const timeText = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/;
    let purchases = 0;
    forEachRow((chunk, row) => {
      const text = eventRowText(chunk, row);
      const [time, user, session, type, page, referrer, country, device, os, browser, bot, revenue, duration, properties] = text;
      check(timeText.test(time!), 'event_time text', text);
      const ms = Date.parse(time!.replace(' ', 'T').replace('+00', 'Z'));
      check(ms * 1000 === chunk.eventTimeUs[row], 'event_time value', text);
      check(ms >= windowStartMs && ms < windowEndMs, 'event_time in window', text);
      check(/^[1-9]\d*$/.test(user!) && Number(user) <= users, 'user_id', text);
      check(session === `s-${user}-${chunk.sessionNumber[row]}` && chunk.sessionNumber[row]! >= 1, 'session_id', text);
      check((EVENT_TYPES as readonly string[]).includes(type!), 'event_type', text);
      check(/^\/[a-z0-9/-]*$/.test(page!), 'page', text);
      check(referrer === null || /^https:\/\/[a-z.]+\/$/.test(referrer), 'referrer', text);
      check(country === null || /^[A-Z]{2}$/.test(country), 'country', text);
      check(['desktop', 'mobile', 'tablet'].includes(device!) && !!os && !!browser, 'device, os, browser', text);
      check(bot === 't' || bot === 'f', 'is_bot', text);
      if (type === 'purchase') {
        purchases++;
        // numeric(12,2): at most 10 digits before the point, exactly 2 after, positive.
        check(/^[1-9]\d{0,9}\.\d{2}$/.test(revenue ?? ''), 'revenue of a purchase', text);
      } else check(revenue === null, 'revenue only for purchases', text);
      check(duration === null || (/^(0|[1-9]\d*)$/.test(duration) && Number(duration) <= 2 ** 31 - 1), 'duration_ms', text);
      if (properties === null) {
        check(chunk.propertyKeys[row] === NULL_PROPERTIES, 'NULL properties', text);
        return;
      }
      const parsed = JSON.parse(properties) as Record<string, unknown>;
      check(properties === jsonbText(parsed), 'properties in jsonb text form', text);
      check(Object.keys(parsed).every((k) => ['plan', 'item_id', 'ab_group'].includes(k)), 'properties keys', text);
      check(!('plan' in parsed) || (PLANS as readonly unknown[]).includes(parsed['plan']), 'properties.plan', text);
      check(!('ab_group' in parsed) || (AB_GROUPS as readonly unknown[]).includes(parsed['ab_group']), 'properties.ab_group', text);
      check(!('item_id' in parsed) || Number.isInteger(parsed['item_id']), 'properties.item_id', text);
    });
    expect(failures).toEqual([]);
    expect(purchases).toBeGreaterThan(0);
  });

  it('in CSV, field for field the same as the parameter form', () => {
    const chunk = sample[0]!;
    const lines = parseCsv(encodeEventsCsv(chunk).toString('latin1'));
    const expected = Array.from({ length: chunk.rowCount }, (_, row) => eventRowText(chunk, row));
    expect(lines.length).toBe(chunk.rowCount);
    expect(JSON.stringify(lines) === JSON.stringify(expected)).toBe(true);
  });

  it('in the Batch form, with each column in its storage layout', () => {
    const chunk = sample[1]!;
    const batch = eventsChunkToBatch(chunk);
    expect(batch.length).toBe(chunk.rowCount);
    batch.columns.forEach((vector, i) => expect(vector.type).toBe(EVENTS_COLUMNS[i]!.type));
    for (let row = 0; row < chunk.rowCount; row += 97) {
      const text = eventRowText(chunk, row);
      expect(getValue(batch.columns[0]!, row)).toBe(chunk.eventTimeUs[row]);
      expect(getValue(batch.columns[1]!, row)).toBe(BigInt(text[1]!));
      expect(getValue(batch.columns[10]!, row)).toBe(text[10] === 't');
      expect(getValue(batch.columns[12]!, row)).toBe(text[12] === null ? null : Number(text[12]));
      for (const i of [2, 3, 4, 5, 6, 7, 8, 9, 11, 13]) expect(getValue(batch.columns[i]!, row)).toBe(text[i]);
    }
  });
});

describe('users', () => {
  it('has one row per user, agreeing with the users seen in events', () => {
    const generator = new UsersGenerator({ rows: ROWS, seed: 11 });
    const rows = [...generator.chunks()].flatMap((chunk) => Array.from({ length: chunk.rowCount }, (_, r) => userRowText(chunk, r)));
    expect(rows.length).toBe(ROWS / 50);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: ROWS / 50 }, (_, i) => i + 1));
    for (const [, signup, plan, country] of rows) {
      expect(signup).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Date.parse(signup!)).toBeLessThan(Date.UTC(2024, 6, 1));
      expect(PLANS).toContain(plan);
      expect(COUNTRIES).toContain(country);
    }
    // Most sessions of a user happen in the user's home country.
    const countryVotes = new Map<number, Map<string | null, number>>();
    forEachRow((chunk, row) => {
      const user = chunk.userId[row] as number;
      const votes = countryVotes.get(user) ?? new Map<string | null, number>();
      const country = COUNTRIES[chunk.country[row] as number] ?? null;
      votes.set(country, (votes.get(country) ?? 0) + 1);
      countryVotes.set(user, votes);
    });
    let agree = 0;
    let busy = 0;
    for (const [user, votes] of countryVotes) {
      const total = [...votes.values()].reduce((a, b) => a + b, 0);
      if (total < 100) continue;
      busy++;
      const top = [...votes].sort((a, b) => b[1] - a[1])[0]![0];
      if (top === rows[user - 1]![3]) agree++;
    }
    expect(busy).toBeGreaterThan(10);
    expect(agree).toBe(busy);
  });
});
