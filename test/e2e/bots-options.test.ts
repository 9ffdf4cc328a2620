/**
 * The bot filtering table options are checked when the table is created, as PostgreSQL checks a
 * reloption: the messages for a bad boolean, a bad integer, an out-of-range integer and an unknown
 * name are PostgreSQL 15's own (taken from a throwaway PostgreSQL for its built-in options of the
 * same kinds); the column checks are Eventide's (PostgreSQL has no option naming a column).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, removeDir, startServer, type RunningServer } from '../support/server.js';
import { startPostgres, type RunningPostgres } from './clients-postgres.js';

interface PgError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
}

async function errorOf(client: pg.Client, sql: string): Promise<{ code?: string; message: string; detail?: string }> {
  try {
    await client.query(sql);
  } catch (error) {
    const e = error as PgError;
    return { code: e.code, message: e.message, ...(e.detail === undefined ? {} : { detail: e.detail }) };
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('bot filtering options', () => {
  let server: RunningServer;
  let postgres: RunningPostgres;
  let client: pg.Client;
  let reference: pg.Client;

  beforeAll(async () => {
    [server, postgres] = await Promise.all([startServer(), startPostgres()]);
    client = new pg.Client(clientConfig(server));
    reference = new pg.Client({ host: postgres.host, port: postgres.port, user: 'eventide', database: 'eventide' });
    await Promise.all([client.connect(), reference.connect()]);
  });

  afterAll(async () => {
    await client?.end();
    await reference?.end();
    await postgres?.stop();
    await server?.stop();
    if (server !== undefined) removeDir(server.dataDir);
  });

  it('reports bad values and unknown names with PostgreSQL reloption errors', async () => {
    const cases: Array<{ postgres: string; eventide: string; rename: [string, string][] }> = [
      {
        postgres: 'CREATE TABLE t1 (a int) WITH (autovacuum_enabled = maybe)',
        eventide: `CREATE TABLE t1 (user_agent text, is_bot bool) WITH (bot_filter = maybe)`,
        rename: [['autovacuum_enabled', 'bot_filter']],
      },
      {
        postgres: `CREATE TABLE t1b (a int) WITH (autovacuum_enabled = ' on')`,
        eventide: `CREATE TABLE t1b (user_agent text, is_bot bool) WITH (bot_filter = ' on')`,
        rename: [['autovacuum_enabled', 'bot_filter']],
      },
      {
        postgres: `CREATE TABLE t2 (a int) WITH (fillfactor = 'lots')`,
        eventide: `CREATE TABLE t2 (user_id int, is_bot bool) WITH (bot_filter = on, bot_rate_limit = 'lots')`,
        rename: [['fillfactor', 'bot_rate_limit']],
      },
      {
        postgres: 'CREATE TABLE t3 (a int) WITH (fillfactor = 5)',
        eventide: 'CREATE TABLE t3 (user_id int, is_bot bool) WITH (bot_filter = on, bot_rate_limit = -1)',
        rename: [
          ['fillfactor', 'bot_rate_limit'],
          ['value 5 ', 'value -1 '],
          ['"10" and "100"', '"0" and "1000000000"'],
        ],
      },
      {
        postgres: 'CREATE TABLE t3b (a int) WITH (fillfactor = 50, fillfactor = 60)',
        eventide: 'CREATE TABLE t3b (user_agent text, is_bot bool) WITH (bot_filter = on, bot_filter = off)',
        rename: [['fillfactor', 'bot_filter']],
      },
      {
        postgres: 'CREATE TABLE t4 (a int) WITH (bot_filter = on)',
        eventide: 'CREATE TABLE t4 (user_agent text, is_bot bool) WITH (bot_filters = on)',
        rename: [['bot_filter', 'bot_filters']],
      },
    ];
    for (const c of cases) {
      const fromPostgres = await errorOf(reference, c.postgres);
      const rename = (text: string | undefined) => c.rename.reduce((t, [from, to]) => t?.replace(from, to), text);
      const expected = { ...fromPostgres, message: rename(fromPostgres.message) as string, ...(fromPostgres.detail === undefined ? {} : { detail: rename(fromPostgres.detail) }) };
      expect(await errorOf(client, c.eventide)).toEqual(expected);
    }
    expect((await errorOf(reference, 'CREATE TABLE t1 (a int) WITH (autovacuum_enabled = maybe)')).code).toBe('22023');
  });

  it('requires the flag column to be a boolean column of the table, and other named columns to fit', async () => {
    const cases: Array<[string, string, string]> = [
      ['CREATE TABLE e1 (user_agent text) WITH (bot_filter = on)', '42703', 'column "is_bot" named in option "bot_flag_column" does not exist'],
      [`CREATE TABLE e2 (user_agent text, flag bool) WITH (bot_filter = on, bot_flag_column = 'bot')`, '42703', 'column "bot" named in option "bot_flag_column" does not exist'],
      [`CREATE TABLE e3 (user_agent text, bot text) WITH (bot_filter = on, bot_flag_column = 'bot')`, '22023', 'invalid value for option "bot_flag_column": column "bot" is of type text, not boolean'],
      [`CREATE TABLE e4 (ua int, is_bot bool) WITH (bot_filter = on, bot_user_agent_column = 'ua')`, '22023', 'invalid value for option "bot_user_agent_column": column "ua" is of type integer, not text or jsonb'],
      [`CREATE TABLE e5 (ua text, is_bot bool) WITH (bot_filter = on, bot_user_agent_column = 'agent')`, '42703', 'column "agent" named in option "bot_user_agent_column" does not exist'],
      [`CREATE TABLE e6 (user_agent text, is_bot bool) WITH (bot_filter = on, bot_user_agent_key = 'ua')`, '22023', 'option "bot_user_agent_key" needs a jsonb column, but column "user_agent" is of type text'],
      ['CREATE TABLE e7 (user_agent text, is_bot bool) WITH (bot_filter = on, bot_rate_limit = 10)', '42703', 'column "user_id" named in option "bot_rate_key" does not exist'],
      [`CREATE TABLE e8 (user_id float8, is_bot bool) WITH (bot_filter = on, bot_rate_limit = 10)`, '22023', 'invalid value for option "bot_rate_key": column "user_id" is of type double precision, not an integer or text type'],
      ['CREATE TABLE e9 (page text, is_bot bool) WITH (bot_filter = on)', '22023', 'bot_filter has no rule to run'],
      // Checked with bot_filter off too, as PostgreSQL checks every option given.
      [`CREATE TABLE e10 (user_agent text, is_bot int) WITH (bot_filter = off, bot_flag_column = 'is_bot')`, '22023', 'invalid value for option "bot_flag_column": column "is_bot" is of type integer, not boolean'],
    ];
    for (const [sql, code, message] of cases) {
      expect(await errorOf(client, sql)).toMatchObject({ code, message });
    }
    // A failed CREATE TABLE creates nothing.
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'e_' OR relname = 'e10'`);
    expect(rows).toEqual([{ n: 0 }]);
    // The connection is still usable.
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it("accepts PostgreSQL's boolean spellings and the documented defaults", async () => {
    const spellings = ['on', 'true', "'yes'", '1', "'t'"];
    for (const [i, spelling] of spellings.entries()) {
      await client.query(`CREATE TABLE ok${i} (user_agent text, is_bot boolean) WITH (bot_filter = ${spelling})`);
      await client.query(`INSERT INTO ok${i} VALUES ('Googlebot/2.1', false)`);
      expect((await client.query(`SELECT is_bot FROM ok${i}`)).rows).toEqual([{ is_bot: true }]);
    }
    await client.query('CREATE TABLE ok_bare (user_agent varchar(200), is_bot boolean) WITH (bot_filter)');
    await client.query(`INSERT INTO ok_bare VALUES ('Googlebot/2.1', NULL)`);
    expect((await client.query('SELECT is_bot FROM ok_bare')).rows).toEqual([{ is_bot: true }]);
  });
});
