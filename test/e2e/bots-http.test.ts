/**
 * Events posted over HTTP pass the same door: a table with bot_filter = on flags the lines whose
 * user agent (a column, or a member of the jsonb properties) is a crawler, or whose user_id sends
 * more than bot_rate_limit events in one second; the rest are stored as posted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir } from '../support/server.js';
import { postEvents, query, startHttpServer, type HttpServer } from './http-support.js';

const googlebot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

describe('bot filtering of HTTP ingest', () => {
  let server: HttpServer;

  beforeAll(async () => {
    server = await startHttpServer();
  });

  afterAll(async () => {
    await server?.stop();
    if (server !== undefined) removeDir(server.dataDir);
  });

  it('flags crawler user agents and over-rate users among posted JSON lines', async () => {
    await query(
      server,
      `CREATE TABLE web_events (event_id int, user_id bigint, user_agent text, is_bot boolean DEFAULT false, properties jsonb)
         WITH (bot_filter = on, bot_rate_limit = 3)`,
    );
    const lines = [
      { event_id: 1, user_id: 1, user_agent: googlebot },
      { event_id: 2, user_id: 2, user_agent: chrome },
      { event_id: 3, user_id: 3, user_agent: 'python-requests/2.31.0' },
      { event_id: 4, user_id: 4, user_agent: chrome, is_bot: true },
      ...Array.from({ length: 5 }, (_, k) => ({ event_id: 10 + k, user_id: 9, user_agent: chrome })),
    ];
    const answer = await postEvents(server.httpPort, 'web_events', lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ accepted: lines.length, rejected: 0 });
    const rows = await query(server, 'SELECT event_id, is_bot FROM web_events ORDER BY event_id');
    expect(rows.map((r) => [r.event_id, r.is_bot])).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, true],
      [10, false],
      [11, false],
      [12, false],
      [13, true],
      [14, true],
    ]);
    const flags = await query(server, `SELECT rule, pattern, flagged::int AS flagged FROM eventide_bot_flags WHERE relname = 'web_events' ORDER BY rule, pattern`);
    expect(flags).toEqual([
      { rule: 'rate', pattern: 'more than 3 events per second per user_id', flagged: 2 },
      { rule: 'user_agent', pattern: 'Googlebot\\/', flagged: 1 },
      { rule: 'user_agent', pattern: 'python-requests', flagged: 1 },
    ]);
  });

  it('reads the user agent from the properties posted with each event', async () => {
    await query(
      server,
      `CREATE TABLE app_events (event_id int, user_id bigint, is_bot boolean DEFAULT false, properties jsonb)
         WITH (bot_filter = on, bot_user_agent_column = 'properties')`,
    );
    const lines = [
      { event_id: 1, user_id: 1, properties: { user_agent: googlebot, page: '/' } },
      { event_id: 2, user_id: 2, properties: { user_agent: chrome } },
      // A field without a column is kept in the jsonb column, so it is found there too.
      { event_id: 3, user_id: 3, user_agent: 'Wget/1.21' },
      { event_id: 4, user_id: 4 },
    ];
    const answer = await postEvents(server.httpPort, 'app_events', lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(answer.json).toMatchObject({ accepted: 4, rejected: 0 });
    const rows = await query(server, 'SELECT event_id, is_bot FROM app_events ORDER BY event_id');
    expect(rows.map((r) => [r.event_id, r.is_bot])).toEqual([
      [1, true],
      [2, false],
      [3, true],
      [4, false],
    ]);
  });
});
