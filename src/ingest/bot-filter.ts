/**
 * One table's bot filter: flags rows (sets the flag column to true) whose user agent matches a
 * crawler pattern, or whose key sent more than the rate limit within one second of arrival. Rows
 * are never dropped, and a flag already true stays true. Work is per distinct user agent (per
 * dictionary entry, or per run of equal values), and over typed arrays per row.
 */
import { assert } from '../../storage/errors.js';
import type { TableDef } from '../../storage/table-def.js';
import type { Batch, FixedVector, StringVector, Vector } from '../../storage/vector.js';
import type { BotFilterConfig } from './bot-options.js';
import { jsonbMemberText } from './jsonb-member.js';
import { IntegerKeyCounts, TextKeyCounts } from './key-counts.js';
import type { UserAgentMatcher } from './user-agent-matcher.js';

/** Keys one table tracks within one second; a key first seen past this is not rate-limited. */
export const rateKeysMax = 1_000_000;

/** One row of eventide_bot_flags. */
export interface BotFlagRow {
  readonly tableId: number;
  readonly rule: 'user_agent' | 'rate';
  /** The crawler pattern that matched, or the rate rule in words. */
  readonly pattern: string;
  readonly flagged: number;
  /** The last flagged user agent, or the last flagged key as text. */
  readonly lastValue: string | null;
  /** Microseconds since 1970, when the last row was flagged. */
  readonly lastFlaggedMicros: number | null;
}

/** Counters per crawler pattern, allocated on the first user-agent match. */
interface UserAgentCounters {
  readonly flagged: Float64Array;
  readonly lastMicros: Float64Array;
  readonly lastValue: (string | undefined)[];
  /** Scratch within one batch: the last flagged row per pattern, -1 when none. */
  readonly lastRow: Int32Array;
}

export class BotFilter {
  private uaCounters: UserAgentCounters | null = null;
  /** Rate state: the current one-second window and each key's events in it. */
  private windowSecond = -1;
  private readonly integerCounts: IntegerKeyCounts;
  private readonly textCounts: TextKeyCounts;
  private rateFlagged = 0;
  private rateLastKey: string | null = null;
  private rateLastMicros: number | null = null;
  /** Keys that arrived while the window already held rateKeysMax keys. */
  rateKeysUntracked = 0;

  constructor(
    readonly table: TableDef,
    readonly config: BotFilterConfig,
    private readonly matcher: UserAgentMatcher | null,
    keysMax = rateKeysMax,
  ) {
    this.integerCounts = new IntegerKeyCounts(keysMax);
    this.textCounts = new TextKeyCounts(keysMax);
  }

  /** The batch with flagged rows' flag set; the same batch when nothing was flagged. */
  apply(batch: Batch, nowMs: number): Batch {
    if (batch.length === 0) return batch;
    const nowMicros = nowMs * 1000;
    let flags: Uint8Array | null = null;
    if (this.matcher !== null && this.config.userAgent !== null) flags = this.flagUserAgents(batch, nowMicros, this.matcher);
    if (this.config.rateLimit > 0) flags = this.flagRate(batch, nowMs, flags);
    return flags === null ? batch : withFlags(batch, this.config.flagColumn, flags);
  }

  private flagUserAgents(batch: Batch, nowMicros: number, matcher: UserAgentMatcher): Uint8Array | null {
    const source = this.config.userAgent;
    assert(source !== null, 'user agent rule without a source');
    const vector = batch.columns[source.column] as StringVector;
    assert(vector.kind === 'string', 'user agent column is not a string vector');
    const n = batch.length;
    const validity = vector.validity;
    const key = source.key;
    const agentOf = (text: string) => (key === null ? text : jsonbMemberText(text, key));
    // Per row: the pattern its user agent matched, or -1.
    const matched = new Int32Array(n).fill(-1);
    const dictionary = vector.dictionary;
    if (dictionary !== undefined) {
      const entryMatch = Int32Array.from(dictionary.entries, (e) => {
        const agent = agentOf(e);
        return agent === null ? -1 : matcher.match(agent);
      });
      const codes = dictionary.codes;
      for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) matched[i] = entryMatch[codes[i] as number] as number;
    } else {
      const values = vector.values;
      let previous: string | null = null;
      let previousMatch = -1;
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const value = values[i] as string;
        if (value !== previous) {
          // Runs of one user agent (a session's events) are matched once.
          previous = value;
          const agent = agentOf(value);
          previousMatch = agent === null ? -1 : matcher.match(agent);
        }
        matched[i] = previousMatch;
      }
    }
    let flags: Uint8Array | null = null;
    const live = batch.selection;
    const rows = live === null ? n : live.length;
    const counters = this.userAgentCounters(matcher);
    const touched: number[] = [];
    for (let r = 0; r < rows; r++) {
      const i = live === null ? r : (live[r] as number);
      const p = matched[i] as number;
      if (p < 0) continue;
      flags ??= new Uint8Array(n);
      flags[i] = 1;
      counters.flagged[p] = (counters.flagged[p] as number) + 1;
      if (counters.lastRow[p] === -1) touched.push(p);
      counters.lastRow[p] = i;
    }
    // The last user agent per pattern, read once per batch.
    for (const p of touched) {
      const row = counters.lastRow[p] as number;
      counters.lastValue[p] = agentOf(stringAt(vector, row)) ?? undefined;
      counters.lastMicros[p] = nowMicros;
      counters.lastRow[p] = -1;
    }
    return flags;
  }

  private userAgentCounters(matcher: UserAgentMatcher): UserAgentCounters {
    if (this.uaCounters === null) {
      const count = matcher.patterns.length;
      this.uaCounters = {
        flagged: new Float64Array(count),
        lastMicros: new Float64Array(count),
        lastValue: new Array<string | undefined>(count),
        lastRow: new Int32Array(count).fill(-1),
      };
    }
    return this.uaCounters;
  }

  private flagRate(batch: Batch, nowMs: number, flags: Uint8Array | null): Uint8Array | null {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.windowSecond) {
      // A new window: every key starts again, so memory holds one second's keys at most.
      this.windowSecond = second;
      this.integerCounts.clear();
      this.textCounts.clear();
    }
    const vector = batch.columns[this.config.rateKeyColumn] as Vector;
    const counts = vector.kind === 'string' ? this.countText(batch, vector) : this.countIntegers(batch, vector);
    const limit = this.config.rateLimit;
    const n = batch.length;
    const live = batch.selection;
    const rows = live === null ? n : live.length;
    let lastRow = -1;
    let untracked = 0;
    for (let r = 0; r < rows; r++) {
      const i = live === null ? r : (live[r] as number);
      const c = counts[i] as number;
      // -1: NULL key, not counted; 0: a key past keysMax, not tracked.
      untracked += c === 0 ? 1 : 0;
      if (c <= limit) continue;
      flags ??= new Uint8Array(n);
      flags[i] = 1;
      this.rateFlagged++;
      lastRow = i;
    }
    this.rateKeysUntracked += untracked;
    if (lastRow >= 0) {
      this.rateLastKey = vector.kind === 'string' ? stringAt(vector, lastRow) : String(vector.values[lastRow]);
      this.rateLastMicros = nowMs * 1000;
    }
    return flags;
  }

  /** Each live row's count of its key so far in the window (-1 for NULL, 0 when untracked). */
  private countIntegers(batch: Batch, vector: FixedVector): Int32Array {
    const n = batch.length;
    const out = new Int32Array(n).fill(-1);
    const values = vector.values;
    const validity = vector.validity;
    const table = this.integerCounts;
    const live = batch.selection;
    const rows = live === null ? n : live.length;
    if (values instanceof BigInt64Array) {
      // The two int32 halves of each int64 (little-endian), so no BigInt per row.
      const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let r = 0; r < rows; r++) {
        const i = live === null ? r : (live[r] as number);
        if (validity !== null && validity[i] === 0) continue;
        out[i] = table.add(halves[2 * i] as number, halves[2 * i + 1] as number);
      }
    } else {
      assert(values instanceof Int32Array || values instanceof Int16Array, 'rate key is not an integer column');
      for (let r = 0; r < rows; r++) {
        const i = live === null ? r : (live[r] as number);
        if (validity !== null && validity[i] === 0) continue;
        const v = values[i] as number;
        out[i] = table.add(v, v >> 31);
      }
    }
    return out;
  }

  private countText(batch: Batch, vector: StringVector): Int32Array {
    const n = batch.length;
    const out = new Int32Array(n).fill(-1);
    const validity = vector.validity;
    const live = batch.selection;
    const rows = live === null ? n : live.length;
    const dictionary = vector.dictionary;
    // Dictionary-coded keys are read from the entries: the vector's strings are never gathered.
    const values = dictionary === undefined ? vector.values : dictionary.entries;
    const codes = dictionary?.codes;
    for (let r = 0; r < rows; r++) {
      const i = live === null ? r : (live[r] as number);
      if (validity !== null && validity[i] === 0) continue;
      out[i] = this.textCounts.add(values[codes === undefined ? i : (codes[i] as number)] as string);
    }
    return out;
  }

  rows(): BotFlagRow[] {
    const out: BotFlagRow[] = [];
    const tableId = this.table.id;
    const counters = this.uaCounters;
    if (counters !== null && this.matcher !== null) {
      for (let p = 0; p < counters.flagged.length; p++) {
        const flagged = counters.flagged[p] as number;
        if (flagged === 0) continue;
        out.push({ tableId, rule: 'user_agent', pattern: this.matcher.patterns[p] as string, flagged, lastValue: counters.lastValue[p] ?? null, lastFlaggedMicros: counters.lastMicros[p] as number });
      }
    }
    if (this.rateFlagged > 0) {
      const keyName = this.table.columns[this.config.rateKeyColumn]?.name ?? '?';
      out.push({
        tableId,
        rule: 'rate',
        pattern: `more than ${this.config.rateLimit} event${this.config.rateLimit === 1 ? '' : 's'} per second per ${keyName}`,
        flagged: this.rateFlagged,
        lastValue: this.rateLastKey,
        lastFlaggedMicros: this.rateLastMicros,
      });
    }
    return out;
  }
}

function stringAt(vector: StringVector, row: number): string {
  const dictionary = vector.dictionary;
  return (dictionary === undefined ? vector.values[row] : dictionary.entries[dictionary.codes[row] as number]) as string;
}

/** The batch with the flag column true where `flags` is 1; other rows keep their value. */
function withFlags(batch: Batch, column: number, flags: Uint8Array): Batch {
  const vector = batch.columns[column] as FixedVector;
  assert(vector.kind === 'fixed' && vector.type.layout === 'bool', 'bot flag column is not boolean');
  const n = batch.length;
  const values = new Uint8Array(n);
  values.set((vector.values as Uint8Array).subarray(0, n));
  const validity = vector.validity === null ? null : vector.validity.slice(0, n);
  for (let i = 0; i < n; i++) values[i] = (values[i] as number) | (flags[i] as number);
  if (validity !== null) for (let i = 0; i < n; i++) validity[i] = (validity[i] as number) | (flags[i] as number);
  const columns = batch.columns.slice();
  columns[column] = { kind: 'fixed', type: vector.type, length: n, values, validity };
  return { length: n, columns, selection: batch.selection };
}
