/**
 * When sessions start: a density over the generation window with a daily curve (quiet at night,
 * busy in the afternoon and evening, UTC), a weekly curve (quieter weekends) and slow growth
 * over the window. `timeAt(fraction)` is the inverse of its cumulative distribution, so feeding
 * it increasing fractions yields increasing, seasonally spaced times.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Relative traffic per UTC hour of the day. */
const DAILY = [
  0.35, 0.28, 0.24, 0.22, 0.24, 0.3, 0.42, 0.58, 0.75, 0.88, 0.96, 1.0, 1.02, 1.0, 0.98, 0.97, 0.98, 1.0,
  1.02, 1.0, 0.92, 0.8, 0.62, 0.46,
];
/** Relative traffic per weekday, Monday first. */
const WEEKLY = [1.0, 1.04, 1.04, 1.02, 0.96, 0.78, 0.74];
/** Traffic at the end of the window relative to its start. */
const GROWTH = 1.25;

export class SessionStartDistribution {
  readonly startMs: number;
  readonly endMs: number;
  /** cumulative[h] = share of traffic before hour h; cumulative[hours] = 1. */
  private readonly cumulative: Float64Array;
  private readonly hours: number;

  constructor(startMs: number, endMs: number) {
    this.startMs = startMs;
    this.endMs = endMs;
    this.hours = Math.max(1, Math.ceil((endMs - startMs) / HOUR_MS));
    this.cumulative = new Float64Array(this.hours + 1);
    let total = 0;
    for (let h = 0; h < this.hours; h++) {
      const t = startMs + h * HOUR_MS;
      const hourOfDay = Math.floor((t % DAY_MS) / HOUR_MS);
      // 1970-01-01 was a Thursday: day 0 -> index 3 with Monday = 0.
      const weekday = (Math.floor(t / DAY_MS) + 3) % 7;
      const growth = 1 + ((GROWTH - 1) * h) / this.hours;
      const covered = Math.min(HOUR_MS, endMs - t) / HOUR_MS;
      total += (DAILY[hourOfDay] as number) * (WEEKLY[weekday] as number) * growth * covered;
      this.cumulative[h + 1] = total;
    }
    for (let h = 1; h <= this.hours; h++) this.cumulative[h] = (this.cumulative[h] as number) / total;
  }

  /** The time (integral ms) below which `fraction` of all traffic falls. */
  timeAt(fraction: number): number {
    const f = Math.min(Math.max(fraction, 0), 1);
    let lo = 0;
    let hi = this.hours;
    // Largest h with cumulative[h] <= f.
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) <= f) lo = mid;
      else hi = mid;
    }
    const below = this.cumulative[lo] as number;
    const width = (this.cumulative[lo + 1] as number) - below;
    const within = width > 0 ? (f - below) / width : 0;
    const t = Math.floor(this.startMs + (lo + within) * HOUR_MS);
    return Math.min(t, this.endMs - 1);
  }
}
