/**
 * COPY differential round trip: random rows full of what formats must escape (delimiters, quotes,
 * backslashes, CR/LF, tabs, the null marker as text, empty strings, non-ASCII, \. lines) go into a
 * real PostgreSQL 15; its COPY TO output in each format is streamed into Eventide's COPY FROM cut
 * at random byte boundaries, and Eventide must then hold the same rows and write the same COPY TO
 * bytes back. A seed in the test name makes a failure repeatable.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientConfig, startServer, type RunningServer } from '../support/server.js';
import { copyOutBytes } from './copy-support.js';
import { postgresBinDir, startPostgres, type RunningPostgres } from './clients-postgres.js';

const seed = Number(process.env.COPY_SEED ?? Date.now() % 100_000);
let state = seed;
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const pieces = [',', ';', '"', '""', '\\', '\\N', 'N', '\t', '\n', '\r\n', '\r', ' ', '', 'a', 'Zürich', '€', '😀', '\\.', 'x'.repeat(40), "'", '|'];
function randomText(): string | null {
  if (random() < 0.1) return null;
  let text = '';
  const n = Math.floor(random() * 6);
  for (let i = 0; i < n; i++) text += pick(pieces);
  return text;
}

const formats = [
  "FORMAT text",
  "FORMAT csv",
  "FORMAT csv, HEADER true",
  "FORMAT text, DELIMITER '|', NULL 'nil'",
  "FORMAT csv, DELIMITER ';', QUOTE '''', NULL '\\N'",
  "FORMAT csv, ESCAPE '\\', FORCE_QUOTE *",
  "FORMAT binary",
];


function cutRandomly(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + Math.floor(random() * (random() < 0.5 ? 8 : 4096));
    parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  return parts;
}

describe.skipIf(postgresBinDir() === null)(`COPY round trip through PostgreSQL's own output (seed ${seed})`, () => {
  let eventide: RunningServer;
  let postgres: RunningPostgres;
  let pgConfig: pg.ClientConfig;
  const rows: (string | null)[][] = Array.from({ length: 300 }, (_, i) => [String(i), randomText(), randomText(), random() < 0.2 ? null : JSON.stringify({ k: randomText() })]);

  beforeAll(async () => {
    [eventide, postgres] = await Promise.all([startServer(), startPostgres()]);
    pgConfig = { host: postgres.host, port: postgres.port, user: 'eventide', database: 'eventide' };
    const client = new pg.Client(pgConfig);
    await client.connect();
    await client.query('CREATE TABLE source (id int NOT NULL, a text, b text, doc jsonb)');
    for (const row of rows) await client.query('INSERT INTO source VALUES ($1, $2, $3, $4)', row);
    await client.end();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([eventide?.stop(), postgres?.stop()]);
  });

  formats.forEach((format, n) => {
    test(format, async () => {
      const out = await copyOutBytes(pgConfig, `COPY (SELECT * FROM source ORDER BY id) TO STDOUT WITH (${format})`);
      const client = new pg.Client(clientConfig(eventide));
      await client.connect();
      try {
        await client.query(`CREATE TABLE target${n} (id int NOT NULL, a text, b text, doc jsonb)`);
        const options = format.replace(/, FORCE_QUOTE \*/, '');
        await pipeline(Readable.from(cutRandomly(out)), client.query(copyFrom(`COPY target${n} FROM STDIN WITH (${options})`)));
        const stored = (await client.query({ text: `SELECT * FROM target${n} ORDER BY id`, rowMode: 'array' })).rows;
        expect(stored.map((r: unknown[]) => [String(r[0]), r[1], r[2], r[3] === null ? null : JSON.stringify(r[3])])).toEqual(rows);
      } finally {
        await client.end();
      }
      const back = await copyOutBytes(clientConfig(eventide), `COPY (SELECT * FROM target${n} ORDER BY id) TO STDOUT WITH (${format})`);
      expect(format === "FORMAT binary" ? back.toString("base64") : back.toString("utf8")).toBe(format === "FORMAT binary" ? out.toString("base64") : out.toString("utf8"));
    });
  });
});
