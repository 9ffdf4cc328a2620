/**
 * The bulk paths: COPY of the CSV file (over the wire for Eventide and PostgreSQL, from the file
 * in process for DuckDB) and JSON lines (POSTed to Eventide's HTTP listener in bodies of whole
 * lines from concurrent clients; DuckDB's read_json of the same file for reference). Every load
 * is checked by count(*) on another connection right after the last acknowledgement.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { copyFromStdin } from '../copy-from-stdin.js';
import { EVENTS_COLUMNS } from '../events-schema.js';
import { duckdbJsonColumns } from './json-lines.js';
import { startClock, Unsupported, type Measurement } from './measurement.js';
import { columnList } from './row-pool.js';
import type { IngestTarget } from './targets.js';
import { requireInput, runWorkers, withClients, type WorkloadContext } from './workload.js';

const COPY_READ_BYTES = 1 << 20;
/** Longer than any CSV row, so a cut finds the next line's start within it. */
const LINE_PROBE_BYTES = 1 << 16;
const HTTP_TIMEOUT_MS = 600_000;
const ERROR_BODY_CHARS = 300;
/** Enough for an answer listing its 100 per-line errors. */
const MAX_ANSWER_CHARS = 1 << 20;

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

async function checkCount(target: IngestTarget, table: string, m: Measurement): Promise<void> {
  const visible = await target.countRows(table);
  if (visible !== m.rows) {
    m.outcome = 'failed';
    m.note = `count(*) right after the load: ${visible.toLocaleString('en-US')} of ${m.rows.toLocaleString('en-US')} rows`;
  }
}

/** `parts` byte ranges [start, end) of the file, each of whole lines (fewer when the file is small). */
async function lineRanges(path: string, parts: number): Promise<[number, number][]> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const cuts = [0];
    const probe = Buffer.alloc(LINE_PROBE_BYTES);
    for (let part = 1; part < parts; part++) {
      const from = Math.max(Math.floor((size * part) / parts), cuts[cuts.length - 1] as number);
      const { bytesRead } = await handle.read(probe, 0, probe.length, from);
      const newline = probe.subarray(0, bytesRead).indexOf(10);
      // Only properties is quoted and it holds no line break, so every newline ends a row.
      if (newline >= 0 && from + newline + 1 < size) cuts.push(from + newline + 1);
    }
    cuts.push(size);
    return cuts.slice(1).map((end, i) => [cuts[i] as number, end] as [number, number]).filter(([start, end]) => end > start);
  } finally {
    await handle.close();
  }
}

export async function copyWorkload(target: IngestTarget, ctx: WorkloadContext, m: Measurement): Promise<void> {
  const csvPath = requireInput(ctx.inputs.csvPath, 'the CSV file');
  const table = 'events_copy';
  await target.createTable(table);
  if (target.duckdb !== null) {
    m.method = 'COPY CSV from the file, in process';
    const clock = startClock(target);
    const reader = await target.duckdb.runAndReadAll(
      `COPY ${table} (${columnList()}) FROM ${sqlString(csvPath)} ` +
        `(FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '', AUTO_DETECT false)`,
    );
    clock.stop(m);
    m.rows = Number(reader.getRows()[0]?.[0] ?? 0);
  } else {
    const connections = ctx.options.copyConnections;
    const ranges = await lineRanges(csvPath, connections);
    m.method = `COPY CSV FROM STDIN, ${connections === 1 ? '1 connection, the file' : `${connections} connections, a part of the file each,`} streamed`;
    await withClients(target, ranges.length, async (clients) => {
      const clock = startClock(target);
      await runWorkers(ranges.length, async (i) => {
        const [start, end] = ranges[i]!;
        const copied = await copyFromStdin(
          clients[i]!,
          `COPY ${table} (${columnList()}) FROM STDIN WITH (FORMAT csv)`,
          createReadStream(csvPath, { start, end: end - 1, highWaterMark: COPY_READ_BYTES }),
        );
        m.rows += copied;
      });
      clock.stop(m);
    });
  }
  await checkCount(target, table, m);
}

interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

function post(agent: Agent, url: URL, body: Buffer): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length },
        timeout: HTTP_TIMEOUT_MS,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (piece: string) => {
          if (text.length < MAX_ANSWER_CHARS) text += piece;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.href} within ${HTTP_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The lines a 2xx answer says it accepted ({"accepted": n, "rejected": n, "errors": [...]}); anything else throws. */
function acceptedLines(url: URL, answer: HttpAnswer, sent: number): number {
  const text = answer.body.slice(0, ERROR_BODY_CHARS);
  // A server without the endpoint answers 404 for any path; a missing table is a 404 with its SQLSTATE.
  if (answer.status === 404 && !answer.body.includes('42P01')) throw new Unsupported(`POST ${url.pathname} answered 404: ${text}`);
  if (answer.status < 200 || answer.status > 299) throw new Error(`POST ${url.pathname} answered ${answer.status}: ${text}`);
  let parsed: { accepted?: unknown; rejected?: unknown } = {};
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    // An answer that is not JSON (or was cut at MAX_ANSWER_CHARS) says nothing against the lines sent.
  }
  if (typeof parsed.rejected === 'number' && parsed.rejected > 0) throw new Error(`POST ${url.pathname} rejected ${parsed.rejected} of ${sent} lines: ${text}`);
  return typeof parsed.accepted === 'number' ? parsed.accepted : sent;
}

async function httpToEventide(target: IngestTarget, ctx: WorkloadContext, table: string, m: Measurement): Promise<void> {
  const file = requireInput(ctx.inputs.jsonLines, 'the JSON-lines file');
  const { httpClients } = ctx.options;
  m.method = `POST /v1/events/${table}, JSON lines, ${file.linesPerBody.toLocaleString('en-US')} lines a request, ${httpClients} clients`;
  if (target.httpUrl === null) throw new Unsupported('the server has no HTTP listener (no --http-port in its usage)');
  const url = new URL(`/v1/events/${table}`, target.httpUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: httpClients });
  const handle = await open(file.path, 'r');
  const bodies = file.bodyOffsets.length - 1;
  let next = 0;
  try {
    const clock = startClock(target);
    await runWorkers(httpClients, async (_, stopped) => {
      for (let body = next++; body < bodies && !stopped(); body = next++) {
        const start = file.bodyOffsets[body] as number;
        const length = (file.bodyOffsets[body + 1] as number) - start;
        const bytes = Buffer.allocUnsafe(length);
        await handle.read(bytes, 0, length, start);
        const lines = Math.min(file.linesPerBody, file.rows - body * file.linesPerBody);
        // Not `m.rows += f(await ...)`: that reads m.rows before the await, losing other clients' rows.
        const accepted = acceptedLines(url, await post(agent, url, bytes), lines);
        m.rows += accepted;
      }
    });
    clock.stop(m);
  } finally {
    await handle.close();
    agent.destroy();
  }
}

export async function httpWorkload(target: IngestTarget, ctx: WorkloadContext, m: Measurement): Promise<void> {
  const table = 'events_http';
  if (target.name === 'postgres') {
    m.outcome = 'not applicable';
    m.method = 'no HTTP ingest';
    return;
  }
  await target.createTable(table);
  if (target.duckdb !== null) {
    const file = requireInput(ctx.inputs.jsonLines, 'the JSON-lines file');
    m.method = 'read_json of the same JSON-lines file, in process (for reference)';
    const clock = startClock(target);
    const reader = await target.duckdb.runAndReadAll(
      `INSERT INTO ${table} (${columnList()}) SELECT ${columnList()} FROM read_json(${sqlString(file.path)}, ` +
        `format = 'newline_delimited', columns = ${duckdbJsonColumns(EVENTS_COLUMNS)})`,
    );
    clock.stop(m);
    m.rows = Number(reader.getRows()[0]?.[0] ?? 0);
  } else {
    await httpToEventide(target, ctx, table, m);
  }
  await checkCount(target, table, m);
}
