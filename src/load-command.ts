/**
 * `eventide load FILE --table T`: streams a JSON-lines file (or stdin) to a running server's HTTP
 * endpoint in chunks of whole lines, shows progress on stderr, and ends with a summary of what was
 * loaded and what was rejected, by message and by line number of the file. Exit code 0 when every
 * line loaded, 1 when some were rejected (or the server refused the load), 2 when the server
 * could not be reached.
 */
import { createReadStream, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { defaultHttpPort } from './http/limits.js';

const usage = `usage: eventide load FILE --table T [options]

Streams a JSON-lines file (FILE, or - for standard input) to a running server over HTTP.

options:
  --table T            the table to load (schema-qualified if need be)
  --host HOST          the server's host (EVENTIDE_HOST, default 127.0.0.1)
  --http-port PORT     the server's HTTP port (EVENTIDE_HTTP_PORT, default ${defaultHttpPort})
  --batch-rows N       lines per request (default 50000; a request also ends at 16 MiB)
  -h, --help           show this help

exit status: 0 all lines loaded, 1 some lines rejected or the load refused, 2 server not reached`;

const chunkMaxBytes = 16 * 2 ** 20;
const progressIntervalTtyMs = 200;
const progressIntervalPlainMs = 5_000;
const maxRetries = 10;
const shownErrors = 10;
/** Requests in flight at once: the server parses one while another waits for its fsync. */
const requestsInFlight = 2;
const shownMessages = 10;

interface ServerError {
  line: number | null;
  column?: string;
  sqlstate: string;
  message: string;
}

interface ChunkAnswer {
  status: number;
  body: { accepted?: number; rejected?: number; errors?: ServerError[]; errors_omitted?: number; message?: string };
  retryAfterSeconds: number;
}

class Unreachable extends Error {}

class LoadState {
  accepted = 0;
  rejected = 0;
  bytesSent = 0;
  /** The errors of the lowest line numbers seen (requests may be answered out of order). */
  readonly firstErrors: ServerError[] = [];

  noteError(error: ServerError): void {
    const errors = this.firstErrors;
    if (errors.length === shownErrors && (error.line ?? 0) >= ((errors[shownErrors - 1] as ServerError).line ?? 0)) return;
    errors.push(error);
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (errors.length > shownErrors) errors.pop();
  }
  readonly byMessage = new Map<string, number>();
  readonly started = performance.now();

  rowsPerSecond(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? Math.round(this.accepted / seconds) : 0;
  }
}

function post(options: { host: string; port: number; path: string; agent: Agent }, body: Buffer): Promise<ChunkAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: options.host, port: options.port, path: options.path, method: 'POST', agent: options.agent, headers: { 'content-type': 'application/x-ndjson', 'content-length': body.length } },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('error', (error) => reject(new Unreachable(error.message)));
        response.on('end', () => {
          let parsed: ChunkAnswer['body'] = {};
          try {
            parsed = JSON.parse(Buffer.concat(parts).toString('utf8')) as ChunkAnswer['body'];
          } catch {
            parsed = { message: `HTTP ${response.statusCode} without a JSON body` };
          }
          resolve({ status: response.statusCode ?? 0, body: parsed, retryAfterSeconds: Number(response.headers['retry-after'] ?? 1) || 1 });
        });
      },
    );
    req.on('error', (error) => reject(new Unreachable(error.message)));
    req.end(body);
  });
}

/** Posts one chunk (retrying while the server says 503) and folds its answer into `state`. */
async function sendChunk(target: Parameters<typeof post>[0], body: Buffer, firstLine: number, state: LoadState): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const answer = await post(target, body);
    if (answer.status === 503 && attempt < maxRetries) {
      await new Promise((resolve) => setTimeout(resolve, answer.retryAfterSeconds * 1000));
      continue;
    }
    if (answer.status !== 200 && answer.status !== 400) {
      throw new Error(`the server refused the load (HTTP ${answer.status}): ${answer.body.message ?? JSON.stringify(answer.body)}`);
    }
    state.accepted += answer.body.accepted ?? 0;
    state.rejected += answer.body.rejected ?? 0;
    state.bytesSent += body.length;
    for (const error of answer.body.errors ?? []) {
      const fileError = { ...error, line: error.line === null ? null : error.line + firstLine - 1 };
      state.noteError(fileError);
      const key = `${error.sqlstate} ${error.message}`;
      state.byMessage.set(key, (state.byMessage.get(key) ?? 0) + 1);
    }
    if ((answer.body.errors_omitted ?? 0) > 0) {
      const key = '(not itemized: past the first errors of a request)';
      state.byMessage.set(key, (state.byMessage.get(key) ?? 0) + (answer.body.errors_omitted ?? 0));
    }
    return;
  }
}

function progressLine(state: LoadState, totalBytes: number | null, tty: boolean): string {
  const rows = `${state.accepted.toLocaleString('en-US')} rows loaded, ${state.rejected.toLocaleString('en-US')} rejected, ${state.rowsPerSecond().toLocaleString('en-US')} rows/s`;
  if (totalBytes === null || totalBytes === 0) return rows;
  // Bytes whose lines the server has answered for, so the bar never runs ahead of the rows.
  const share = Math.min(1, state.bytesSent / totalBytes);
  const width = 30;
  const bar = tty ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, ' ')}] ` : '';
  return `${bar}${(share * 100).toFixed(1)}% ${rows}`;
}

function summary(state: LoadState): string {
  const seconds = (performance.now() - state.started) / 1000;
  const lines = [`loaded ${state.accepted} rows, rejected ${state.rejected}, in ${seconds.toFixed(1)} s (${state.rowsPerSecond()} rows/s)`];
  if (state.rejected > 0) {
    lines.push('errors by message:');
    const counts = [...state.byMessage].sort((a, b) => b[1] - a[1]);
    for (const [message, count] of counts.slice(0, shownMessages)) lines.push(`  ${String(count).padStart(8)}  ${message}`);
    if (counts.length > shownMessages) lines.push(`  ... and ${counts.length - shownMessages} other messages`);
    lines.push('first errors:');
    for (const e of state.firstErrors) lines.push(`  line ${e.line ?? '?'}${e.column === undefined ? '' : `, column ${e.column}`}: ${e.message} (${e.sqlstate})`);
  }
  return lines.join('\n');
}

export async function runLoad(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { table: { type: 'string' }, host: { type: 'string' }, 'http-port': { type: 'string' }, 'batch-rows': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`eventide load: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const file = positionals[0];
  const batchRows = Number(values['batch-rows'] ?? 50_000);
  const port = Number(values['http-port'] ?? process.env.EVENTIDE_HTTP_PORT ?? defaultHttpPort);
  const problem =
    file === undefined || positionals.length > 1 ? 'give exactly one FILE (or - for standard input)'
    : values.table === undefined || values.table === '' ? '--table is required'
    : !Number.isInteger(batchRows) || batchRows <= 0 ? `--batch-rows must be a positive integer, not "${values['batch-rows']}"`
    : !Number.isInteger(port) || port <= 0 || port > 65535 ? `invalid HTTP port "${values['http-port'] ?? process.env.EVENTIDE_HTTP_PORT}"`
    : null;
  if (problem !== null) {
    process.stderr.write(`eventide load: ${problem}\n${usage}\n`);
    return 1;
  }
  const host = values.host ?? process.env.EVENTIDE_HOST ?? '127.0.0.1';
  const agent = new Agent({ keepAlive: true, maxSockets: requestsInFlight });
  const target = { host, port, path: `/v1/events/${encodeURIComponent(values.table as string)}`, agent };
  let totalBytes: number | null = null;
  let input: NodeJS.ReadableStream;
  try {
    if (file === '-') {
      input = process.stdin;
    } else {
      totalBytes = statSync(file as string).size;
      input = createReadStream(file as string);
    }
  } catch (error) {
    process.stderr.write(`eventide load: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const state = new LoadState();
  const tty = process.stderr.isTTY === true;
  const timer = setInterval(() => {
    const line = progressLine(state, totalBytes, tty);
    process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  }, tty ? progressIntervalTtyMs : progressIntervalPlainMs);
  try {
    await streamChunks(input, batchRows, (body, firstLine) => sendChunk(target, body, firstLine, state));
  } catch (error) {
    clearInterval(timer);
    if (tty) process.stderr.write('\n');
    const unreachable = error instanceof Unreachable;
    process.stderr.write(`eventide load: ${unreachable ? `cannot reach the server at http://${host}:${port}: ` : ''}${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write(`${summary(state)}\n`);
    agent.destroy();
    return unreachable ? 2 : 1;
  }
  clearInterval(timer);
  agent.destroy();
  if (tty) process.stderr.write(`\r${progressLine(state, totalBytes, tty)}\u001b[K\n`);
  process.stderr.write(`${summary(state)}\n`);
  return state.rejected > 0 ? 1 : 0;
}

/**
 * Cuts the input into chunks of at most `batchRows` lines and about chunkMaxBytes, at line ends,
 * and hands each to `send` with the file line number of its first line; `requestsInFlight` chunks
 * are out at once while the next one is read.
 */
async function streamChunks(
  input: NodeJS.ReadableStream,
  batchRows: number,
  send: (body: Buffer, firstLine: number) => Promise<void>,
): Promise<void> {
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let linesInChunk = 0;
  let nextLine = 1;
  const inFlight = new Set<Promise<void>>();
  const emit = async (tail: Buffer | null) => {
    if (tail !== null) pieces.push(tail);
    const body = Buffer.concat(pieces);
    const firstLine = nextLine;
    nextLine += linesInChunk;
    pieces = [];
    pieceBytes = 0;
    linesInChunk = 0;
    // A failed request surfaces here (or at the end), and stops the load.
    while (inFlight.size >= requestsInFlight) await Promise.race(inFlight);
    const sending: Promise<void> = send(body, firstLine).then(() => {
      inFlight.delete(sending);
    });
    sending.catch(() => undefined);
    inFlight.add(sending);
  };
  for await (const data of input as AsyncIterable<Buffer>) {
    let start = 0; // bytes of `data` before this are sent or in `pieces`
    let at = 0;
    for (;;) {
      const newline = data.indexOf(10, at);
      if (newline < 0) break;
      linesInChunk++;
      at = newline + 1;
      if (linesInChunk >= batchRows || pieceBytes + (at - start) >= chunkMaxBytes) {
        await emit(data.subarray(start, at));
        start = at;
      }
    }
    if (start < data.length) {
      pieces.push(data.subarray(start));
      pieceBytes += data.length - start;
    }
  }
  if (pieceBytes > 0) {
    // A last line without a newline is a line too.
    const last = pieces[pieces.length - 1] as Buffer;
    if (last[last.length - 1] !== 10) linesInChunk++;
    await emit(null);
  }
  await Promise.all(inFlight);
}
