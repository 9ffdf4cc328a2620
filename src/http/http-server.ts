/**
 * HttpServer: the HTTP listener beside the PostgreSQL one. `POST /v1/events/{table}` takes
 * JSON-lines or a JSON array of events (events-ingest.ts); `GET /health` says whether the server
 * takes writes. Bad input of any kind gets a 4xx answer with a JSON body and never a 500; the
 * server stays up whatever a client sends or however it goes away.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DbError, toDbError, undefinedTable } from '../../storage/errors.js';
import type { TableDef } from '../../storage/table-def.js';
import type { SqlEngine } from '../sql/engine.js';
import { listenOn } from '../server/listen.js';
import { BadEncoding, BodyBudget, BodyTooLarge, ClientGone, readBody, ServerBusy, type BodyEncoding } from './body-reader.js';
import { ingestEvents, type BodyFormat } from './events-ingest.js';
import { defaultInFlightBodyBytes, drainAfterRejectMs, headersTimeoutMs, requestTimeoutMs, retryAfterSeconds } from './limits.js';

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly engine: SqlEngine;
  readonly maxBodyBytes: number;
  /** Body bytes all requests in flight may hold together (default 256 MiB, at least maxBodyBytes). */
  readonly inFlightBodyBytes?: number;
  readonly log?: (line: string) => void;
}

/** SQLSTATEs that mean the database refuses writes for now (I/O failure, shutdown, out of space or memory). */
const unavailableStates = new Set(['58030', '55000', '57P01', '53100', '53200', '25006']);

const eventsPath = /^\/v1\/events\/([^/]+)\/?$/;

/** A table name from the path: `schema.table`, each part folded to lower case unless double-quoted. */
export function parseTableName(raw: string): { schema: string | null; name: string } | null {
  const parts: string[] = [];
  let at = 0;
  while (at <= raw.length) {
    if (raw[at] === '"') {
      let part = '';
      at++;
      for (;;) {
        if (at >= raw.length) return null;
        if (raw[at] === '"') {
          if (raw[at + 1] !== '"') break;
          at++;
        }
        part += raw[at];
        at++;
      }
      at++;
      parts.push(part);
    } else {
      const dot = raw.indexOf('.', at);
      const end = dot < 0 ? raw.length : dot;
      parts.push(raw.slice(at, end).toLowerCase());
      at = end;
    }
    if (at === raw.length) break;
    if (raw[at] !== '.') return null;
    at++;
  }
  if (parts.length === 0 || parts.length > 2 || parts.some((p) => p.length === 0)) return null;
  return parts.length === 2 ? { schema: parts[0] as string, name: parts[1] as string } : { schema: null, name: parts[0] as string };
}

function bodyFormat(contentType: string | undefined): BodyFormat | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === '' || type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/x-jsonlines' || type === 'text/plain') return 'lines';
  if (type === 'application/json') return 'array';
  return null;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

function errorBody(error: DbError): Record<string, string> {
  return { sqlstate: error.code, message: error.message, ...(error.fields.detail === undefined ? {} : { detail: error.fields.detail }) };
}

export class HttpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly log: (line: string) => void;
  private closing: Promise<void> | null = null;
  private readonly budget: BodyBudget;

  constructor(private readonly options: HttpServerOptions) {
    this.log = options.log ?? (() => undefined);
    this.budget = new BodyBudget(Math.max(options.inFlightBodyBytes ?? defaultInFlightBodyBytes, options.maxBodyBytes));
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const e = toDbError(error);
        this.log(`http: ${request.method} ${request.url}: ${e.message}`);
        send(response, 500, errorBody(e));
      });
    });
    this.server.headersTimeout = headersTimeoutMs;
    this.server.requestTimeout = requestTimeoutMs;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // Malformed requests get node's own 400; the server carries on.
    this.server.on('clientError', (_error, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.server.on('error', (error) => this.log(`http server: ${error.message}`));
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(): Promise<{ host: string; port: number }> {
    return listenOn(this.server, this.options.host, this.options.port);
  }


  /** Stops accepting requests; requests whose bodies are in are finished, idle connections closed. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      // Connections still sending a body after a grace period are cut: their requests store nothing.
      setTimeout(() => {
        for (const socket of this.sockets) socket.destroy();
      }, 2_000).unref();
    });
    return this.closing;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/health') {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        send(response, 405, { message: 'only GET is allowed here' }, { allow: 'GET, HEAD' });
        return;
      }
      send(response, 200, { status: 'ok' });
      return;
    }
    const match = eventsPath.exec(url.pathname);
    if (match === null) {
      send(response, 404, { message: `no such endpoint: ${url.pathname}` });
      return;
    }
    if (request.method !== 'POST') {
      send(response, 405, { message: 'only POST is allowed here' }, { allow: 'POST' });
      return;
    }
    let rawName: string;
    try {
      rawName = decodeURIComponent(match[1] as string);
    } catch {
      send(response, 404, { message: 'the table name in the path is not valid percent-encoding' });
      return;
    }
    const name = parseTableName(rawName);
    const table = name === null ? undefined : this.findTable(name.schema, name.name);
    if (table === undefined) {
      this.refuse(request, response, 404, errorBody(undefinedTable(rawName)));
      return;
    }
    const format = bodyFormat(request.headers['content-type']);
    const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (format === null || !(encoding === 'identity' || encoding === 'gzip' || encoding === 'deflate')) {
      const message = format === null ? `unsupported content type "${request.headers['content-type']}"` : `unsupported content encoding "${encoding}"`;
      this.refuse(request, response, 415, { message, hint: 'Send application/x-ndjson, application/jsonl, text/plain or application/json; uncompressed, gzip or deflate.' });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request, this.options.maxBodyBytes, this.budget, encoding as BodyEncoding);
    } catch (error) {
      if (error instanceof ServerBusy) {
        this.refuse(request, response, 503, { message: error.message }, { 'retry-after': String(retryAfterSeconds) });
        return;
      }
      if (error instanceof BodyTooLarge) {
        this.refuse(request, response, 413, { message: error.message, limit_bytes: error.limitBytes });
        return;
      }
      if (error instanceof ClientGone) return;
      if (error instanceof BadEncoding) {
        this.refuse(request, response, 400, { message: error.message });
        return;
      }
      throw error;
    }
    let outcome;
    try {
      outcome = await ingestEvents(this.options.engine, table, body, format);
    } catch (error) {
      this.budget.give(body.length);
      const e = toDbError(error);
      if (unavailableStates.has(e.code) || e.code.startsWith('53')) {
        send(response, 503, errorBody(e), { 'retry-after': String(retryAfterSeconds) });
        return;
      }
      if (e.code === '42P01') {
        // Dropped while the body was read.
        send(response, 404, errorBody(e));
        return;
      }
      throw error;
    }
    this.budget.give(body.length);
    const status = outcome.accepted === 0 && outcome.rejected > 0 ? 400 : 200;
    send(response, status, {
      accepted: outcome.accepted,
      rejected: outcome.rejected,
      errors: outcome.errors,
      ...(outcome.rejected > outcome.errors.length ? { errors_omitted: outcome.rejected - outcome.errors.length } : {}),
    });
  }

  private findTable(schema: string | null, name: string): TableDef | undefined {
    if (schema !== null && schema !== 'public') return undefined;
    return this.options.engine.catalog.findTable(schema, name);
  }

  /**
   * Answers before the body is read, then drops what the client still sends for a while (so it
   * reads the answer instead of a reset) and closes the connection.
   */
  private refuse(request: IncomingMessage, response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    send(response, status, body, { ...headers, connection: 'close' });
    if (request.complete) return;
    const timer = setTimeout(() => request.destroy(), drainAfterRejectMs);
    timer.unref();
    request.on('end', () => clearTimeout(timer));
    request.on('close', () => clearTimeout(timer));
    request.resume();
  }
}
