/**
 * The real psql against the server: a script through -f with ON_ERROR_STOP off (events table of
 * the design, inserts, selects, errors with their SQLSTATE under VERBOSITY verbose and work going
 * on after them, SET/SHOW, \timing), one-shot -c commands, a session fed through stdin statement by
 * statement, and Ctrl-C cancelling a running query. Expected output is what psql prints against
 * PostgreSQL 15 (run with E2E_TARGET=postgres to see it still is).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareLongQuery, type LongQuery } from './clients-long-query.js';
import { eventsTableDdl, startTarget, type Target } from './clients-target.js';
import { collect, connectionArgs, findPsql, normalizePsql, runPsql, startPsql } from './psql-run.js';

const psql = findPsql();

const scriptBody = `\\set VERBOSITY verbose
INSERT INTO events (event_id, event_time, user_id, event_type, revenue, properties) VALUES (1, '2024-03-01 10:00:00+00', 7, 'page_view', NULL, '{"page": "/home"}'), (2, '2024-03-01 10:05:00+00', 7, 'purchase', 19.99, '{"item": 42}'), (3, '2024-03-02 09:00:00+00', 8, 'page_view', NULL, NULL);
SELECT event_type, count(*) AS n, sum(revenue) AS revenue FROM events GROUP BY event_type ORDER BY event_type;
SELECT * FROM no_such_table;
SELECT count(*) FROM events;
SET TimeZone = 'UTC';
SHOW TimeZone;
SELECT event_id, event_time, user_id, properties FROM events ORDER BY event_id;
\\timing on
SELECT max(event_id) FROM events;
\\timing off
SELECT 1 / 0;
SELECT event_type FROM events WHERE user_id = 8;
`;

// psql 15 against PostgreSQL 15, LOCATION lines and elapsed times normalized away.
const scriptStdout = `CREATE TABLE
INSERT 0 3
 event_type | n | revenue 
------------+---+---------
 page_view  | 2 |        
 purchase   | 1 |   19.99
(2 rows)

 count 
-------
     3
(1 row)

SET
 TimeZone 
----------
 UTC
(1 row)

 event_id |       event_time       | user_id |    properties     
----------+------------------------+---------+-------------------
        1 | 2024-03-01 10:00:00+00 |       7 | {"page": "/home"}
        2 | 2024-03-01 10:05:00+00 |       7 | {"item": 42}
        3 | 2024-03-02 09:00:00+00 |       8 | 
(3 rows)

Timing is on.
 max 
-----
   3
(1 row)

Time: <elapsed>
Timing is off.
 event_type 
------------
 page_view
(1 row)

`;

const scriptStderr = `psql:session.sql:5: ERROR:  42P01: relation "no_such_table" does not exist
LINE 1: SELECT * FROM no_such_table;
                      ^
psql:session.sql:13: ERROR:  22012: division by zero
`;

describe.skipIf(psql === null)('psql', () => {
  const psqlPath = psql ?? 'psql';
  let target: Target;
  let workDir: string;

  beforeAll(async () => {
    target = await startTarget();
    workDir = mkdtempSync(join(tmpdir(), 'eventide-psql-'));
  });

  afterAll(async () => {
    await target?.stop();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  it('runs a script with -f: table, inserts, selects, errors with SQLSTATE, SET/SHOW, \\timing', async () => {
    // The DDL is the one line that differs between the two servers; it is line 1 of the file.
    writeFileSync(join(workDir, 'session.sql'), `${eventsTableDdl(target.kind)};\n${scriptBody}`);
    const result = await runPsql(psqlPath, [...connectionArgs(target), '-v', 'ON_ERROR_STOP=0', '-f', 'session.sql'], { cwd: workDir });
    expect(normalizePsql(result.stderr)).toBe(scriptStderr);
    expect(normalizePsql(result.stdout)).toBe(scriptStdout);
    expect(result.status).toBe(0);
  });

  it('stops at the first error with ON_ERROR_STOP=1 and exits 3', async () => {
    writeFileSync(join(workDir, 'stop.sql'), "SELECT 'before' AS step;\nSELECT nope FROM events;\nSELECT 'after' AS step;\n");
    const result = await runPsql(psqlPath, [...connectionArgs(target), '-v', 'ON_ERROR_STOP=1', '-f', 'stop.sql'], { cwd: workDir });
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('  step  \n--------\n before\n(1 row)\n\n');
    expect(result.stderr).toBe(
      'psql:stop.sql:2: ERROR:  column "nope" does not exist\nLINE 1: SELECT nope FROM events;\n               ^\n',
    );
  });

  it('runs -c commands, in aligned and in unaligned tuples-only output', async () => {
    const aligned = await runPsql(psqlPath, [...connectionArgs(target), '-c', 'SELECT user_id, count(*) AS n FROM events GROUP BY user_id ORDER BY user_id']);
    expect(aligned.stderr).toBe('');
    expect(aligned.stdout).toBe(' user_id | n \n---------+---\n       7 | 2\n       8 | 1\n(2 rows)\n\n');
    const bare = await runPsql(psqlPath, [...connectionArgs(target), '-At', '-c', 'SELECT count(*) FROM events', '-c', "SELECT 'x|y', NULL, true"]);
    expect(bare.stdout).toBe('3\nx|y||t\n');
    expect(bare.status).toBe(0);
    const failing = await runPsql(psqlPath, [...connectionArgs(target), '-c', 'SELECT * FROM no_such_table']);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toBe('ERROR:  relation "no_such_table" does not exist\nLINE 1: SELECT * FROM no_such_table\n                      ^\n');
  });

  it('keeps one session across statements fed through stdin one at a time', async () => {
    const child = startPsql(psqlPath, [...connectionArgs(target), '-v', 'ON_ERROR_STOP=0']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const waitFor = async (stream: () => string, text: string) => {
      const deadline = Date.now() + 10_000;
      while (!stream().includes(text)) {
        if (Date.now() > deadline) throw new Error(`psql never printed ${JSON.stringify(text)}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolveWait) => setTimeout(resolveWait, 20));
      }
    };
    const send = (text: string) => child.stdin.write(text);

    send('\\set VERBOSITY verbose\nSELECT 1 AS ready;\n');
    await waitFor(() => stdout, ' ready \n-------\n     1\n(1 row)\n');
    send('SELECT count(*) AS n\nFROM events\n');
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    send('WHERE user_id = 7;\n');
    await waitFor(() => stdout, ' n \n---\n 2\n(1 row)\n');
    send('SELECT * FROM no_such_table;\n');
    await waitFor(() => stderr, 'ERROR:  42P01: relation "no_such_table" does not exist');
    send("SELECT 'a;b' AS semi, E'tab\\there' AS esc;\n");
    await waitFor(() => stdout, ' semi |     esc      \n------+--------------\n a;b  | tab     here\n(1 row)\n');
    send("SET TimeZone = 'Asia/Tokyo';\nSHOW TimeZone;\n");
    await waitFor(() => stdout, ' Asia/Tokyo\n(1 row)\n');
    send("SELECT event_time FROM events WHERE event_id = 1;\n");
    await waitFor(() => stdout, ' 2024-03-01 19:00:00+09\n(1 row)\n');
    const result = await collect(child, '\\timing on\nSELECT 2 AS two;\n', 10_000);
    expect(result.status).toBe(0);
    expect(normalizePsql(stdout).endsWith('Timing is on.\n two \n-----\n   2\n(1 row)\n\nTime: <elapsed>\n')).toBe(true);
    expect(normalizePsql(stderr)).toBe(
      'ERROR:  42P01: relation "no_such_table" does not exist\nLINE 1: SELECT * FROM no_such_table;\n                      ^\n',
    );
  });

  it('cancels a running query on Ctrl-C (SIGINT); the server goes on', { timeout: 120_000 }, async () => {
    const client = new pg.Client(target.config);
    await client.connect();
    let longQuery: LongQuery;
    try {
      longQuery = await prepareLongQuery(client, 2_500);
    } finally {
      await client.end();
    }
    // The query runs for seconds; the interrupt comes after 700 ms. (A psql reading a script or -c
    // exits after Ctrl-C, so the session's sequel is a new psql.)
    const child = startPsql(psqlPath, [...connectionArgs(target), '-c', longQuery.text]);
    const startedAtMs = Date.now();
    setTimeout(() => child.kill('SIGINT'), 700);
    const result = await collect(child, '', 20_000);
    const elapsedMs = Date.now() - startedAtMs;
    expect(result.stderr).toBe('Cancel request sent\nERROR:  canceling statement due to user request\n');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
    const next = await runPsql(psqlPath, [...connectionArgs(target), '-At', '-c', 'SELECT count(*) FROM long_rows']);
    expect(next.stdout).toBe(`${longQuery.rows}\n`);
    expect(elapsedMs).toBeLessThan(700 + 1_500);
  });
});
