/**
 * node `pg` against the full server: simple queries, prepared statements (named and unnamed),
 * paged reads through pg's `rows` option, errors with their SQLSTATE that leave the connection
 * usable, transaction blocks, notices. Run with E2E_TARGET=postgres to check the expectations
 * against PostgreSQL 15 itself.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsTableDdl, startTarget, type Target } from './clients-target.js';

process.env.TZ = 'UTC';

interface PgError extends Error {
  code?: string;
  position?: string;
  severity?: string;
}

async function errorOf(promise: Promise<unknown>): Promise<PgError> {
  try {
    await promise;
  } catch (error) {
    return error as PgError;
  }
  throw new Error('expected the statement to fail');
}

const userCount = 10;
const eventsPerUser = 12;
const eventTypes = ['page_view', 'click', 'signup', 'purchase'];

/** Deterministic rows: user u, its i-th event. */
function eventRow(u: number, i: number): string {
  const id = u * 1000 + i;
  const type = eventTypes[(u + i) % eventTypes.length];
  const revenue = type === 'purchase' ? `${(u * 7 + i) % 100}.${String(i % 100).padStart(2, '0')}` : 'NULL';
  const minute = String(i % 60).padStart(2, '0');
  return (
    `(${id}, '2024-03-0${1 + (u % 9)} 10:${minute}:00+00', ${u}, 's-${u}-${Math.floor(i / 5)}', '${type}', ` +
    `'/p/${i % 3}', '${u % 2 === 0 ? 'DE' : 'FR'}', 'web', ${revenue}, ${i * 10}, '{"i": ${i}}')`
  );
}

describe('node pg against the server', () => {
  let target: Target;
  let client: pg.Client;

  beforeAll(async () => {
    target = await startTarget();
    client = new pg.Client(target.config);
    await client.connect();
    await client.query(eventsTableDdl(target.kind));
    for (let u = 0; u < userCount; u++) {
      const rows = Array.from({ length: eventsPerUser }, (_, i) => eventRow(u, i));
      const result = await client.query(`INSERT INTO events VALUES ${rows.join(', ')}`);
      expect(result.command).toBe('INSERT');
      expect(result.rowCount).toBe(eventsPerUser);
    }
  });

  afterAll(async () => {
    await client?.end();
    await target?.stop();
  });

  it('answers simple queries with the right rows, fields and command tag', async () => {
    const count = await client.query('SELECT count(*) AS n FROM events');
    expect(count.rows).toEqual([{ n: String(userCount * eventsPerUser) }]);
    expect(count.command).toBe('SELECT');
    expect(count.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['n', 20]]);

    const byType = await client.query(
      'SELECT event_type, count(*)::int AS n FROM events GROUP BY event_type ORDER BY event_type',
    );
    const expected = new Map<string, number>();
    for (let u = 0; u < userCount; u++) {
      for (let i = 0; i < eventsPerUser; i++) {
        const type = eventTypes[(u + i) % eventTypes.length] ?? '';
        expected.set(type, (expected.get(type) ?? 0) + 1);
      }
    }
    expect(byType.rows).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, n]) => ({ event_type: t, n })));
    expect(byType.rowCount).toBe(expected.size);

    const empty = await client.query('SELECT event_id, page FROM events WHERE user_id = -1');
    expect(empty.rows).toEqual([]);
    expect(empty.fields.map((f) => f.name)).toEqual(['event_id', 'page']);
  });

  it('returns one result per statement of a multi-statement simple query', async () => {
    const results = (await client.query('SELECT 1 AS a; SELECT count(*) AS n FROM events WHERE user_id = 3')) as unknown as pg.QueryResult[];
    expect(Array.isArray(results)).toBe(true);
    expect(results.map((r) => r.rows)).toEqual([[{ a: 1 }], [{ n: String(eventsPerUser) }]]);
  });

  it('runs unnamed prepared statements with $n parameters of several types', async () => {
    const byUser = await client.query('SELECT event_id FROM events WHERE user_id = $1 AND duration_ms >= $2 ORDER BY event_id', [4, 50]);
    expect(byUser.rows.map((r: { event_id: string }) => Number(r.event_id))).toEqual(
      Array.from({ length: eventsPerUser - 5 }, (_, k) => 4000 + 5 + k),
    );
    const byTime = await client.query(
      'SELECT count(*)::int AS n FROM events WHERE event_time >= $1 AND event_time < $2 AND country = $3',
      [new Date('2024-03-03T00:00:00Z'), '2024-03-04 00:00:00+00', 'DE'],
    );
    // Users 2 (DE) land on 2024-03-03.
    expect(byTime.rows).toEqual([{ n: eventsPerUser }]);
    const arithmetic = await client.query('SELECT $1::int + 1 AS next, $2::text || \'!\' AS shout, $3::numeric * 2 AS twice', [41, 'hi', '1.25']);
    expect(arithmetic.rows).toEqual([{ next: 42, shout: 'hi!', twice: '2.50' }]);
    const nullParam = await client.query('SELECT count(*)::int AS n FROM events WHERE revenue = $1', [null]);
    expect(nullParam.rows).toEqual([{ n: 0 }]);
  });

  it('binds JS arrays as array parameters (= ANY($1)) and reads arrays back as JS arrays', async () => {
    const byType = await client.query('SELECT count(*)::int AS n FROM events WHERE event_type = ANY($1) AND user_id = ANY($2)', [['click', 'signup'], [1, 2]]);
    // Users 1 and 2: (u + i) % 4 hits click or signup for half of each user's events.
    expect(byType.rows).toEqual([{ n: eventsPerUser }]);
    const arrays = await client.query("SELECT ARRAY[1, 2, NULL] AS ints, ARRAY['a', 'b c'] AS texts, array_agg(event_id ORDER BY event_id) AS ids FROM events WHERE user_id = 0 AND event_id < 3");
    expect(arrays.rows).toEqual([{ ints: [1, 2, null], texts: ['a', 'b c'], ids: ['0', '1', '2'] }]);
    const keys = await client.query("SELECT count(*)::int AS n FROM events WHERE properties ? 'i' AND properties ?| $1", [['i', 'x']]);
    expect(keys.rows).toEqual([{ n: userCount * eventsPerUser }]);
  });

  it('reuses a named prepared statement across executions with different values', async () => {
    for (const u of [0, 5, 9, 5]) {
      const result = await client.query({
        name: 'events_of_user',
        text: 'SELECT count(*)::int AS n, min(event_id) AS first FROM events WHERE user_id = $1',
        values: [u],
      });
      expect(result.rows).toEqual([{ n: eventsPerUser, first: String(u * 1000) }]);
    }
  });

  it('inserts through prepared statements, each visible to the next query', async () => {
    for (let k = 0; k < 20; k++) {
      const insert = await client.query({
        name: 'insert_event',
        text: 'INSERT INTO events (event_id, event_time, user_id, event_type, revenue, properties) VALUES ($1, $2, $3, $4, $5, $6)',
        values: [900000 + k, new Date(Date.UTC(2024, 3, 1, 0, k)), 777, 'prepared', k % 2 === 0 ? '1.50' : null, { k }],
      });
      expect(insert.rowCount).toBe(1);
      const seen = await client.query('SELECT count(*)::int AS n, sum(revenue) AS total FROM events WHERE user_id = 777');
      expect(seen.rows).toEqual([{ n: k + 1, total: ((Math.floor(k / 2) + 1) * 1.5).toFixed(2) }]);
    }
    const back = await client.query('SELECT properties, event_time FROM events WHERE event_id = 900007');
    expect(back.rows).toEqual([{ properties: { k: 7 }, event_time: new Date(Date.UTC(2024, 3, 1, 0, 7)) }]);
  });

  it('delivers every row in order when pg reads a portal in pages (rows option)', async () => {
    const text = 'SELECT event_id, event_type FROM events WHERE user_id < 100 ORDER BY event_id';
    const whole = await client.query(text);
    expect(whole.rows.length).toBe(userCount * eventsPerUser);
    for (const pageRows of [1, 7, 50, 1000]) {
      const paged = await client.query({ text, rows: pageRows } as pg.QueryConfig);
      expect(paged.rows, `pages of ${pageRows}`).toEqual(whole.rows);
    }
    const streamed: unknown[] = [];
    const query = new pg.Query({ text, rows: 9, rowMode: 'array' } as pg.QueryConfig);
    query.on('row', (row: unknown) => streamed.push(row));
    await new Promise<void>((resolveEnd, reject) => {
      query.on('end', () => resolveEnd());
      query.on('error', reject);
      client.query(query);
    });
    expect(streamed).toEqual(whole.rows.map((r: { event_id: string; event_type: string }) => [r.event_id, r.event_type]));
  });

  it('reports errors with their SQLSTATE and keeps the connection usable', async () => {
    const cases: [string, unknown[] | undefined, string][] = [
      ['SELEC 1', undefined, '42601'],
      ['SELECT * FROM no_such_table', undefined, '42P01'],
      ['SELECT no_such_column FROM events', undefined, '42703'],
      ['SELECT 1 / 0', undefined, '22012'],
      ["SELECT 'abc'::int", undefined, '22P02'],
      ['SELECT count(*) FROM events WHERE user_id = $1', ['not a number'], '22P02'],
      ['SELECT $1::int', [99999999999], '22003'],
      ['INSERT INTO events (event_id) VALUES (1)', undefined, '23502'],
      ["SELECT '{broken'::jsonb", undefined, '22P02'],
    ];
    for (const [text, values, code] of cases) {
      const error = await errorOf(client.query(text, values));
      expect(error.code, text).toBe(code);
      expect(error.severity, text).toBe('ERROR');
      const after = await client.query('SELECT count(*)::int AS n FROM events WHERE user_id = 1');
      expect(after.rows, `after ${text}`).toEqual([{ n: eventsPerUser }]);
    }
    const syntax = await errorOf(client.query('SELECT event_id FROM events WHERE'));
    expect(syntax.code).toBe('42601');
    expect(syntax.position).toBe('34');
    const namedFailure = await errorOf(client.query({ name: 'bad_stmt', text: 'SELECT nope FROM events', values: [] }));
    expect(namedFailure.code).toBe('42703');
    const reuse = await client.query({ name: 'good_stmt', text: 'SELECT $1::int AS v', values: [5] });
    expect(reuse.rows).toEqual([{ v: 5 }]);
  });

  it('aborts a failed transaction block until ROLLBACK, and commits a good one', async () => {
    await client.query('BEGIN');
    await client.query("INSERT INTO events (event_id, event_time, user_id, event_type) VALUES (1, '2024-06-01 00:00:00+00', 555, 'tx')");
    expect((await errorOf(client.query('SELECT * FROM no_such_table'))).code).toBe('42P01');
    expect((await errorOf(client.query('SELECT 1'))).code).toBe('25P02');
    await client.query('ROLLBACK');
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

    await client.query('BEGIN');
    await client.query("INSERT INTO events (event_id, event_time, user_id, event_type) VALUES (2, '2024-06-01 00:00:00+00', 556, 'tx')");
    await client.query('COMMIT');
    const committed = await client.query('SELECT count(*)::int AS n FROM events WHERE user_id = 556');
    expect(committed.rows).toEqual([{ n: 1 }]);
  });

  it('passes notices to the client', async () => {
    const notices: { code?: string | undefined; message?: string | undefined }[] = [];
    const onNotice = (notice: { code?: string | undefined; message?: string | undefined }) => {
      notices.push(notice);
    };
    client.on('notice', onNotice);
    try {
      await client.query('DROP TABLE IF EXISTS no_such_table_either');
    } finally {
      client.off('notice', onNotice);
    }
    expect(notices.map((n) => [n.code, n.message])).toEqual([['00000', 'table "no_such_table_either" does not exist, skipping']]);
  });

  it('a prepared current_setting() follows SET: the statement is bound again when a setting it read changed', async () => {
    const prepared = { name: 'read_search_path', text: "SELECT current_setting('search_path') AS p, current_setting('application_name') AS a" };
    await client.query('SET application_name = $$before$$');
    expect((await client.query(prepared)).rows).toEqual([{ p: '"$user", public', a: 'before' }]);
    await client.query('SET search_path = public');
    await client.query('SET application_name = $$after$$');
    expect((await client.query(prepared)).rows).toEqual([{ p: 'public', a: 'after' }]);
    await client.query('RESET search_path');
    await client.query('RESET application_name');
  });

  it('SET changes the session only, and SHOW reads it back', async () => {
    const other = new pg.Client(target.config);
    await other.connect();
    try {
      await client.query("SET TimeZone = 'Asia/Tokyo'");
      expect((await client.query('SHOW TimeZone')).rows).toEqual([{ TimeZone: 'Asia/Tokyo' }]);
      const text = await client.query({ text: "SELECT '2024-01-01 00:00:00+00'::timestamptz::text AS t" });
      expect(text.rows).toEqual([{ t: '2024-01-01 09:00:00+09' }]);
      const otherZone = await other.query('SHOW TimeZone');
      expect(otherZone.rows[0]?.TimeZone).not.toBe('Asia/Tokyo');
      await client.query('SET application_name = $$e2e$$');
      expect((await client.query('SHOW application_name')).rows).toEqual([{ application_name: 'e2e' }]);
      await client.query('RESET TimeZone');
      expect((await client.query('SHOW TimeZone')).rows).toEqual(otherZone.rows);
    } finally {
      await other.end();
    }
  });
});
