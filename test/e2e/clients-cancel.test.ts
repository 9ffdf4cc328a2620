/**
 * CancelRequest, as libpq and psql send it: a new connection carrying the BackendKeyData
 * (process id, secret key) of the session to interrupt. A long query must stop with 57014
 * (query_canceled), a wrong secret must cancel nothing, and the session stays usable.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLongQuery, type LongQuery } from './clients-long-query.js';
import { startTarget, type Target } from './clients-target.js';
import { sendCancelRequest } from './clients-wire-client.js';

/** The long query runs at least this long uncancelled; the cancel comes well before. */
const longQueryMs = 2_500;
const wrongKeyAtMs = 200;
const cancelAtMs = 600;

interface Outcome {
  error: { code?: string; message: string } | null;
  finishedAtMs: number;
}

async function runTimed(client: pg.Client, text: string, startedAtMs: number): Promise<Outcome> {
  try {
    await client.query(text);
    return { error: null, finishedAtMs: Date.now() - startedAtMs };
  } catch (error) {
    return { error: error as { code?: string; message: string }, finishedAtMs: Date.now() - startedAtMs };
  }
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

describe('CancelRequest', () => {
  let target: Target;
  let client: pg.Client;

  let longQuery: LongQuery;

  beforeAll(async () => {
    target = await startTarget();
    client = new pg.Client(target.config);
    await client.connect();
    longQuery = await prepareLongQuery(client, longQueryMs);
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await target?.stop();
  });

  it('stops a long query with 57014; a wrong secret key cancels nothing; the session goes on', async () => {
    const keys = client as unknown as { processID: number; secretKey: number };
    expect(keys.processID).toEqual(expect.any(Number));
    expect(keys.secretKey).toEqual(expect.any(Number));
    const startedAtMs = Date.now();
    const running = runTimed(client, longQuery.text, startedAtMs);
    await sleep(wrongKeyAtMs);
    await sendCancelRequest(target.host, target.port, keys.processID, (keys.secretKey + 1) | 0);
    await sleep(cancelAtMs - wrongKeyAtMs);
    await sendCancelRequest(target.host, target.port, keys.processID, keys.secretKey);
    const outcome = await running;
    const what = `${longQuery.text} over ${longQuery.rows} rows (${longQuery.durationMs} ms uncancelled), ended after ${outcome.finishedAtMs} ms`;
    expect(outcome.error?.code, what).toBe('57014');
    expect(outcome.error?.message).toBe('canceling statement due to user request');
    // Not stopped by the wrong key, and stopped soon after the right one.
    expect(outcome.finishedAtMs, what).toBeGreaterThanOrEqual(cancelAtMs);
    expect(outcome.finishedAtMs, what).toBeLessThan(cancelAtMs + 1_500);
    const after = await client.query('SELECT count(*)::int AS n FROM long_rows');
    expect(after.rows).toEqual([{ n: longQuery.rows }]);
  });

  it('a cancel that arrives while the session is idle does not affect its next query', async () => {
    const keys = client as unknown as { processID: number; secretKey: number };
    await sendCancelRequest(target.host, target.port, keys.processID, keys.secretKey);
    await sleep(100);
    const result = await client.query('SELECT count(*)::int AS n FROM long_rows WHERE k = 0');
    expect(result.rows).toEqual([{ n: longQuery.rows / 2 }]);
  });
});
