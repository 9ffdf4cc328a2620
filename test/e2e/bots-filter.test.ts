/**
 * Bot filtering at the door, through the real server and node pg: rows whose user agent matches
 * the shipped crawler list, or whose user_id sends more than bot_rate_limit events in one second,
 * get is_bot = true; nothing else changes; eventide_bot_flags says what was flagged and why.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, removeDir, startServer, type RunningServer } from '../support/server.js';

process.env.TZ = 'UTC';

const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const curl = 'curl/8.5.0';
const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';

const columns = 'event_id int, user_id bigint, user_agent text, is_bot boolean DEFAULT false, properties jsonb';

describe('bot filtering through the server', () => {
  let server: RunningServer;
  let client: pg.Client;

  beforeAll(async () => {
    server = await startServer();
    client = new pg.Client(clientConfig(server));
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await server?.stop();
    if (server !== undefined) removeDir(server.dataDir);
  });

  async function flags(table: string): Promise<Array<[number, boolean | null]>> {
    const { rows } = await client.query(`SELECT event_id, is_bot FROM ${table} ORDER BY event_id`);
    return rows.map((r: { event_id: number; is_bot: boolean | null }) => [r.event_id, r.is_bot]);
  }

  it('flags crawler user agents in single-row, multi-row and prepared INSERTs, and leaves other rows as sent', async () => {
    await client.query(`CREATE TABLE ua_events (${columns}) WITH (bot_filter = on)`);
    await client.query(`INSERT INTO ua_events (event_id, user_id, user_agent) VALUES (1, 10, '${googlebot}')`);
    const multi = await client.query(
      `INSERT INTO ua_events (event_id, user_id, user_agent, is_bot) VALUES
         (2, 11, '${chrome}', false), (3, 12, '${curl}', false), (4, 13, NULL, false),
         (5, 14, '${chrome}', true), (6, 15, '${firefox}', NULL), (7, 16, '${googlebot}', NULL)`,
    );
    expect(multi.rowCount).toBe(6);
    await client.query({ name: 'ua-insert', text: 'INSERT INTO ua_events (event_id, user_id, user_agent) VALUES ($1, $2, $3)', values: [8, 17, curl] });
    await client.query({ name: 'ua-insert', text: 'INSERT INTO ua_events (event_id, user_id, user_agent) VALUES ($1, $2, $3)', values: [9, 18, firefox] });
    expect(await flags('ua_events')).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, false],
      [5, true], // already true: stays true
      [6, null], // not a bot: untouched, NULL stays NULL
      [7, true],
      [8, true],
      [9, false],
    ]);
    // The user agent column itself is stored as sent.
    const { rows } = await client.query('SELECT user_agent FROM ua_events WHERE event_id = 3');
    expect(rows).toEqual([{ user_agent: curl }]);
  });

  it('reads the user agent from a jsonb member', async () => {
    await client.query(`CREATE TABLE json_events (${columns}) WITH (bot_filter = on, bot_user_agent_column = 'properties', bot_user_agent_key = 'ua')`);
    await client.query(
      `INSERT INTO json_events (event_id, user_agent, properties) VALUES
         (1, '${chrome}', '{"page": "/", "ua": ${JSON.stringify(googlebot)}}'),
         (2, '${googlebot}', '{"ua": ${JSON.stringify(chrome)}, "n": [1, {"ua": "curl/1"}]}'),
         (3, NULL, '{"ua": null}'),
         (4, NULL, '{"other": "curl/7"}'),
         (5, NULL, NULL)`,
    );
    expect(await flags('json_events')).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, false],
      [5, false],
    ]);
  });

  it('flags the events beyond bot_rate_limit per user_id within one second, also inside a transaction block', async () => {
    await client.query(`CREATE TABLE rate_events (${columns}) WITH (bot_filter = on, bot_rate_limit = 5)`);
    // One multi-row INSERT arrives at the door as one batch, at one instant.
    const values = Array.from({ length: 8 }, (_, i) => `(${i + 1}, 1, '${chrome}')`).concat(
      Array.from({ length: 3 }, (_, i) => `(${i + 101}, 2, '${chrome}')`),
    );
    await client.query(`INSERT INTO rate_events (event_id, user_id, user_agent) VALUES ${values.join(', ')}`);
    const got = await flags('rate_events');
    expect(got.filter(([, bot]) => bot).map(([id]) => id)).toEqual([6, 7, 8]);
    expect(got).toHaveLength(11);

    await client.query(`CREATE TABLE rate_tx (${columns}) WITH (bot_filter = on, bot_rate_limit = 2, bot_rate_key = 'user_agent')`);
    await client.query('BEGIN');
    await client.query(`INSERT INTO rate_tx (event_id, user_agent) VALUES (1, 'a'), (2, 'a'), (3, 'a'), (4, 'b')`);
    await client.query('COMMIT');
    expect(await flags('rate_tx')).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, false],
    ]);
  });

  it('counts single-row INSERTs from one user within the same second', async () => {
    // Retry when the burst straddles a second boundary (the window is per second of arrival).
    for (let attempt = 0; attempt < 5; attempt++) {
      const table = `burst_${attempt}`;
      await client.query(`CREATE TABLE ${table} (${columns}) WITH (bot_filter = on, bot_rate_limit = 3, bot_flag_column = 'is_bot')`);
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
      const before = Date.now();
      for (let i = 1; i <= 10; i++) {
        await client.query({ name: `burst-${attempt}`, text: `INSERT INTO ${table} (event_id, user_id) VALUES ($1, 7)`, values: [i] });
      }
      const after = Date.now();
      if (Math.floor(before / 1000) !== Math.floor(after / 1000)) continue;
      const got = await flags(table);
      expect(got.filter(([, bot]) => bot).map(([id]) => id)).toEqual([4, 5, 6, 7, 8, 9, 10]);
      return;
    }
    throw new Error('no burst of ten INSERTs fitted in one second');
  });

  it('flags rows loaded with COPY FROM STDIN, by user agent and by rate', async () => {
    await client.query(`CREATE TABLE copy_events (${columns}) WITH (bot_filter = on, bot_rate_limit = 100)`);
    // 3,000 rows: every 10th from Googlebot, user 1 sends 1,000 of them (all arrive at one instant).
    const lines: string[] = [];
    for (let i = 1; i <= 3000; i++) {
      const agent = i % 10 === 0 ? googlebot : chrome;
      const user = i % 3 === 0 ? 1 : 1000 + i;
      lines.push(`${i}\t${user}\t${agent}\tf\t\\N\n`);
    }
    await pipeline(Readable.from([lines.join('')]), client.query(copyFrom('COPY copy_events FROM STDIN')));
    const { rows } = await client.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE is_bot)::int AS bots,
              count(*) FILTER (WHERE is_bot AND user_agent LIKE '%Googlebot%')::int AS by_agent,
              count(*) FILTER (WHERE NOT is_bot AND user_agent LIKE '%Googlebot%')::int AS missed
         FROM copy_events`,
    );
    // Googlebot rows: 300. User 1 (every 3rd row): 1,000 rows, 900 past the limit of 100; of those,
    // the ones that are also Googlebot rows (every 30th) are counted once.
    const userOneRows = Array.from({ length: 3000 }, (_, k) => k + 1).filter((i) => i % 3 === 0);
    const overRate = new Set(userOneRows.slice(100));
    const expectedBots = Array.from({ length: 3000 }, (_, k) => k + 1).filter((i) => i % 10 === 0 || overRate.has(i)).length;
    expect(rows).toEqual([{ total: 3000, bots: expectedBots, by_agent: 300, missed: 0 }]);
    const view = await client.query(`SELECT rule, flagged::int AS flagged FROM eventide_bot_flags WHERE relname = 'copy_events' ORDER BY rule`);
    expect(view.rows).toEqual([
      { rule: 'rate', flagged: 900 },
      { rule: 'user_agent', flagged: 300 },
    ]);
  });

  it('changes nothing on tables without bot filtering', async () => {
    await client.query(`CREATE TABLE plain_events (${columns})`);
    await client.query(`CREATE TABLE off_events (${columns}) WITH (bot_filter = off, bot_rate_limit = 1)`);
    for (const table of ['plain_events', 'off_events']) {
      await client.query(`INSERT INTO ${table} (event_id, user_id, user_agent, is_bot) VALUES (1, 1, '${googlebot}', false), (2, 1, '${curl}', NULL), (3, 1, '${chrome}', false)`);
      expect(await flags(table)).toEqual([
        [1, false],
        [2, null],
        [3, false],
      ]);
    }
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM eventide_bot_flags WHERE relname IN ('plain_events', 'off_events')`);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('shows what was flagged and why in eventide_bot_flags', async () => {
    const before = Date.now();
    await client.query(`CREATE TABLE view_events (${columns}) WITH (bot_filter = on, bot_rate_limit = 2)`);
    await client.query(
      `INSERT INTO view_events (event_id, user_id, user_agent) VALUES (1, 5, '${googlebot}'), (2, 6, '${curl}'), (3, 6, 'curl/7.1'), (4, 6, '${chrome}'), (5, 7, '${googlebot}')`,
    );
    const after = Date.now();
    const { rows } = await client.query(
      `SELECT relid::regclass::text AS rel, schemaname, relname, rule, pattern, flagged, last_value, last_flagged
         FROM eventide_bot_flags WHERE relname = 'view_events' ORDER BY rule DESC, pattern`,
    );
    expect(rows.map(({ last_flagged: _, ...rest }: Record<string, unknown>) => rest)).toEqual([
      { rel: 'view_events', schemaname: 'public', relname: 'view_events', rule: 'user_agent', pattern: 'Googlebot\\/', flagged: '2', last_value: googlebot },
      { rel: 'view_events', schemaname: 'public', relname: 'view_events', rule: 'user_agent', pattern: '^curl', flagged: '2', last_value: 'curl/7.1' },
      { rel: 'view_events', schemaname: 'public', relname: 'view_events', rule: 'rate', pattern: 'more than 2 events per second per user_id', flagged: '1', last_value: '6' },
    ]);
    for (const row of rows as Array<{ last_flagged: Date }>) {
      expect(row.last_flagged.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(row.last_flagged.getTime()).toBeLessThanOrEqual(after + 1000);
    }
    // A named prepared statement (as JDBC makes after a few executions) sees the counters move.
    const prepared = { name: 'bot-flags', text: `SELECT sum(flagged)::int AS n FROM eventide_bot_flags WHERE relname = 'view_events'` };
    expect((await client.query(prepared)).rows).toEqual([{ n: 5 }]);
    await client.query(`INSERT INTO view_events (event_id, user_id, user_agent) VALUES (6, 8, '${googlebot}')`);
    expect((await client.query(prepared)).rows).toEqual([{ n: 6 }]);
    // Listed with the system relations.
    const listed = await client.query(`SELECT relkind FROM pg_class WHERE relname = 'eventide_bot_flags' AND relnamespace = 'pg_catalog'::regnamespace`);
    expect(listed.rows).toEqual([{ relkind: 'v' }]);
    // A dropped table's counters go with it.
    await client.query('DROP TABLE view_events');
    const gone = await client.query(`SELECT count(*)::int AS n FROM eventide_bot_flags WHERE relname = 'view_events'`);
    expect(gone.rows).toEqual([{ n: 0 }]);
  });
  it('keeps filtering after a restart, with counters starting again from zero', async () => {
    await client.query(`CREATE TABLE restart_events (${columns}) WITH (bot_filter = on)`);
    await client.query(`INSERT INTO restart_events (event_id, user_agent) VALUES (1, '${googlebot}'), (2, '${chrome}')`);
    await client.end();
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServer({ dataDir });
    client = new pg.Client(clientConfig(server));
    await client.connect();
    const before = await client.query(`SELECT count(*)::int AS n FROM eventide_bot_flags WHERE relname = 'restart_events'`);
    expect(before.rows).toEqual([{ n: 0 }]);
    await client.query(`INSERT INTO restart_events (event_id, user_agent) VALUES (3, '${curl}'), (4, '${firefox}')`);
    expect(await flags('restart_events')).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, false],
    ]);
    const after = await client.query(`SELECT pattern, flagged::int AS flagged FROM eventide_bot_flags WHERE relname = 'restart_events'`);
    expect(after.rows).toEqual([{ pattern: '^curl', flagged: 1 }]);
  });
});
