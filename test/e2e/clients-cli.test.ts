/**
 * The command line: --host/--port/--data-dir, the EVENTIDE_HOST/EVENTIDE_PORT/EVENTIDE_DATA_DIR
 * variables (a flag beats its variable, both beat the defaults 127.0.0.1, 5432, ./data), the one
 * line that says where the server listens and where its data lives, a clean exit on SIGTERM with
 * the data still there afterwards, and a second server on the same data directory refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, freePort, removeDir, tempDataDir } from '../support/server.js';

interface Launched {
  readonly child: ChildProcess;
  output(): string;
  /** The line announcing the listening address, once printed. */
  readonly readyLine: Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const launched: Launched[] = [];
const dirs: string[] = [];

function launch(args: readonly string[], env: Record<string, string> = {}, cwd?: string): Launched {
  const baseEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('EVENTIDE_')) baseEnv[key] = value;
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...baseEnv, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const readyLine = new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('listening on'));
      if (line !== undefined && output.includes(`${line}\n`)) {
        clearTimeout(timer);
        resolveReady(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  readyLine.catch(() => undefined);
  const handle = { child, output: () => output, readyLine, exited };
  launched.push(handle);
  return handle;
}

/** `host:port` or `host port N`, the port not followed by another digit. */
function addressPattern(host: string, port: number): RegExp {
  return new RegExp(`${host.replace(/\./g, '\\.')}(:| port )${port}(?!\\d)`);
}

function newDir(): string {
  const dir = tempDataDir('eventide-cli-');
  dirs.push(dir);
  return realpathSync(dir);
}

async function query(host: string, port: number, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ host, port, user: 'eventide', database: 'eventide' });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, host, () => probe.close(() => resolveFree(true)));
  });
}

function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)),
  ]);
}

afterEach(async () => {
  for (const handle of launched.splice(0)) {
    if (handle.child.exitCode === null && handle.child.signalCode === null) handle.child.kill('SIGKILL');
    await handle.exited;
  }
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('eventide command line', () => {
  it('listens where --host and --port say, keeps data where --data-dir says, and says so in one line', async () => {
    const dataDir = join(newDir(), 'nested', 'data');
    const port = await freePort();
    const server = launch(['--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir]);
    const line = await server.readyLine;
    expect(line).toMatch(addressPattern('127.0.0.1', port));
    expect(line).toContain(dataDir);
    expect(server.output().split('\n').filter((l) => l.includes('listening on'))).toHaveLength(1);
    expect((await query('127.0.0.1', port, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(existsSync(dataDir)).toBe(true);
    await query('127.0.0.1', port, 'CREATE TABLE marker (x int)');
    expect(readdirSync(dataDir).length).toBeGreaterThan(0);
  });

  it('takes EVENTIDE_HOST, EVENTIDE_PORT and EVENTIDE_DATA_DIR from the environment', async () => {
    const dataDir = newDir();
    const port = await freePort();
    // Any 127.0.0.0/8 address is loopback on Linux: a host other than the default shows it is used.
    const server = launch([], { EVENTIDE_HOST: '127.0.0.2', EVENTIDE_PORT: String(port), EVENTIDE_DATA_DIR: dataDir });
    const line = await server.readyLine;
    expect(line).toMatch(addressPattern('127.0.0.2', port));
    expect(line).toContain(dataDir);
    expect((await query('127.0.0.2', port, 'SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    await expect(query('127.0.0.1', port, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('lets a flag override its environment variable', async () => {
    const flagDir = newDir();
    const envDir = newDir();
    const flagPort = await freePort();
    const envPort = await freePort();
    const server = launch(['--port', String(flagPort), '--data-dir', flagDir], {
      EVENTIDE_PORT: String(envPort),
      EVENTIDE_DATA_DIR: envDir,
      EVENTIDE_HOST: '127.0.0.1',
    });
    const line = await server.readyLine;
    expect(line).toMatch(addressPattern('127.0.0.1', flagPort));
    expect(line).toContain(flagDir);
    expect(line).not.toContain(envDir);
    expect((await query('127.0.0.1', flagPort, 'SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });

  it('defaults to 127.0.0.1:5432 and ./data', async (context) => {
    if (!(await portIsFree(5432, '127.0.0.1'))) context.skip();
    const cwd = newDir();
    const server = launch([], {}, cwd);
    const line = await server.readyLine;
    expect(line).toMatch(addressPattern('127.0.0.1', 5432));
    expect(line.includes(join(cwd, 'data')) || line.includes('./data')).toBe(true);
    expect((await query('127.0.0.1', 5432, 'SELECT 4 AS four')).rows).toEqual([{ four: 4 }]);
    expect(existsSync(join(cwd, 'data'))).toBe(true);
  });

  it('shuts down cleanly on SIGTERM, closing connections, and keeps what was acknowledged', async () => {
    const dataDir = newDir();
    const port = await freePort();
    const first = launch(['--port', String(port), '--data-dir', dataDir]);
    await first.readyLine;
    const idle = new pg.Client({ host: '127.0.0.1', port, user: 'eventide', database: 'eventide' });
    const idleEnded = new Promise<void>((resolveEnd) => idle.once('end', () => resolveEnd()));
    idle.on('error', () => undefined);
    await idle.connect();
    await idle.query('CREATE TABLE kept (id int, note text)');
    await idle.query("INSERT INTO kept VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    first.child.kill('SIGTERM');
    const exit = await withinMs(first.exited, 15_000, 'shutdown after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    await withinMs(idleEnded, 5_000, 'closing the idle connection');

    const second = launch(['--port', String(port), '--data-dir', dataDir]);
    await second.readyLine;
    expect((await query('127.0.0.1', port, 'SELECT id, note FROM kept ORDER BY id')).rows).toEqual([
      { id: 1, note: 'one' },
      { id: 2, note: 'two' },
      { id: 3, note: 'three' },
    ]);
  });

  it('refuses a second server on the same data directory with a clear message', async () => {
    const dataDir = newDir();
    const port = await freePort();
    const first = launch(['--port', String(port), '--data-dir', dataDir]);
    await first.readyLine;
    await query('127.0.0.1', port, 'CREATE TABLE only_one (x int)');

    const secondPort = await freePort();
    const second = launch(['--port', String(secondPort), '--data-dir', dataDir]);
    const exit = await withinMs(second.exited, 15_000, 'the second server giving up');
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(second.output()).not.toContain('listening on');
    expect(second.output()).toContain(dataDir);
    expect(second.output()).toMatch(/already|in use|locked/i);
    // The first is untouched.
    expect((await query('127.0.0.1', port, 'SELECT count(*)::int AS n FROM only_one')).rows).toEqual([{ n: 0 }]);
  });

  it('starts again on a data directory whose server was killed (a stale lock is no lock)', async () => {
    const dataDir = newDir();
    const port = await freePort();
    const first = launch(['--port', String(port), '--data-dir', dataDir]);
    await first.readyLine;
    await query('127.0.0.1', port, "CREATE TABLE survived (x int); INSERT INTO survived VALUES (42)");
    first.child.kill('SIGKILL');
    await first.exited;
    const second = launch(['--port', String(port), '--data-dir', dataDir]);
    await second.readyLine;
    expect((await query('127.0.0.1', port, 'SELECT x FROM survived')).rows).toEqual([{ x: 42 }]);
  });
});
