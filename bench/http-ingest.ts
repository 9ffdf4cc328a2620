/**
 * JSON-lines over HTTP, measured: bench events (bench/events-generator.ts) as JSON-lines bodies.
 *
 *   node dist/bench/http-ingest.js [--rows N] [--chunk-rows N] [--clients N] [--http-only]
 *                                  [--server PGPORT:HTTPPORT]   (a server already running, e.g. under --cpu-prof)
 *
 * First in process, stage by stage on one request body at a time (split + JSON.parse alone; the
 * whole parse -> columns path; the commit through SqlEngine.ingest), then end to end against a
 * server process started here, with `--clients` concurrent HTTP clients. Bodies are made before
 * any timing starts. Prints rows/s per stage.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Database } from '../storage/database.js';
import { SqlEngine } from '../src/sql/engine.js';
import { splitLines } from '../src/http/body-lines.js';
import { ErrorLog, EventBatchBuilder } from '../src/http/event-batch.js';
import { EventMapping } from '../src/http/event-mapping.js';
import { EventsGenerator } from './events-generator.js';
import { EVENTS_COLUMNS, createEventsTableSql } from './events-schema.js';
import { eventRowText } from './events-text.js';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, 'chunk-rows': { type: 'string' }, clients: { type: 'string' }, 'http-only': { type: 'boolean' }, server: { type: 'string' } },
});
const totalRows = Number(values.rows ?? 1_000_000);
const chunkRows = Number(values['chunk-rows'] ?? 50_000);
const clients = Number(values.clients ?? 2);

/** One generated event as the JSON an application would send. */
function eventJson(text: (string | null)[]): string {
  const event: Record<string, unknown> = {};
  EVENTS_COLUMNS.forEach((column, i) => {
    const value = text[i];
    if (value === null || value === undefined) return;
    if (column.name === 'event_time') event[column.name] = `${value.replace(' ', 'T').replace(/\+00$/, '')}Z`;
    else if (column.name === 'user_id' || column.name === 'duration_ms') event[column.name] = Number(value);
    else if (column.name === 'is_bot') event[column.name] = value === 't';
    else if (column.name === 'revenue') event[column.name] = Number(value);
    else if (column.name === 'properties') event.event_properties = JSON.parse(value);
    else event[column.name] = value;
  });
  return JSON.stringify(event);
}

function makeBodies(): Buffer[] {
  const generator = new EventsGenerator({ rows: totalRows, seed: 7 });
  const bodies: Buffer[] = [];
  let lines: string[] = [];
  for (let chunk = generator.next(); chunk !== null; chunk = generator.next()) {
    for (let row = 0; row < chunk.rowCount; row++) {
      lines.push(eventJson(eventRowText(chunk, row)));
      if (lines.length === chunkRows) {
        bodies.push(Buffer.from(`${lines.join('\n')}\n`));
        lines = [];
      }
    }
  }
  if (lines.length > 0) bodies.push(Buffer.from(`${lines.join('\n')}\n`));
  return bodies;
}

function rate(rows: number, ms: number): string {
  return `${Math.round((rows / ms) * 1000).toLocaleString('en-US')} rows/s`;
}

/**
 * CPU milliseconds (user + system) this process has used: the machine is shared, so rows per
 * CPU-second says what the code costs when wall-clock rows/s only says how busy the others were.
 */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU milliseconds a child process has used so far (utime + stime from /proc, in clock ticks of 10 ms). */
function childCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Wall-clock and CPU rates of a stage. */
function rates(rows: number, wallMs: number, cpuUsedMs: number): string {
  return `${rate(rows, wallMs)} wall, ${rate(rows, cpuUsedMs).replace('rows/s', 'rows per CPU-second')}`;
}

async function inProcess(bodies: Buffer[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'eventide-http-bench-'));
  const database = await Database.open(dir, {});
  const engine = new SqlEngine(database, { workers: 0 });
  try {
    const session = { processId: 1, user: 'bench', database: 'eventide', settings: new Map<string, string>(), transactionStatus: 'I' as const };
    const [create] = engine.parse(createEventsTableSql('eventide'));
    await (await engine.bind(create as never, [], session).execute([], { session, signal: new AbortController().signal })).commandTag(0);
    const table = engine.catalog.getTable(null, 'events');
    const mapping = new EventMapping(table);
    let rows = 0;
    let started = performance.now();
    let cpu = cpuMs();
    for (const body of bodies) splitLines(body, { line: (text) => (rows += JSON.parse(text) === null ? 0 : 1), bad: () => undefined });
    console.log(`split + JSON.parse:          ${rates(rows, performance.now() - started, cpuMs() - cpu)}`);
    rows = 0;
    started = performance.now();
    cpu = cpuMs();
    let commitMs = 0;
    let commitCpuMs = 0;
    for (const body of bodies) {
      const builder = new EventBatchBuilder(mapping, chunkRows, new ErrorLog(100));
      splitLines(body, { line: (text, line) => void builder.addLine(text, line), bad: () => undefined });
      const batch = await builder.finish(async () => []);
      rows += batch.length;
      const before = performance.now();
      const beforeCpu = cpuMs();
      await engine.ingest(table.id, [batch]);
      commitMs += performance.now() - before;
      commitCpuMs += cpuMs() - beforeCpu;
    }
    const totalMs = performance.now() - started;
    const totalCpuMs = cpuMs() - cpu;
    console.log(`parse -> columns:            ${rates(rows, totalMs - commitMs, totalCpuMs - commitCpuMs)}`);
    console.log(`commit (SqlEngine.ingest):   ${rates(rows, commitMs, commitCpuMs)}`);
    console.log(`in process, all stages:      ${rates(rows, totalMs, totalCpuMs)}`);
  } finally {
    await engine.close();
    await database.close({ checkpoint: false });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function overHttp(bodies: Buffer[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'eventide-http-bench-'));
  const cli = resolve(import.meta.dirname, '..', 'src', 'cli.js');
  const given = values.server?.split(':').map(Number);
  const child = given === undefined ? spawn(process.execPath, [cli, '--port', '0', '--http-port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] }) : null;
  const line = child === null ? `listening on x:${given?.[0]}, http on x:${given?.[1]}` : await new Promise<string>((resolveLine) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolveLine(out);
    });
  });
  const pgPort = Number(/listening on [^:]+:(\d+)/.exec(line)?.[1]);
  const httpPort = Number(/http on [^:]+:(\d+)/.exec(line)?.[1]);
  const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'bench', database: 'eventide' });
  await client.connect();
  await client.query(createEventsTableSql('eventide'));
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const post = (body: Buffer) =>
    new Promise<number>((resolvePost, reject) => {
      const req = request({ host: '127.0.0.1', port: httpPort, path: '/v1/events/events', method: 'POST', agent, headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length } }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (p: Buffer) => parts.push(p));
        response.on('end', () => resolvePost((JSON.parse(Buffer.concat(parts).toString()) as { accepted: number }).accepted));
      });
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  let rows = 0;
  const serverPid = child?.pid;
  const serverCpu = serverPid === undefined ? 0 : childCpuMs(serverPid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) rows += await post(bodies[next++] as Buffer);
    }),
  );
  const ms = performance.now() - started;
  const serverCpuMs = serverPid === undefined ? 0 : childCpuMs(serverPid) - serverCpu;
  if (serverPid !== undefined) console.log(`server process CPU:          ${rate(rows, serverCpuMs).replace('rows/s', 'rows per CPU-second')}`);
  const counted = (await client.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
  console.log(`over HTTP, ${clients} clients:        ${rate(rows, ms)} (${counted} rows counted)`);
  await client.end();
  agent.destroy();
  if (child !== null) {
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

const bodies = makeBodies();
console.log(`${totalRows} events in ${bodies.length} bodies, ${Math.round(bodies.reduce((s, b) => s + b.length, 0) / totalRows)} bytes per event`);
if (!values['http-only']) await inProcess(bodies);
await overHttp(bodies);
