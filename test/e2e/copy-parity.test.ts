/**
 * COPY against PostgreSQL itself: each case runs the same statements and the same COPY data on a
 * throwaway PostgreSQL 15 and on Eventide through pg + pg-copy-streams (the way Node applications
 * stream COPY), and the outcomes must be the same: the error's SQLSTATE, message and CONTEXT line,
 * the rows stored afterwards (nothing from a failed COPY), and COPY TO's bytes.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientConfig, startServer, type RunningServer } from '../support/server.js';
import { copyOutBytes } from './copy-support.js';
import { postgresBinDir, startPostgres, type RunningPostgres } from './clients-postgres.js';

interface Case {
  readonly setup: string;
  readonly copy: string;
  /** COPY FROM data, sent in these pieces (so records and characters cross CopyData boundaries). */
  readonly data?: readonly string[];
  readonly check?: string;
  /** COPY FROM data in binary format: what this COPY TO of PostgreSQL's writes, sent in 3 pieces. */
  readonly binaryFrom?: string;
  /** Run as a role without superuser rights on PostgreSQL (Eventide has no roles). */
  readonly plainRole?: boolean;
}

const table = 'CREATE TABLE t (id int NOT NULL, name text, ts timestamptz, amount numeric(10,2) DEFAULT 7, big bigint, flag bool, doc jsonb)';
const rows = 'SELECT * FROM t ORDER BY id';

const cases: Record<string, Case> = {
  'text: escapes, NULLs, defaults for missing columns': {
    setup: table,
    copy: 'COPY t (id, name, big, flag) FROM STDIN',
    data: ['1\ta\\tb\\\\c\t-9007199254740993\tt\n2\t\\N\t\\N\tf\n', '3\tnew\\nline\t12\t\\N\n'],
    check: rows,
  },
  'text: records split across CopyData messages, multi-byte characters split too': {
    setup: table,
    copy: 'COPY t (id, name) FROM STDIN',
    data: ['1\tgr', 'üß', 'e\n2\t', Buffer.from('€').subarray(0, 2).toString('latin1'), '\n'].slice(0, 3).concat(['\n2\tend\n']),
    check: rows,
  },
  'text: end-of-data marker': { setup: table, copy: 'COPY t (id) FROM STDIN', data: ['1\n2\n\\.\n'], check: rows },
  'csv: header, quotes, doubled quotes, quoted newline, empty vs NULL': {
    setup: table,
    copy: 'COPY t (id, name, amount) FROM STDIN WITH (FORMAT csv, HEADER true)',
    data: ['id,name,amount\n1,"a, ""b""",1.5\n2,,\n3,"",2\n4,"multi\n', 'line",3.333\n'],
    check: rows,
  },
  'csv: custom delimiter, null string, FORCE_NULL and FORCE_NOT_NULL': {
    setup: table,
    copy: "COPY t (id, name, doc) FROM STDIN WITH (FORMAT csv, DELIMITER ';', NULL 'NA', FORCE_NULL (doc), FORCE_NOT_NULL (name))",
    data: ['1;NA;"NA"\n2;x;"{""a"": [1, 2]}"\n3;"NA";NA\n'],
    check: rows,
  },
  'csv: HEADER MATCH accepts the right names': {
    setup: table,
    copy: 'COPY t (id, name) FROM STDIN WITH (FORMAT csv, HEADER match)',
    data: ['id,name\n1,a\n'],
    check: rows,
  },
  'csv: HEADER MATCH refuses other names': {
    setup: table,
    copy: 'COPY t (id, name) FROM STDIN WITH (FORMAT csv, HEADER match)',
    data: ['id,nom\n1,a\n'],
    check: rows,
  },
  'timestamps with offsets and in the session time zone': {
    setup: `${table}; SET TimeZone = 'America/New_York'`,
    copy: 'COPY t (id, ts) FROM STDIN WITH (FORMAT csv)',
    data: ['1,2024-03-10 01:30:00\n2,2024-03-10T12:00:00Z\n3,2024-03-10 12:00:00+05:30\n4,2024-07-01 00:00:00.123456\n'],
    check: "SELECT id, ts::text FROM t ORDER BY id",
  },
  'a bad integer fails the whole COPY with its line and column': {
    setup: table,
    copy: 'COPY t (id, name) FROM STDIN',
    data: ['1\ta\n2\tb\nx3\tc\n'],
    check: rows,
  },
  'a bad value in a later batch leaves nothing behind': {
    setup: table,
    copy: 'COPY t (id, big) FROM STDIN WITH (FORMAT csv)',
    data: [Array.from({ length: 3000 }, (_, i) => `${i},${i}\n`).join('') + '3000,99999999999999999999\n'],
    check: 'SELECT count(*) FROM t',
  },
  'missing data and extra data': {
    setup: table,
    copy: 'COPY t (id, name) FROM STDIN',
    data: ['1\n'],
    check: rows,
  },
  'extra data after the last column': { setup: table, copy: 'COPY t (id, name) FROM STDIN', data: ['1\ta\tb\n'], check: rows },
  'NULL into a NOT NULL column': { setup: table, copy: 'COPY t (id, name) FROM STDIN', data: ['1\ta\n\\N\tb\n'], check: rows },
  'unterminated CSV quoted field': { setup: table, copy: 'COPY t (id, name) FROM STDIN (FORMAT csv)', data: ['1,"abc\n'], check: rows },
  'literal carriage return in text format': { setup: table, copy: 'COPY t (id, name) FROM STDIN', data: ['1\ta\n2\ta\rb\n'], check: rows },
  'CRLF line endings': { setup: table, copy: 'COPY t (id, name) FROM STDIN (FORMAT csv)', data: ['1,a\r\n2,b\r\n'], check: rows },
  'numeric out of range for its typmod': { setup: table, copy: 'COPY t (id, amount) FROM STDIN', data: ['1\t123456789.5\n'], check: rows },
  'bad jsonb': { setup: table, copy: 'COPY t (id, doc) FROM STDIN', data: ['1\t{"a":\n'], check: rows },
  'bad jsonb in the middle of a long document': { setup: table, copy: 'COPY t (id, doc) FROM STDIN', data: [`1\t{"k": [${'1, '.repeat(40)}x, 2]}\n`], check: rows },
  'unknown column': { setup: table, copy: 'COPY t (id, nope) FROM STDIN' },
  'column given twice': { setup: table, copy: 'COPY t (id, id) FROM STDIN' },
  'unknown option': { setup: table, copy: 'COPY t FROM STDIN WITH (colour red)' },
  'redundant option': { setup: table, copy: 'COPY t FROM STDIN WITH (FORMAT csv, FORMAT text)' },
  'unknown format': { setup: table, copy: 'COPY t FROM STDIN WITH (FORMAT xml)' },
  'quote in text mode': { setup: table, copy: "COPY t FROM STDIN WITH (QUOTE '\"')" },
  'delimiter of two characters': { setup: table, copy: "COPY t FROM STDIN WITH (DELIMITER ';;')" },
  'FORCE_QUOTE on COPY FROM': { setup: table, copy: 'COPY t FROM STDIN WITH (FORMAT csv, FORCE_QUOTE *)' },
  'FORCE_NULL of a column not copied': { setup: table, copy: 'COPY t (id) FROM STDIN WITH (FORMAT csv, FORCE_NULL (name))' },
  'HEADER MATCH on COPY TO': { setup: table, copy: 'COPY t TO STDOUT WITH (FORMAT csv, HEADER match)' },
  'a server file': { setup: table, copy: "COPY t FROM '/etc/hosts'", plainRole: true },
  'a server program': { setup: table, copy: "COPY t TO PROGRAM 'cat'", plainRole: true },
  'unknown table': { setup: 'SELECT 1', copy: 'COPY nope FROM STDIN' },
  'binary: COPY FROM what PostgreSQL wrote': {
    setup: table,
    copy: 'COPY t FROM STDIN WITH (FORMAT binary)',
    binaryFrom:
      "COPY (SELECT 1, 'ä\tb', timestamptz '2024-05-06 07:08:09.123456+00', 12.34::numeric(10,2), -9007199254740993::int8, true, '{\"a\": [1, null]}'::jsonb UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL) TO STDOUT (FORMAT binary)",
    check: rows,
  },
  'binary: a tuple with the wrong field count': {
    setup: table,
    copy: 'COPY t (id, name) FROM STDIN WITH (FORMAT binary)',
    binaryFrom: "COPY (SELECT 1) TO STDOUT (FORMAT binary)",
    check: rows,
  },
  'binary: COPY TO': {
    setup: `${table}; INSERT INTO t VALUES (1, 'x', '2024-01-01 00:00:00+00', 1.5, 7, true, '{"k": "v"}'), (2, NULL, NULL, NULL, NULL, NULL, NULL)`,
    copy: 'COPY (SELECT * FROM t ORDER BY id) TO STDOUT (FORMAT binary)',
  },
  'COPY TO: text with escapes and NULLs': {
    setup: `${table}; INSERT INTO t VALUES (1, E'a\\tb\\nc\\\\d', '2024-01-01 00:00:00+00', 1.5, 7, true, '{"k": "v"}'), (2, NULL, NULL, NULL, NULL, NULL, NULL)`,
    copy: 'COPY (SELECT * FROM t ORDER BY id) TO STDOUT',
  },
  'COPY TO: CSV with header, quoting and FORCE_QUOTE': {
    setup: `${table}; INSERT INTO t (id, name) VALUES (1, 'plain'), (2, 'a,b'), (3, 'say "hi"'), (4, ''), (5, NULL)`,
    copy: 'COPY (SELECT id, name FROM t ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER, FORCE_QUOTE (id))',
  },
  'COPY TO: a table with a column list and a custom delimiter and null': {
    setup: `${table}; INSERT INTO t (id, name) VALUES (1, 'x|y'), (2, NULL)`,
    copy: "COPY t (name, id) TO STDOUT WITH (DELIMITER '|', NULL 'nil')",
  },
};

interface Outcome {
  readonly error: { code: string; message: string; where?: string; hint?: string } | null;
  readonly output?: string;
  readonly rows?: unknown[];
}

async function runCase(config: pg.ClientConfig, c: Case, binaryData: Buffer | null): Promise<Outcome> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(c.setup);
    let error: Outcome['error'] = null;
    let output: string | undefined;
    try {
      if (/ TO STDOUT/i.test(c.copy)) {
        const chunks: Buffer[] = [];
        const stream = client.query(copyTo(c.copy));
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        output = Buffer.concat(chunks).toString(/binary/i.test(c.copy) ? 'base64' : 'utf8');
      } else {
        const stream = client.query(copyFrom(c.copy));
        const third = binaryData === null ? 0 : Math.ceil(binaryData.length / 3);
        const pieces = binaryData === null ? (c.data ?? []).map((piece) => Buffer.from(piece, 'utf8')) : [0, 1, 2].map((k) => binaryData.subarray(k * third, (k + 1) * third));
        await pipeline(Readable.from(pieces), stream);
      }
    } catch (thrown) {
      const e = thrown as pg.DatabaseError;
      error = { code: e.code ?? '', message: e.message, ...(e.where ? { where: e.where } : {}), ...(e.hint ? { hint: e.hint } : {}) };
    }
    const rows = c.check === undefined ? undefined : (await client.query(c.check)).rows;
    return { error, ...(output === undefined ? {} : { output }), ...(rows === undefined ? {} : { rows }) };
  } finally {
    await client.end();
  }
}


describe.skipIf(postgresBinDir() === null)('COPY matches PostgreSQL', () => {
  let eventide: RunningServer;
  let postgres: RunningPostgres;

  beforeAll(async () => {
    [eventide, postgres] = await Promise.all([startServer(), startPostgres()]);
    const admin = new pg.Client({ host: postgres.host, port: postgres.port, user: 'eventide', database: 'eventide' });
    await admin.connect();
    await admin.query('CREATE ROLE plain LOGIN; GRANT ALL ON SCHEMA public TO plain');
    await admin.end();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([eventide?.stop(), postgres?.stop()]);
  });

  let n = 0;
  for (const [name, c] of Object.entries(cases)) {
    const schema = `case${n++}`;
    test(name, async () => {
      // Each case in a table of its own: a schema per case on PostgreSQL, a fresh table name on Eventide.
      const rename = (sql: string) => sql.replace(/\bt\b/g, schema);
      const renamed: Case = { ...c, setup: rename(c.setup), copy: rename(c.copy), ...(c.check ? { check: rename(c.check) } : {}) };
      const pgConfig = { host: postgres.host, port: postgres.port, user: c.plainRole ? 'plain' : 'eventide', database: 'eventide' };
      const binaryData = c.binaryFrom === undefined ? null : await copyOutBytes(pgConfig, c.binaryFrom);
      const [expected, actual] = [await runCase(pgConfig, renamed, binaryData), await runCase(clientConfig(eventide), renamed, binaryData)];
      const unname = (o: Outcome) => JSON.parse(JSON.stringify(o).replaceAll(schema, 't')) as Outcome;
      expect(unname(actual)).toEqual(unname(expected));
    });
  }
});
