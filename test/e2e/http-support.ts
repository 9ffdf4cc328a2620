/**
 * Helpers of the HTTP ingest tests: a server started with an HTTP port of its choosing (read
 * back from its start-up line), raw POSTs with node:http, and pg queries.
 */
import { request } from 'node:http';
import pg from 'pg';
import { clientConfig, startServer, type RunningServer, type StartOptions } from '../support/server.js';

export interface HttpServer extends RunningServer {
  readonly httpPort: number;
}

/** The HTTP port the start-up line names, after `since` characters of output. */
export function httpPortOf(output: string, since = 0): number {
  const match = /http on [^\s,]+:(\d+)/.exec(output.slice(since));
  if (match === null) throw new Error(`no "http on" in the start-up line:\n${output}`);
  return Number(match[1]);
}

export async function startHttpServer(options: StartOptions = {}): Promise<HttpServer> {
  const server = await startServer({ ...options, args: ['--http-port', '0', ...(options.args ?? [])] });
  return Object.assign(server, { httpPort: httpPortOf(server.output()) });
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: any;
}

/** One request with node:http; `body` is sent with a Content-Length unless `chunked`. */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; body?: string | Buffer; contentType?: string; chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
    const headers: Record<string, string> = { ...options.headers };
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    if (body !== undefined && !options.chunked) headers['content-length'] = String(body.length);
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'POST', headers, agent: false }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
      response.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined && options.chunked) {
      // Several writes, so the server sees a streamed body without a declared length.
      const step = Math.max(1, Math.ceil(body.length / 8));
      for (let at = 0; at < body.length; at += step) req.write(body.subarray(at, at + step));
      req.end();
    } else {
      req.end(body);
    }
  });
}

export function postEvents(port: number, table: string, body: string | Buffer, contentType = 'application/x-ndjson'): Promise<HttpAnswer> {
  return httpRequest(port, `/v1/events/${table}`, { body, contentType });
}

export async function query(server: { host: string; port: number }, text: string, params: unknown[] = []): Promise<any[]> {
  const client = new pg.Client(clientConfig(server));
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}
