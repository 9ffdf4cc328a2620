/**
 * Starting the HTTP listener from the command line's options: `--http-port` (or
 * EVENTIDE_HTTP_PORT) PORT, 0 for a free port, `off` for none; `--http-max-body-mb`.
 * When no port was asked for and the default one is taken (another Eventide on this machine),
 * the server runs without HTTP and says so, rather than refusing to start; a port asked for
 * that cannot be had is an error.
 */
import type { SqlEngine } from '../sql/engine.js';
import { HttpServer } from './http-server.js';
import { defaultHttpPort, defaultMaxBodyMb, maxBodyMbLimit } from './limits.js';

export interface HttpStartOptions {
  readonly host: string;
  readonly engine: SqlEngine;
  readonly log: (line: string) => void;
  /** The port option's text, or undefined for the default. */
  readonly port: string | undefined;
  readonly portGiven: boolean;
  readonly maxBodyMb: string | undefined;
}

export interface HttpHandle {
  /** Added to the start-up line, e.g. `, http on 127.0.0.1:8432`. */
  readonly describe: string;
  close(): Promise<void>;
}

export async function startHttp(options: HttpStartOptions): Promise<HttpHandle> {
  const portText = (options.port ?? String(defaultHttpPort)).trim().toLowerCase();
  if (portText === 'off') return { describe: ', http off', close: async () => undefined };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || portText === '') throw new Error(`invalid HTTP port "${options.port}"`);
  const maxBodyMb = options.maxBodyMb === undefined ? defaultMaxBodyMb : Number(options.maxBodyMb);
  if (!Number.isInteger(maxBodyMb) || maxBodyMb <= 0 || maxBodyMb > maxBodyMbLimit) {
    throw new Error(`--http-max-body-mb must be an integer from 1 to ${maxBodyMbLimit}, not "${options.maxBodyMb}"`);
  }
  const server = new HttpServer({ host: options.host, port, engine: options.engine, maxBodyBytes: maxBodyMb * 2 ** 20, log: options.log });
  try {
    const address = await server.listen();
    return { describe: `, http on ${address.host}:${address.port}`, close: () => server.close() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!options.portGiven && code === 'EADDRINUSE') {
      options.log(`http: default port ${port} is in use; running without HTTP ingest (pass --http-port to choose one)`);
      return { describe: `, http off (port ${port} in use)`, close: async () => undefined };
    }
    throw new Error(`cannot listen for HTTP on ${options.host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
