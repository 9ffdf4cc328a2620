/**
 * The product-analytics `events` generator: deterministic, streaming, over typed arrays.
 *
 * Rows come session by session. A session belongs to a user drawn Zipf-skewed by activity rank;
 * it starts at a time drawn from the seasonal distribution at the stream's position (so the
 * stream is roughly time-ordered), and its events follow each other with gaps under 30 minutes.
 * A user's next session starts at least 30 minutes after their previous event, so sessionizing
 * the data by that rule gives back exactly the generated session ids. Within a session, events
 * walk the purchase funnel (view_item -> add_to_cart -> begin_checkout -> purchase) with a
 * drop-off at each step, between Zipf-skewed browsing events.
 *
 * Memory: a chunk at a time plus 12 bytes per user; never the whole table.
 */
import { AliasTable, zipfWeights } from './alias-table.js';
import { allocateEventsChunk, NULL_PROPERTIES, PropertyKey, type EventsChunk } from './events-chunk.js';
import {
  BOT_BROWSER_WEIGHTS,
  BROWSING_EVENT_TYPES,
  COUNTRY_WEIGHTS,
  Device,
  DEVICE_WEIGHTS,
  EventType,
  MEAN_DURATION_MS,
  Os,
  Page,
  PAGE_PRODUCT_BASE,
  PAGES,
  PRODUCT_COUNT,
  REFERRER_WEIGHTS,
} from './events-dictionaries.js';
import { resolveEventsOptions, type EventsGeneratorOptions, type ResolvedEventsOptions } from './events-options.js';
import { hash32, Random } from './random.js';
import { SessionStartDistribution } from './seasonality.js';
import { browserTableForOs, osTableForDevice, UserModel } from './user-model.js';
import { DbError } from '../storage/errors.js';

/** Two events more than this apart belong to different sessions. */
export const SESSION_GAP_MS = 30 * 60_000;
const MEAN_EVENT_GAP_MS = 40_000;
const MEAN_BOT_EVENT_GAP_MS = 2_000;
const BOUNCE_SHARE = 0.35;
const MEAN_EXTRA_SESSION_EVENTS = 7;
const MAX_SESSION_EVENTS = 250;
const BOT_SHARE = 0.03;
/** A session must start at least this long before the window ends. */
const LATEST_START_MARGIN_MS = 60_000;
/** Draws of another user when the drawn one has no room left in the window. */
const USER_REDRAWS = 8;

/** How far the session in progress went down the purchase funnel. */
const Funnel = { none: 0, viewed: 1, inCart: 2, checkingOut: 3, purchased: 4, abandoned: 5 } as const;

const browsingTypes = new AliasTable(zipfWeights(BROWSING_EVENT_TYPES.length, 1.2));
const pages = new AliasTable(zipfWeights(PAGES.length, 1.0));
const products = new AliasTable(zipfWeights(PRODUCT_COUNT, 0.9));
const referrers = new AliasTable(REFERRER_WEIGHTS);
const countries = new AliasTable(COUNTRY_WEIGHTS);
const devices = new AliasTable(DEVICE_WEIGHTS);
const botBrowsers = new AliasTable(BOT_BROWSER_WEIGHTS);

export class EventsGenerator {
  readonly options: ResolvedEventsOptions;
  readonly model: UserModel;
  private readonly random: Random;
  private readonly starts: SessionStartDistribution;
  private readonly usersByRank: AliasTable;
  /** Per user (index user_id - 1): time of the last event, 0 before the first. */
  private readonly lastEventMs: Float64Array;
  /** Per user: sessions so far. */
  private readonly sessionCount: Int32Array;
  private produced = 0;

  // The session in progress.
  private left = 0;
  private user = 0;
  private session = 0;
  private timeMs = 0;
  private funnel = 0;
  private item = 0;
  private cartItem = 0;
  private bot = 0;
  private country = 0;
  private device = 0;
  private os = 0;
  private browser = 0;
  private referrer = 0;
  private plan = 0;
  private abGroup = 0;

  constructor(options: EventsGeneratorOptions) {
    this.options = resolveEventsOptions(options);
    const { seed, users, windowStartMs, windowEndMs, userZipfExponent } = this.options;
    this.model = new UserModel(seed, users);
    this.random = new Random(seed);
    this.starts = new SessionStartDistribution(windowStartMs, windowEndMs);
    this.usersByRank = new AliasTable(zipfWeights(users, userZipfExponent));
    this.lastEventMs = new Float64Array(users);
    this.sessionCount = new Int32Array(users);
  }

  /** Rows generated so far. */
  get rowsProduced(): number {
    return this.produced;
  }

  /** The next chunk of at most `maxRows` rows (default: the chunk size), or null at the end. */
  next(maxRows = this.options.chunkRows): EventsChunk | null {
    const n = Math.min(maxRows, this.options.rows - this.produced);
    if (n <= 0) return null;
    const chunk = allocateEventsChunk(n);
    for (let row = 0; row < n; row++) this.writeRow(chunk, row);
    return chunk;
  }

  *chunks(): Generator<EventsChunk> {
    for (let chunk = this.next(); chunk !== null; chunk = this.next()) yield chunk;
  }

  private writeRow(chunk: EventsChunk, row: number): void {
    const random = this.random;
    let first = false;
    if (this.left > 0) {
      const gap = this.bot === 1 ? MEAN_BOT_EVENT_GAP_MS : MEAN_EVENT_GAP_MS;
      const nextMs = this.timeMs + 1 + Math.min(Math.floor(random.nextExponential(gap)), SESSION_GAP_MS - 2);
      if (nextMs < this.options.windowEndMs) this.timeMs = nextMs;
      else this.left = 0;
    }
    if (this.left === 0) {
      this.startSession();
      first = true;
    }
    this.left--;
    this.produced++;
    this.lastEventMs[this.user - 1] = this.timeMs;

    const type = first ? EventType.pageView : this.nextEventType();
    chunk.eventTimeUs[row] = this.timeMs * 1000;
    chunk.userId[row] = this.user;
    chunk.sessionNumber[row] = this.session;
    chunk.eventType[row] = type;
    chunk.page[row] = this.pageOf(type);
    chunk.referrer[row] = this.referrer;
    chunk.country[row] = this.country;
    chunk.device[row] = this.device;
    chunk.os[row] = this.os;
    chunk.browser[row] = this.browser;
    chunk.isBot[row] = this.bot;
    chunk.revenueCents[row] = type === EventType.purchase ? this.purchaseCents() : -1;
    const meanDuration = (MEAN_DURATION_MS[type] as number) / (this.bot === 1 ? 10 : 1);
    chunk.durationMs[row] = random.nextUnit() < 0.01 ? -1 : Math.floor(random.nextExponential(meanDuration));
    chunk.propertyKeys[row] = this.propertyKeysOf(type);
    chunk.plan[row] = this.plan;
    chunk.itemId[row] = type === EventType.beginCheckout || type === EventType.purchase ? this.cartItem : this.item;
    chunk.abGroup[row] = this.abGroup;
  }

  private startSession(): void {
    const random = this.random;
    const { rows, windowEndMs } = this.options;
    // Jitter by a few sessions' worth of rows so neighbouring sessions interleave in time.
    const jitterRows = random.nextUnit() * Math.min(64, rows / 1000);
    const latestStart = windowEndMs - LATEST_START_MARGIN_MS;
    const start = Math.min(latestStart, this.starts.timeAt((this.produced + jitterRows) / rows));
    let user = 0;
    let timeMs = -1;
    for (let attempt = 0; attempt < USER_REDRAWS && timeMs < 0; attempt++) {
      user = this.model.userIdOfRank(this.usersByRank.sample(random.nextDouble()));
      timeMs = this.fitSession(user, start, latestStart);
    }
    // Every drawn user is busy until the window's end: take the next user with room.
    for (let probe = 0; timeMs < 0 && probe < this.options.users; probe++) {
      user = (user % this.options.users) + 1;
      timeMs = this.fitSession(user, start, latestStart);
    }
    if (timeMs < 0) {
      throw new DbError(
        '22023',
        `${this.options.users} users have no room for more sessions in the window after ${this.produced} events; use more users or a longer window`,
      );
    }

    const model = this.model;
    this.user = user;
    this.timeMs = timeMs;
    this.session = (this.sessionCount[user - 1] as number) + 1;
    this.sessionCount[user - 1] = this.session;
    this.left = random.nextUnit() < BOUNCE_SHARE ? 1 : Math.min(MAX_SESSION_EVENTS, 2 + Math.floor(random.nextExponential(MEAN_EXTRA_SESSION_EVENTS)));
    this.funnel = Funnel.none;
    this.item = 0;
    this.cartItem = 0;
    this.plan = model.plan(user);
    this.abGroup = model.abGroup(user);
    const place = random.nextUnit();
    this.country = place < 0.005 ? 0 : place < 0.035 ? countries.sample(random.nextUnit()) : model.homeCountry(user);
    this.bot = random.nextUnit() < BOT_SHARE ? 1 : 0;
    if (this.bot === 1) {
      this.device = Device.desktop;
      this.os = Os.linux;
      this.browser = botBrowsers.sample(random.nextUnit());
      this.referrer = 0;
      return;
    }
    if (random.nextUnit() < 0.85) {
      this.device = model.primaryDevice(user);
      this.os = model.primaryOs(user);
      this.browser = model.primaryBrowser(user);
    } else {
      this.device = devices.sample(random.nextUnit());
      this.os = osTableForDevice(this.device).sample(random.nextUnit());
      this.browser = browserTableForOs(this.os).sample(random.nextUnit());
    }
    this.referrer = referrers.sample(random.nextUnit());
  }

  /** Start time of a new session of `user` at or after `start`, or -1 when the window is full. */
  private fitSession(user: number, start: number, latestStart: number): number {
    const last = this.lastEventMs[user - 1] as number;
    let timeMs = start;
    if (last > 0 && start < last + SESSION_GAP_MS) {
      timeMs = last + SESSION_GAP_MS + Math.floor(this.random.nextUnit() * SESSION_GAP_MS);
    }
    return timeMs <= latestStart ? timeMs : -1;
  }

  /**
   * The funnel step or browsing event after the first event of a session. At each step a
   * session may move on, look at another item, give up the funnel for the rest of the session
   * (Funnel.abandoned), or browse; the chance of giving up grows with the step's friction.
   */
  private nextEventType(): number {
    const u = this.random.nextUnit();
    switch (this.funnel) {
      case Funnel.none:
        if (u < 0.2) return this.viewItem();
        break;
      case Funnel.viewed:
        if (this.bot === 1) break;
        if (u < 0.1) return this.advance(Funnel.inCart, EventType.addToCart);
        if (u < 0.25) return this.viewItem();
        if (u < 0.4) this.funnel = Funnel.abandoned;
        break;
      case Funnel.inCart:
        if (u < 0.2) return this.advance(Funnel.checkingOut, EventType.beginCheckout);
        if (u < 0.45) this.funnel = Funnel.abandoned;
        break;
      case Funnel.checkingOut:
        if (u < 0.35) return this.advance(Funnel.purchased, EventType.purchase);
        if (u < 0.6) this.funnel = Funnel.abandoned;
        break;
      default:
        if (u < 0.05) return this.viewItem();
    }
    return BROWSING_EVENT_TYPES[browsingTypes.sample(this.random.nextUnit())] as number;
  }

  private viewItem(): number {
    this.item = 1 + products.sample(this.random.nextUnit());
    if (this.funnel === Funnel.none || this.funnel >= Funnel.purchased) this.funnel = Funnel.viewed;
    return EventType.viewItem;
  }

  private advance(step: number, type: number): number {
    this.funnel = step;
    if (type === EventType.addToCart) this.cartItem = this.item;
    return type;
  }

  private pageOf(type: number): number {
    switch (type) {
      case EventType.viewItem:
      case EventType.addToCart:
        return PAGE_PRODUCT_BASE + this.item - 1;
      case EventType.beginCheckout:
        return Page.checkout;
      case EventType.purchase:
        return Page.checkoutComplete;
      case EventType.search:
        return Page.search;
      case EventType.login:
        return Page.login;
      case EventType.signup:
        return Page.signup;
      case EventType.removeFromCart:
        return Page.cart;
      default:
        return pages.sample(this.random.nextUnit());
    }
  }

  private purchaseCents(): number {
    const unitCents = (5 + (hash32(this.options.seed, this.cartItem, 99) % 400)) * 100 + 99;
    const u = this.random.nextUnit();
    return unitCents * (u < 0.8 ? 1 : u < 0.95 ? 2 : 3);
  }

  private propertyKeysOf(type: number): number {
    const u = this.random.nextUnit();
    switch (type) {
      case EventType.purchase:
        return PropertyKey.plan | PropertyKey.itemId | PropertyKey.abGroup;
      case EventType.viewItem:
      case EventType.addToCart:
      case EventType.beginCheckout:
        return PropertyKey.itemId | (u < 0.5 ? PropertyKey.abGroup : 0);
      case EventType.signup:
      case EventType.login:
        return PropertyKey.plan | (u < 0.3 ? PropertyKey.abGroup : 0);
      case EventType.pageView:
        return u < 0.4 ? PropertyKey.abGroup : 0;
      default:
        return u < 0.5 ? NULL_PROPERTIES : 0;
    }
  }
}
