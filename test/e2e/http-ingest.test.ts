/**
 * POST /v1/events/{table} against a real server process, with node:http as the client and pg to
 * look at what was stored. Per-line error texts are PostgreSQL's own: the same lines are given to
 * a real PostgreSQL 15 (jsonb_populate_record into a table of the same definition, which is the
 * conversion the endpoint follows) and its answers are what the endpoint must say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postgresClientConfig, startPostgres, type RunningPostgres } from '../support/postgres.js';
import { httpRequest, postEvents, query, startHttpServer, type HttpServer } from './http-support.js';

const eventsDdl = `CREATE TABLE events (
  event_time timestamptz NOT NULL,
  user_id bigint NOT NULL,
  event_type text NOT NULL,
  revenue numeric(12,2),
  duration_ms int,
  is_bot bool,
  day date,
  properties jsonb
)`;

let server: HttpServer;
let postgres: RunningPostgres;
let pgClient: pg.Client;

beforeAll(async () => {
  [server, postgres] = await Promise.all([startHttpServer(), startPostgres()]);
  pgClient = new pg.Client(postgresClientConfig(postgres));
  await pgClient.connect();
  await pgClient.query(eventsDdl);
  await query(server, eventsDdl);
  await query(server, 'CREATE TABLE tagged (id int NOT NULL, note text, source text DEFAULT \'http\', n int DEFAULT 7 NOT NULL)');
  await query(server, 'CREATE TABLE plain (id int, note text)');
});

afterAll(async () => {
  await pgClient?.end();
  await Promise.all([server?.stop(), postgres?.stop()]);
});

/** PostgreSQL's error for one event line, as `INSERT ... SELECT * FROM jsonb_populate_record` gives it. */
async function postgresError(line: string): Promise<{ sqlstate: string; message: string }> {
  try {
    await pgClient.query('SELECT $1::jsonb', [line]);
    await pgClient.query('INSERT INTO events SELECT * FROM jsonb_populate_record(NULL::events, $1::jsonb)', [line]);
  } catch (error) {
    const e = error as { code: string; message: string };
    return { sqlstate: e.code, message: e.message };
  } finally {
    await pgClient.query('DELETE FROM events');
  }
  throw new Error(`PostgreSQL accepted ${line}`);
}

describe('POST /v1/events/{table}', () => {
  it('stores JSON-lines events, visible to the next query on another connection at once', async () => {
    const body = [
      '{"event_type":"button_clicked","event_time":"2023-06-01T16:12:14.721323Z","user_id":"17","event_properties":{"button_name":"save"}}',
      '{"event_type":"page_view","event_time":1685635934721,"user_id":18,"referrer":"news","properties":{"b":2,"a":[1,"x"]},"duration_ms":250}',
      '',
      '{"event_type":"purchase","event_time":"2023-06-01T18:12:14+02:00","user_id":19,"revenue":"12.5","is_bot":false,"day":"2023-06-01"}',
      '{"event_type":"purchase","event_time":"2023-06-01 16:12:14.5","user_id":20,"revenue":7,"is_bot":"yes","properties":{"x":1},"device":"ios","os":{"v":17}}',
    ].join('\n');
    const answer = await postEvents(server.httpPort, 'events', `${body}\n`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ accepted: 4, rejected: 0, errors: [] });
    const rows = await query(
      server,
      "SELECT to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS t, user_id, event_type, revenue, duration_ms, is_bot, day::text AS day, properties::text AS p FROM events ORDER BY user_id",
    );
    expect(rows).toEqual([
      { t: '2023-06-01 16:12:14.721323', user_id: '17', event_type: 'button_clicked', revenue: null, duration_ms: null, is_bot: null, day: null, p: '{"button_name": "save"}' },
      // epoch milliseconds; an unknown field kept beside the nested properties
      { t: '2023-06-01 16:12:14.721000', user_id: '18', event_type: 'page_view', revenue: null, duration_ms: 250, is_bot: null, day: null, p: '{"a": [1, "x"], "b": 2, "referrer": "news"}' },
      // an offset is honoured; no offset means UTC
      { t: '2023-06-01 16:12:14.000000', user_id: '19', event_type: 'purchase', revenue: '12.50', duration_ms: null, is_bot: false, day: '2023-06-01', p: null },
      { t: '2023-06-01 16:12:14.500000', user_id: '20', event_type: 'purchase', revenue: '7.00', duration_ms: null, is_bot: true, day: null, p: '{"x": 1, "os": {"v": 17}, "device": "ios"}' },
    ]);
  });

  it('takes a JSON array body, and a single object, as application/json', async () => {
    const events = [
      { event_type: 'a', event_time: '2024-01-01T00:00:00Z', user_id: 101 },
      { event_type: 'b', event_time: '2024-01-01T00:00:01Z', user_id: 102, properties: { k: 'v' } },
    ];
    const answer = await postEvents(server.httpPort, 'events', JSON.stringify(events), 'application/json');
    expect(answer.json).toEqual({ accepted: 2, rejected: 0, errors: [] });
    const single = await postEvents(server.httpPort, 'events', JSON.stringify({ event_type: 'c', event_time: 0, user_id: 103 }), 'application/json; charset=utf-8');
    expect(single.json).toEqual({ accepted: 1, rejected: 0, errors: [] });
    const rows = await query(server, "SELECT user_id, event_type, properties::text AS p, event_time = 'epoch'::timestamptz AS epoch FROM events WHERE user_id > 100 ORDER BY user_id");
    expect(rows).toEqual([
      { user_id: '101', event_type: 'a', p: null, epoch: false },
      { user_id: '102', event_type: 'b', p: '{"k": "v"}', epoch: false },
      { user_id: '103', event_type: 'c', p: null, epoch: true },
    ]);
  });

  it('rejects bad lines with their line number, column and PostgreSQL error, and stores the others', async () => {
    const good = (id: number) => JSON.stringify({ event_type: 'ok', event_time: '2024-02-01T00:00:00Z', user_id: id });
    const bad: { line: string; column?: string }[] = [
      { line: '{"event_type":"x","event_time":"2024-02-01T00:00:00Z",' },
      { line: 'not json at all' },
      { line: '{"event_type":"x","event_time":"2024-02-01T00:00:00Z","user_id":5,"duration_ms":"abc"}', column: 'duration_ms' },
      { line: '{"event_type":"x","event_time":"2024-02-01T00:00:00Z","user_id":5,"duration_ms":3000000000}', column: 'duration_ms' },
      { line: '{"event_type":"x","event_time":"2024-02-01T00:00:00Z","user_id":5,"is_bot":"maybe"}', column: 'is_bot' },
      { line: '{"event_type":"x","event_time":"not a time","user_id":5}', column: 'event_time' },
      { line: '{"event_type":"x","event_time":"2024-02-01T00:00:00Z","user_id":5,"revenue":1e20}', column: 'revenue' },
      { line: '{"event_type":"x","event_time":"2024-02-01T00:00:00Z","user_id":5,"day":"2023-02-30"}', column: 'day' },
      { line: '{"event_type":"x","event_time":"2024-02-01T00:00:00Z","user_id":"12x"}', column: 'user_id' },
      { line: '{"event_time":"2024-02-01T00:00:00Z","user_id":5}', column: 'event_type' },
      { line: '{"event_type":null,"event_time":"2024-02-01T00:00:00Z","user_id":5}', column: 'event_type' },
    ];
    const lines = [good(201), ...bad.map((b) => b.line), good(202), '[1, 2]', '"just a string"'];
    const answer = await postEvents(server.httpPort, 'events', lines.join('\n'));
    expect(answer.status).toBe(200);
    expect(answer.json.accepted).toBe(2);
    expect(answer.json.rejected).toBe(bad.length + 2);
    const errors = answer.json.errors as { line: number; column?: string; sqlstate: string; message: string }[];
    for (const [i, b] of bad.entries()) {
      const expected = await postgresError(b.line);
      const got = errors.find((e) => e.line === i + 2);
      expect(got, b.line).toMatchObject({ line: i + 2, sqlstate: expected.sqlstate, message: expected.message });
      expect(got?.column, b.line).toBe(b.column);
    }
    expect(errors.slice(-2).map((e) => [e.line, e.sqlstate])).toEqual([
      [lines.length - 1, '22023'],
      [lines.length, '22023'],
    ]);
    expect(await query(server, 'SELECT user_id FROM events WHERE user_id IN (201, 202) ORDER BY 1')).toEqual([{ user_id: '201' }, { user_id: '202' }]);
  });

  it('answers 400 when every line is rejected, and 200 with nothing to do for an empty body', async () => {
    const answer = await postEvents(server.httpPort, 'events', '{"user_id": 1}\nnope\n');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ accepted: 0, rejected: 2 });
    const empty = await postEvents(server.httpPort, 'events', '');
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ accepted: 0, rejected: 0, errors: [] });
  });

  it('fills missing columns with their DEFAULT, keeps unknown fields only where a jsonb column is', async () => {
    const answer = await postEvents(server.httpPort, 'tagged', '{"id":1}\n{"id":2,"source":"app","n":3}\n{"id":3,"source":null}\n{"id":4,"n":null}\n');
    expect(answer.json).toMatchObject({ accepted: 3, rejected: 1, errors: [{ line: 4, column: 'n', sqlstate: '23502' }] });
    expect(await query(server, 'SELECT id, source, n FROM tagged ORDER BY id')).toEqual([
      { id: 1, source: 'http', n: 7 },
      { id: 2, source: 'app', n: 3 },
      { id: 3, source: null, n: 7 },
    ]);
    // Field names are data, whatever they are: __proto__ and constructor are kept as keys too.
    const odd = await postEvents(server.httpPort, 'events', '{"event_type":"o","event_time":0,"user_id":301,"__proto__":{"x":1},"constructor":2}\n');
    expect(odd.json).toEqual({ accepted: 1, rejected: 0, errors: [] });
    expect(await query(server, 'SELECT properties::text AS p FROM events WHERE user_id = 301')).toEqual([{ p: '{"__proto__": {"x": 1}, "constructor": 2}' }]);
    const plain = await postEvents(server.httpPort, 'plain', '{"id":1,"note":"x"}\n{"id":2,"extra":true}\n');
    expect(plain.json).toMatchObject({ accepted: 1, rejected: 1, errors: [{ line: 2, sqlstate: '42703', message: 'column "extra" of relation "plain" does not exist' }] });
  });

  it('rejects invalid UTF-8 and deep nesting line by line, and takes a long line', async () => {
    const invalid = Buffer.concat([Buffer.from('{"id":1,"note":"a"}\n{"id":2,"note":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"id":3,"note":"c"}\n')]);
    const answer = await postEvents(server.httpPort, 'plain', invalid);
    expect(answer.json).toMatchObject({ accepted: 2, rejected: 1, errors: [{ line: 2, sqlstate: '22021', message: 'invalid byte sequence for encoding "UTF8": 0xff' }] });
    const deep = `{"id":4,"note":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const long = JSON.stringify({ id: 5, note: 'x'.repeat(5_000_000) });
    const second = await postEvents(server.httpPort, 'plain', `${deep}\n${long}\n`);
    // Nested past any stack in the jsonb column: that column's error, the line's only.
    const deepProperties = `{"event_type":"d","event_time":0,"user_id":401,"properties":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const third = await postEvents(server.httpPort, 'events', `${deepProperties}\n{"event_type":"d","event_time":0,"user_id":402}\n`);
    expect(third.json).toMatchObject({ accepted: 1, rejected: 1, errors: [{ line: 1, column: 'properties', sqlstate: '54001' }] });
    expect(second.status).toBe(200);
    expect(second.json.accepted).toBeGreaterThanOrEqual(1);
    expect(await query(server, 'SELECT id, length(note) AS n FROM plain WHERE id = 5')).toEqual([{ id: 5, n: 5_000_000 }]);
  });

  it('answers 404, 405, 415 and /health as HTTP clients expect', async () => {
    expect((await postEvents(server.httpPort, 'nosuch', '{}')).status).toBe(404);
    expect((await postEvents(server.httpPort, 'other.events', '{}')).status).toBe(404);
    expect((await postEvents(server.httpPort, 'public.EVENTS', '')).status).toBe(200);
    expect((await httpRequest(server.httpPort, '/v1/events/events', { method: 'GET' })).status).toBe(405);
    expect((await postEvents(server.httpPort, 'events', '<xml/>', 'application/xml')).status).toBe(415);
    expect((await httpRequest(server.httpPort, '/nowhere', { method: 'GET' })).status).toBe(404);
    const health = await httpRequest(server.httpPort, '/health', { method: 'GET' });
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
  });
});
