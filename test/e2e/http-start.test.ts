/**
 * How the HTTP listener comes up with the server: --http-port off, EVENTIDE_HTTP_PORT, a port
 * asked for that is taken (a clear refusal), and the default port taken by another server (runs
 * without HTTP and says so in its start-up line).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, freePort, removeDir, startServer, tempDataDir } from '../support/server.js';
import { httpPortOf, httpRequest } from './http-support.js';

const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

function dataDir(): string {
  const dir = tempDataDir('eventide-http-start-');
  dirs.push(dir);
  return dir;
}

function startupLine(output: string): string {
  return output.split('\n').find((line) => line.includes('listening on')) ?? '';
}

/** Holds a port, or resolves null when another process holds it already. */
function hold(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('HTTP listener start-up', () => {
  it('is off with --http-port off, and takes EVENTIDE_HTTP_PORT', async () => {
    const off = await startServer({ dataDir: dataDir(), args: ['--http-port', 'off'] });
    expect(startupLine(off.output())).toContain('http off');
    await off.stop();
    const port = await freePort();
    const env = await startServer({ dataDir: dataDir(), env: { EVENTIDE_HTTP_PORT: String(port) } });
    expect(httpPortOf(env.output())).toBe(port);
    expect((await httpRequest(port, '/health', { method: 'GET' })).status).toBe(200);
    await env.stop();
  });

  it('refuses to start when the port asked for is taken', async () => {
    const port = await freePort();
    const holder = await hold(port);
    try {
      const child = spawn(process.execPath, [cliPath, '--port', String(await freePort()), '--http-port', String(port), '--data-dir', dataDir()], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(output).toContain(`cannot listen for HTTP on 127.0.0.1:${port}`);
      expect(output).not.toContain('listening on');
    } finally {
      holder?.close();
    }
  });

  it('runs without HTTP, and says so, when the default port is taken', async () => {
    // Someone (this test, or another server on the machine) holds 8432.
    const holder = await hold(8432);
    try {
      const server = await startServer({ dataDir: dataDir() });
      const line = startupLine(server.output());
      if (holder !== null) expect(line).toContain('http off (port 8432 in use)');
      else expect(line).toMatch(/http (off \(port 8432 in use\)|on 127\.0\.0\.1:8432)/);
      await server.stop();
    } finally {
      holder?.close();
    }
  });
});
