/** Options of the events and users generators, their defaults and validation. */
import { DbError } from '../storage/errors.js';
import { DAY_MS } from './seasonality.js';

export interface EventsGeneratorOptions {
  /** Rows to generate in total. */
  readonly rows: number;
  /** Same seed, same rows, on any machine. Default 1. */
  readonly seed?: number;
  /** Distinct users; default one per 50 events. */
  readonly users?: number;
  /** Exclusive end of the event_time window; default 2024-07-01 00:00 UTC (the window ends 2024-06-30). */
  readonly windowEndMs?: number;
  /** Length of the window in days; default 90. */
  readonly windowDays?: number;
  /** Zipf exponent of user activity (sessions per user by rank); default 0.6. */
  readonly userZipfExponent?: number;
  /** Rows per generated chunk; default 65,536. */
  readonly chunkRows?: number;
}

export interface ResolvedEventsOptions {
  readonly rows: number;
  readonly seed: number;
  readonly users: number;
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  readonly userZipfExponent: number;
  readonly chunkRows: number;
}

export const DEFAULT_WINDOW_END_MS = Date.UTC(2024, 6, 1);
export const DEFAULT_WINDOW_DAYS = 90;
export const EVENTS_PER_USER = 50;
/** Largest user count: user ids and per-user state stay in 32-bit arrays. */
export const MAX_USERS = 2 ** 31 - 1;

function invalid(message: string): DbError {
  return new DbError('22023', message);
}

function requireInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
  return value;
}

export function resolveEventsOptions(options: EventsGeneratorOptions): ResolvedEventsOptions {
  const rows = requireInteger('rows', options.rows, 0, Number.MAX_SAFE_INTEGER);
  const seed = requireInteger('seed', options.seed ?? 1, 0, 2 ** 32 - 1);
  const users = requireInteger('users', options.users ?? Math.max(1, Math.round(rows / EVENTS_PER_USER)), 1, MAX_USERS);
  const windowDays = requireInteger('window days', options.windowDays ?? DEFAULT_WINDOW_DAYS, 1, 36_500);
  const windowEndMs = options.windowEndMs ?? DEFAULT_WINDOW_END_MS;
  if (!Number.isSafeInteger(windowEndMs)) throw invalid(`window end must be an integral millisecond time, got ${windowEndMs}`);
  const userZipfExponent = options.userZipfExponent ?? 0.6;
  if (!(userZipfExponent >= 0 && userZipfExponent <= 3)) {
    throw invalid(`user zipf exponent must be between 0 and 3, got ${userZipfExponent}`);
  }
  const chunkRows = requireInteger('chunk rows', options.chunkRows ?? 65_536, 1, 1 << 24);
  return {
    rows,
    seed,
    users,
    windowStartMs: windowEndMs - windowDays * DAY_MS,
    windowEndMs,
    userZipfExponent,
    chunkRows,
  };
}
