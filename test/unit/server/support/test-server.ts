/** Starts a PgServer in-process on a free loopback port, serving a TestEngine. */
import { PgServer, type ServerOptions } from '../../../../src/server/server.js';
import { TestEngine } from './test-engine.js';

export interface TestServer {
  readonly engine: TestEngine;
  readonly server: PgServer;
  readonly host: string;
  readonly port: number;
  /** Lines the server logged (unexpected internal errors). */
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const engine = new TestEngine();
  const logs: string[] = [];
  const server = new PgServer({ host: '127.0.0.1', port: 0, engine, log: (line) => logs.push(line), ...options });
  const { host, port } = await server.listen();
  return { engine, server, host, port, logs, close: () => server.close() };
}

/** Resolves once `condition` holds, polling; for effects that happen after a reply was sent. */
export async function eventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
