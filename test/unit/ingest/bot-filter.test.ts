/**
 * IngestRules and BotFilter on batches, with a clock the test moves: the per-second rate window,
 * its bounded key memory, integer keys past 2^53, NULL keys, selection vectors, dictionary-coded
 * user agents, and tables without rules left untouched (the very same batch back).
 */
import { describe, expect, it } from 'vitest';
import { BotFilter } from '../../../src/ingest/bot-filter.js';
import { resolveBotOptions } from '../../../src/ingest/bot-options.js';
import { IngestRules } from '../../../src/ingest/rules.js';
import { UserAgentMatcher } from '../../../src/ingest/user-agent-matcher.js';
import type { ColumnDef, TableDef } from '../../../storage/table-def.js';
import { Types, type Value } from '../../../storage/types.js';
import { dictionaryVector, getValue, vectorFromValues, type Batch } from '../../../storage/vector.js';

const columns: ColumnDef[] = [
  { name: 'user_id', type: Types.int8, notNull: false, defaultSql: null },
  { name: 'user_agent', type: Types.text, notNull: false, defaultSql: null },
  { name: 'is_bot', type: Types.bool, notNull: false, defaultSql: null },
];

function table(options: Record<string, string>, id = 1): TableDef {
  return { id, schema: 'public', name: `t${id}`, columns, partitionKey: null, partitionCount: 1, sortKey: [], primaryKey: null, unique: [], options };
}

function batch(rows: Array<[bigint | null, string | null, boolean | null]>): Batch {
  return {
    length: rows.length,
    columns: columns.map((c, i) => vectorFromValues(c.type, rows.map((r) => r[i] as Value))),
    selection: null,
  };
}

function flagsOf(b: Batch): Array<boolean | null> {
  return Array.from({ length: b.length }, (_, i) => getValue(b.columns[2]!, i) as boolean | null);
}

const matcher = new UserAgentMatcher(['Googlebot', '^curl']);

describe('IngestRules', () => {
  it('returns the very same batch for tables without bot filtering', () => {
    const rules = new IngestRules(() => 0, () => matcher);
    const b = batch([[1n, 'Googlebot', false]]);
    expect(rules.apply(table({}), b)).toBe(b);
    expect(rules.apply(table({ bot_filter: 'off' }), b)).toBe(b);
    expect(rules.botFlagRows(new Set([1]))).toEqual([]);
  });

  it('counts each key per second of arrival and starts again in the next second', () => {
    let now = 5_000;
    const rules = new IngestRules(() => now, () => matcher);
    const t = table({ bot_filter: 'on', bot_rate_limit: '2', bot_user_agent_column: '' });
    const row = (u: bigint): [bigint, string, boolean] => [u, 'x', false];
    expect(flagsOf(rules.apply(t, batch([row(1n), row(1n), row(2n)])))).toEqual([false, false, false]);
    now = 5_999;
    expect(flagsOf(rules.apply(t, batch([row(1n), row(2n), row(1n)])))).toEqual([true, false, true]);
    now = 6_000;
    expect(flagsOf(rules.apply(t, batch([row(1n), row(1n), row(1n)])))).toEqual([false, false, true]);
    expect(rules.botFlagRows(new Set([1]))).toEqual([
      { tableId: 1, rule: 'rate', pattern: 'more than 2 events per second per user_id', flagged: 3, lastValue: '1', lastFlaggedMicros: 6_000_000 },
    ]);
    // A table that is gone takes its counters with it.
    expect(rules.botFlagRows(new Set())).toEqual([]);
  });

  it('keeps integer keys apart beyond 2^53 and does not count NULL keys', () => {
    const rules = new IngestRules(() => 0, () => matcher);
    const t = table({ bot_filter: 'on', bot_rate_limit: '1', bot_user_agent_column: '' });
    const big = 2n ** 60n;
    const out = rules.apply(t, batch([[big, 'x', false], [big + 1n, 'x', false], [null, 'x', false], [null, 'x', false], [big, 'x', false], [-big, 'x', false]]));
    expect(flagsOf(out)).toEqual([false, false, false, false, true, false]);
  });

  it('flags matching user agents, keeps true as true, and leaves other rows alone', () => {
    const rules = new IngestRules(() => 1_000, () => matcher);
    const t = table({ bot_filter: 'on' });
    const input = batch([[1n, 'Googlebot/2.1', false], [2n, 'Mozilla', true], [3n, 'Mozilla', null], [4n, 'curl/8', null], [5n, null, false]]);
    const out = rules.apply(t, input);
    expect(flagsOf(out)).toEqual([true, true, null, true, false]);
    // Only the flag column is new; the others are the vectors that came in.
    expect(out.columns[0]).toBe(input.columns[0]);
    expect(out.columns[1]).toBe(input.columns[1]);
    expect(flagsOf(input)).toEqual([false, true, null, null, false]);
    expect(rules.botFlagRows(new Set([1])).map((r) => [r.pattern, r.flagged, r.lastValue])).toEqual([
      ['Googlebot', 1, 'Googlebot/2.1'],
      ['^curl', 1, 'curl/8'],
    ]);
  });

  it('matches dictionary-coded user agents per entry and honours the selection', () => {
    const filter = new BotFilter(table({ bot_filter: 'on' }), resolveBotOptions(columns, { bot_filter: 'on' })!, matcher);
    const agents = dictionaryVector(Types.text, null, ['Mozilla', 'Googlebot'], Int32Array.from([0, 1, 1, 0, 1]));
    const b: Batch = {
      length: 5,
      columns: [vectorFromValues(Types.int8, [1n, 2n, 3n, 4n, 5n]), agents, vectorFromValues(Types.bool, [false, false, false, false, false])],
      selection: Int32Array.from([0, 1, 3]),
    };
    const out = filter.apply(b, 0);
    // Row 2 and 4 are not live: not flagged, not counted.
    expect(flagsOf(out)).toEqual([false, true, false, false, false]);
    expect(out.selection).toBe(b.selection);
    expect(filter.rows().map((r) => r.flagged)).toEqual([1]);
  });

  it('counts dictionary-coded text keys by their entries', () => {
    const options = { bot_filter: 'on', bot_rate_limit: '1', bot_rate_key: 'user_agent', bot_user_agent_column: '' };
    const filter = new BotFilter(table(options), resolveBotOptions(columns, options)!, null);
    // Entries may repeat: two codes for the same IP are one key.
    const ips = dictionaryVector(Types.text, Uint8Array.from([1, 1, 1, 0, 1]), ['10.0.0.1', '10.0.0.2', '10.0.0.1'], Int32Array.from([0, 1, 2, 0, 1]));
    const b: Batch = {
      length: 5,
      columns: [vectorFromValues(Types.int8, [1n, 2n, 3n, 4n, 5n]), ips, vectorFromValues(Types.bool, [false, false, false, false, false])],
      selection: null,
    };
    expect(flagsOf(filter.apply(b, 0))).toEqual([false, false, true, false, true]);
    expect(filter.rows()).toEqual([
      { tableId: 1, rule: 'rate', pattern: 'more than 1 event per second per user_agent', flagged: 2, lastValue: '10.0.0.2', lastFlaggedMicros: 0 },
    ]);
  });

  it('holds at most keysMax keys per second and says how many it could not track', () => {
    const filter = new BotFilter(table({ bot_filter: 'on', bot_rate_limit: '1', bot_user_agent_column: '' }), resolveBotOptions(columns, { bot_filter: 'on', bot_rate_limit: '1', bot_user_agent_column: '' })!, null, 3);
    const rows = [1n, 2n, 3n, 4n, 5n, 1n, 4n].map((u): [bigint, string, boolean] => [u, 'x', false]);
    expect(flagsOf(filter.apply(batch(rows), 0))).toEqual([false, false, false, false, false, true, false]);
    expect(filter.rateKeysUntracked).toBe(3);
    // The next second starts with an empty memory.
    expect(flagsOf(filter.apply(batch([[4n, 'x', false], [4n, 'x', false]]), 1000))).toEqual([false, true]);
  });
});

describe('bounded memory', () => {
  it('stops tracking new text keys past the character budget of a window', async () => {
    const { TextKeyCounts } = await import('../../../src/ingest/key-counts.js');
    const counts = new TextKeyCounts(10, 8);
    expect(counts.add('abcd')).toBe(1);
    expect(counts.add('efgh')).toBe(1);
    expect(counts.add('i')).toBe(0);
    expect(counts.add('abcd')).toBe(2);
    counts.clear();
    expect(counts.add('i')).toBe(1);
  });

  it('matches very long user agents (past the cached length) with the same answer', () => {
    const long = `${'x'.repeat(100_000)} Googlebot`;
    expect(matcher.match(long)).toBe(0);
    expect(matcher.match(`${'x'.repeat(100_000)} Mozilla`)).toBe(-1);
  });
});
