/**
 * Bulk-load crash test: a child process runs bulk loads (with concurrent WAL commits and frequent
 * checkpoints) and is SIGKILLed at a random moment, right after a load's commit() resolved, or
 * while a load's staged rows sit in unpublished segment files. After each kill the database is
 * reopened here: every acknowledged load is there in full, no load is there in part, the load
 * that never committed is absent, and no segment file is left that the manifest does not name.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCrashChild } from '../support/crash-child-build.js';
import { Database } from '../../storage/database.js';
import { bulkCrashRows } from '../support/bulk-crash-workload.js';

/** The child runs as compiled JavaScript (built in beforeAll). */
let childPath = '';
const modes = ['random', 'after-ack', 'hold'] as const;
type Mode = (typeof modes)[number];
const rounds = Number(process.env.CRASH_ROUNDS ?? 9);

let dataDir = '';

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'eventide-bulk-crash-'));
  childPath = buildCrashChild('bulk-crash-child', 'bulk-crash');
}, 120_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface RoundResult {
  readonly acked: number[];
  readonly staged: boolean;
}

/** Runs the child and SIGKILLs it as `mode` says. */
function crashRound(first: number, mode: Mode, killAfterMs: number): Promise<RoundResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [childPath, dataDir, String(first), mode === 'hold' ? 'hold' : 'loads'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    const kill = () => child.kill('SIGKILL');
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (mode === 'random' && timer === null && stdout.includes('ready\n')) timer = setTimeout(kill, killAfterMs);
      if (mode === 'after-ack' && /^ack /m.test(stdout)) kill();
      if (mode === 'hold' && /^staged [1-9]/m.test(stdout)) kill();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        fail(new Error(`child exited with ${code ?? signal} before it was killed:\n${stderr}`));
        return;
      }
      if (stderr !== '') fail(new Error(`child wrote to stderr:\n${stderr}`));
      const acked = [...stdout.matchAll(/^ack (\d+) (\d+)$/gm)].map((m) => {
        expect(Number(m[2])).toBe(bulkCrashRows(Number(m[1])));
        return Number(m[1]);
      });
      done({ acked, staged: /^staged [1-9]/m.test(stdout) });
    });
  });
}

/** Load number -> its rows' seq values, checked against their labels. */
async function readLoads(db: Database): Promise<Map<number, number[]>> {
  const table = db.listTables().find((t) => t.name === 'loads');
  const loads = new Map<number, number[]>();
  if (table === undefined) return loads;
  for await (const batch of db.snapshot(table.id).scan({ columns: [0, 1, 2] })) {
    const load = batch.columns[0]!.values as Int32Array;
    const seq = batch.columns[1]!.values as Int32Array;
    const label = batch.columns[2]!.values as string[];
    for (let i = 0; i < batch.length; i++) {
      expect(label[i]).toBe(`${load[i]}:${seq[i]}`);
      const list = loads.get(load[i]!) ?? [];
      list.push(seq[i]!);
      loads.set(load[i]!, list);
    }
  }
  return loads;
}

/** Segment files on disk that the table's manifest does not name (startup must have removed them). */
function unnamedSegmentFiles(db: Database): string[] {
  const out: string[] = [];
  for (const table of db.listTables()) {
    const dir = join(dataDir, 'tables', String(table.id));
    // No manifest yet (killed before the first publish): it names nothing.
    const path = join(dir, 'manifest.json');
    const manifest = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { content: { partitions: { segments: { file: string }[] }[] } }) : null;
    for (let p = 0; p < table.partitionCount; p++) {
      const named = new Set(manifest?.content.partitions[p]!.segments.map((s) => s.file));
      for (const file of readdirSync(join(dir, `p${p}`))) if (!named.has(file)) out.push(`${table.name}/p${p}/${file}`);
    }
  }
  return out;
}

describe('bulk load crash', () => {
  test(
    'acknowledged loads survive SIGKILL in full; unacknowledged ones are there in full or not at all',
    async () => {
      const mustExist = new Set<number>();
      const seen = new Set<number>();
      for (let round = 0; round < rounds; round++) {
        const mode = modes[round % modes.length]!;
        const first = (round + 1) * 1_000_000;
        const killAfterMs = 200 + Math.floor(Math.random() * 800);
        const { acked, staged } = await crashRound(first, mode, killAfterMs);
        for (const load of acked) mustExist.add(load);
        console.log(`round ${round} (${mode}): ${acked.length} loads acknowledged${mode === 'random' ? `, killed after ${killAfterMs} ms` : ''}`);
        if (mode === 'after-ack') expect(acked.length).toBeGreaterThan(0);
        if (mode === 'hold') expect(staged).toBe(true);

        const db = await Database.open(dataDir, { flushIntervalMs: 0 });
        expect(unnamedSegmentFiles(db)).toEqual([]);
        const loads = await readLoads(db);
        for (const [load, seqs] of loads) {
          const rows = bulkCrashRows(load);
          expect(seqs.length, `rows of load ${load}`).toBe(rows);
          expect(new Set(seqs).size, `distinct seq of load ${load}`).toBe(rows);
          expect(Math.min(...seqs)).toBe(0);
          expect(Math.max(...seqs)).toBe(rows - 1);
        }
        const missing = [...mustExist].filter((load) => !loads.has(load));
        expect(missing, `acknowledged loads lost in round ${round}`).toEqual([]);
        const vanished = [...seen].filter((load) => !loads.has(load));
        expect(vanished, `loads seen before and gone in round ${round}`).toEqual([]);
        for (const load of loads.keys()) seen.add(load);
        if (mode === 'hold') expect(loads.has(first), 'the load that never committed').toBe(false);
        await db.close({ checkpoint: round % 2 === 1 });
      }
      expect(mustExist.size).toBeGreaterThan(rounds / 3); // the child really did finish loads
    },
    180_000,
  );
});
