/**
 * The per-query memory limit over the wire: a query whose sorts, hash tables or group tables would
 * hold more than eventide.query_memory_limit fails with 53200, and the same connection goes on.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig, removeDir, startServer, type RunningServer } from '../support/server.js';

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
  if (server) removeDir(server.dataDir);
});

async function errorOf(sql: string): Promise<{ code?: string; message: string }> {
  try {
    await client.query(sql);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error(`no error from ${sql}`);
}

describe('eventide.query_memory_limit', () => {
  it('has a default, takes PostgreSQL memory units and refuses others', async () => {
    const shown = (await client.query('SHOW eventide.query_memory_limit')).rows[0]['eventide.query_memory_limit'] as string;
    expect(shown).toMatch(/^\d+(MB|GB)$/);
    await client.query("SET eventide.query_memory_limit = '1GB'");
    expect((await client.query('SHOW eventide.query_memory_limit')).rows[0]['eventide.query_memory_limit']).toBe('1GB');
    await client.query('SET eventide.query_memory_limit = 2048');
    expect((await client.query('SHOW eventide.query_memory_limit')).rows[0]['eventide.query_memory_limit']).toBe('2GB');
    expect((await errorOf("SET eventide.query_memory_limit = '5 parsecs'")).code).toBe('22023');
    await client.query('RESET eventide.query_memory_limit');
  });

  it('a sorted cross join, a large GROUP BY, a hash join, a window, UNION, EXCEPT and DISTINCT ON fail with 53200; the connection goes on', async () => {
    await client.query("SET eventide.query_memory_limit = '1MB'");
    const queries = [
      'SELECT a * b FROM generate_series(1, 2000) a, generate_series(1, 2000) b ORDER BY 1 DESC',
      'SELECT g % 200000, count(*) FROM generate_series(1, 1000000) g GROUP BY 1',
      'SELECT count(*) FROM generate_series(1, 300000) a JOIN generate_series(1, 300000) b ON a = b',
      'SELECT g, sum(g) OVER (ORDER BY g) FROM generate_series(1, 300000) g',
      'SELECT g FROM generate_series(1, 300000) g UNION SELECT 1',
      'SELECT g FROM generate_series(1, 300000) g EXCEPT SELECT 1',
      'SELECT DISTINCT ON (g % 100000) g FROM generate_series(1, 300000) g',
    ];
    for (const sql of queries) {
      const error = await errorOf(sql);
      expect(error.code, sql).toBe('53200');
      expect(error.message).toBe('query needs more than 1 MB of memory (limit set by eventide.query_memory_limit)');
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    }
    // A top-N keeps only its rows: under the same limit it answers.
    const top = await client.query('SELECT a * b AS p FROM generate_series(1, 2000) a, generate_series(1, 2000) b ORDER BY 1 DESC LIMIT 3');
    expect(top.rows.map((r) => r.p)).toEqual([4000000, 3998000, 3998000]);
    await client.query('RESET eventide.query_memory_limit');
    const counted = await client.query('SELECT count(*)::int AS n FROM (SELECT g % 200000, count(*) FROM generate_series(1, 1000000) g GROUP BY 1) t');
    expect(counted.rows).toEqual([{ n: 200000 }]);
  });
});
