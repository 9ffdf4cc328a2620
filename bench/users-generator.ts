/**
 * The `users` table for joins with events: one row per user id 1..users, with the same
 * attributes the events generator gives that user (home country, plan), derived by hashing.
 */
import { COUNTRIES, PLANS } from './events-dictionaries.js';
import { resolveEventsOptions, type EventsGeneratorOptions, type ResolvedEventsOptions } from './events-options.js';
import { UserModel } from './user-model.js';
import { formatDate } from './value-text.js';

export interface UsersChunk {
  readonly rowCount: number;
  readonly userId: Int32Array;
  /** signup_date: days since 1970-01-01 (storage's date layout). */
  readonly signupDay: Int32Array;
  /** Index into PLANS. */
  readonly plan: Uint8Array;
  /** Index into COUNTRIES. */
  readonly country: Uint8Array;
}

export class UsersGenerator {
  readonly options: ResolvedEventsOptions;
  private readonly model: UserModel;
  private nextUserId = 1;

  /** Takes the events options, so both tables agree on seed, user count and window. */
  constructor(options: EventsGeneratorOptions) {
    this.options = resolveEventsOptions(options);
    this.model = new UserModel(this.options.seed, this.options.users);
  }

  next(maxRows = this.options.chunkRows): UsersChunk | null {
    const n = Math.min(maxRows, this.options.users - this.nextUserId + 1);
    if (n <= 0) return null;
    const chunk: UsersChunk = {
      rowCount: n,
      userId: new Int32Array(n),
      signupDay: new Int32Array(n),
      plan: new Uint8Array(n),
      country: new Uint8Array(n),
    };
    const { windowStartMs, windowEndMs } = this.options;
    for (let row = 0; row < n; row++) {
      const user = this.nextUserId++;
      chunk.userId[row] = user;
      chunk.signupDay[row] = this.model.signupDay(user, windowStartMs, windowEndMs);
      chunk.plan[row] = this.model.plan(user);
      chunk.country[row] = this.model.homeCountry(user);
    }
    return chunk;
  }

  *chunks(): Generator<UsersChunk> {
    for (let chunk = this.next(); chunk !== null; chunk = this.next()) yield chunk;
  }
}

/** Row `row` as text values in USERS_COLUMNS order. */
export function userRowText(chunk: UsersChunk, row: number): (string | null)[] {
  return [
    String(chunk.userId[row]),
    formatDate(chunk.signupDay[row] as number),
    PLANS[chunk.plan[row] as number] as string,
    COUNTRIES[chunk.country[row] as number] ?? null,
  ];
}
