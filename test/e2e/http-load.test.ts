/**
 * `eventide load` as a user runs it: a real command process streaming a file (or stdin) to a real
 * server, judged by its exit code, its summary on stderr and the rows the server then holds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, freePort } from '../support/server.js';
import { query, startHttpServer, type HttpServer } from './http-support.js';

let server: HttpServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eventide-load-'));
  server = await startHttpServer();
  await query(server, 'CREATE TABLE ev (id int NOT NULL, kind text, at timestamptz, properties jsonb)');
});

afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function load(args: string[], stdin?: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'load', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on('exit', (code) => resolve({ code, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

function eventLine(id: number): string {
  return JSON.stringify({ id, kind: 'k', at: '2024-05-01T10:00:00Z', device: 'web' });
}

describe('eventide load', () => {
  it('loads a file in several requests, reports bad lines by their file line numbers, exits 1', async () => {
    const bad = new Map([
      [4, '{"id": "four"}'],
      [12, 'garbage'],
      [23, '{"kind": "no id"}'],
    ]);
    const lines = Array.from({ length: 25 }, (_, i) => bad.get(i + 1) ?? eventLine(1000 + i + 1));
    const file = join(dir, 'some-bad.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await load([file, '--table', 'ev', '--http-port', String(server.httpPort), '--batch-rows', '7']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('loaded 22 rows, rejected 3');
    expect(result.stderr).toContain('line 4, column id: invalid input syntax for type integer: "four" (22P02)');
    expect(result.stderr).toContain('line 12: invalid input syntax for type json (22P02)');
    expect(result.stderr).toContain('line 23, column id: null value in column "id" of relation "ev" violates not-null constraint (23502)');
    expect(result.stderr).toMatch(/ +1 {2}22P02 invalid input syntax for type json/);
    const rows = await query(server, 'SELECT count(*)::int AS n, min(id) AS lo, max(id) AS hi FROM ev WHERE id BETWEEN 1000 AND 1999');
    expect(rows).toEqual([{ n: 22, lo: 1001, hi: 1025 }]);
    const kept = await query(server, 'SELECT properties::text AS p FROM ev WHERE id = 1001');
    expect(kept).toEqual([{ p: '{"device": "web"}' }]);
  });

  it('exits 0 when every line loads, from a file without a final newline and from stdin', async () => {
    const file = join(dir, 'clean.jsonl');
    writeFileSync(file, Array.from({ length: 100 }, (_, i) => eventLine(2000 + i)).join('\n'));
    const fromFile = await load([file, '--table', 'ev', '--http-port', String(server.httpPort), '--batch-rows', '30']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stderr).toContain('loaded 100 rows, rejected 0');
    const fromStdin = await load(['-', '--table', 'public.ev', '--http-port', String(server.httpPort)], Array.from({ length: 10 }, (_, i) => eventLine(3000 + i)).join('\n') + '\n');
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(await query(server, 'SELECT count(*)::int AS n FROM ev WHERE id >= 2000')).toEqual([{ n: 110 }]);
  });

  it('exits 2 when the server cannot be reached and 1 when the table does not exist', async () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, `${eventLine(1)}\n`);
    const unreachable = await load([file, '--table', 'ev', '--http-port', String(await freePort())]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach the server');
    const noTable = await load([file, '--table', 'nosuch', '--http-port', String(server.httpPort)]);
    expect(noTable.code).toBe(1);
    expect(noTable.stderr).toContain('relation "nosuch" does not exist');
  });
});
