/**
 * The wire server driven by node-postgres: simple and extended queries, parameters, errors,
 * transactions and notices, served in-process by the protocol test engine.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../unit/server/support/test-server.js';

let server: TestServer;
let client: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  client = new pg.Client({ host: server.host, port: server.port, user: 'eventide', database: 'eventide', application_name: 'protocol-test' });
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await server.close();
});

describe('node-postgres against the wire server', () => {
  test('a simple query returns typed rows and the command tag', async () => {
    const result = await client.query('select n from generate_series(1, 2500) as n');
    expect(result.command).toBe('SELECT');
    expect(result.rowCount).toBe(2500);
    expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual([['n', 23]]);
    expect(result.rows[0]).toEqual({ n: 1 });
    expect(result.rows[2499]).toEqual({ n: 2500 });
    expect(result.rows.every((row, i) => row.n === i + 1)).toBe(true);
  });

  test('several statements in one message give one result each', async () => {
    const results = (await client.query(
      'select n from generate_series(1, 2) as n; select n, repeat(\'x\', 3) as label from generate_series(1, 1) as n',
    )) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows)).toEqual([[{ n: 1 }, { n: 2 }], [{ n: 1, label: 'xxx' }]]);
  });

  test('a prepared statement with parameters, executed twice', async () => {
    const query = { name: 'two-params', text: 'select $1::int4 as a, $2::text as b' };
    const first = await client.query({ ...query, values: [41, 'héllo'] });
    const second = await client.query({ ...query, values: [-7, null] });
    expect(first.rows).toEqual([{ a: 41, b: 'héllo' }]);
    expect(second.rows).toEqual([{ a: -7, b: null }]);
  });

  test('an unnamed extended query with parameters', async () => {
    const result = await client.query('select $1::int4 as a, $2::text as b', ['12', 'x']);
    expect(result.rows).toEqual([{ a: 12, b: 'x' }]);
  });

  test('text output of booleans, small and big integers, floats and NULL', async () => {
    const result = await client.query('select true as t, 7::int2 as s, -9007199254740993::int8 as big, 1.5::float8 as f, null::text as z');
    expect(result.rows).toEqual([{ t: true, s: 7, big: '-9007199254740993', f: 1.5, z: null }]);
    expect(result.fields.map((f) => f.dataTypeID)).toEqual([16, 21, 20, 701, 25]);
  });

  test('errors carry SQLSTATE and position, and the connection stays usable', async () => {
    await expect(client.query('select * from missing_table')).rejects.toMatchObject({
      code: '42P01',
      message: 'relation "missing_table" does not exist',
      position: '15',
      severity: 'ERROR',
    });
    await expect(client.query('selec 1')).rejects.toMatchObject({ code: '42601', message: 'syntax error at or near "selec"' });
    await expect(client.query('select $1::int4 as a, $2::text as b', ['nope', 'x'])).rejects.toMatchObject({ code: '22P02' });
    const after = await client.query('select n from generate_series(1, 1) as n');
    expect(after.rows).toEqual([{ n: 1 }]);
  });

  test('an error while rows stream ends the query with that error', async () => {
    await expect(client.query('select 1/(n - 3) as q from generate_series(1, 5) as n')).rejects.toMatchObject({
      code: '22012',
      message: 'division by zero',
    });
    expect((await client.query('select n from generate_series(1, 3) as n')).rowCount).toBe(3);
  });

  test('transaction blocks: failed block rejects commands until rollback', async () => {
    await client.query('begin');
    await expect(client.query('selec 1')).rejects.toMatchObject({ code: '42601' });
    await expect(client.query('select n from generate_series(1, 1) as n')).rejects.toMatchObject({ code: '25P02' });
    const rollback = await client.query('commit');
    expect(rollback.command).toBe('ROLLBACK');
    expect((await client.query('select n from generate_series(1, 1) as n')).rows).toEqual([{ n: 1 }]);
  });

  test('SET reports the new value with ParameterStatus', async () => {
    const changes: [string, string][] = [];
    const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
    const onStatus = (m: { parameterName: string; parameterValue: string }) => changes.push([m.parameterName, m.parameterValue]);
    connection.on('parameterStatus', onStatus);
    await client.query("set timezone = 'Europe/Paris'");
    connection.off('parameterStatus', onStatus);
    expect(changes).toEqual([['TimeZone', 'Europe/Paris']]);
  });

  test('notices reach the client', async () => {
    const notices: string[] = [];
    const onNotice = (n: { message?: string }) => notices.push(n.message ?? '');
    client.on('notice', onNotice);
    await client.query("do $$ begin raise notice 'hello'; end $$");
    client.off('notice', onNotice);
    expect(notices).toEqual(['hello']);
  });

  test('an unexpected internal error is XX000, logged, and the session survives', async () => {
    await expect(client.query('select eventide_crash()')).rejects.toMatchObject({ code: 'XX000', severity: 'ERROR' });
    expect(server.logs.some((line) => line.includes("Cannot read properties of undefined (reading 'x')"))).toBe(true);
    expect((await client.query('select n from generate_series(1, 2) as n')).rowCount).toBe(2);
  });

  test('many connections work side by side', async () => {
    const clients = Array.from({ length: 8 }, () => new pg.Client({ host: server.host, port: server.port, user: 'u', database: 'd' }));
    await Promise.all(clients.map((c) => c.connect()));
    const counts = await Promise.all(
      clients.map(async (c, i) => (await c.query(`select n from generate_series(1, ${1000 * (i + 1)}) as n`)).rowCount),
    );
    expect(counts).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]);
    await Promise.all(clients.map((c) => c.end()));
  });
});
