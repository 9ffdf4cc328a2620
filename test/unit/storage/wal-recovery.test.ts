import { cpSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../../storage/database.js';
import { Types } from '../../../storage/types.js';
import { batchOf, column, removeTempDirs, scanRows, tableDef, tempDataDir } from './helpers.js';
import { errno, FaultyFileSystem } from './faulty-fs.js';

afterAll(removeTempDirs);

const def = tableDef('t', [column('record', Types.int4), column('payload', Types.text), column('n', Types.int8)], {
  partitionKey: 2,
  partitionCount: 2,
});

/** Record k holds k rows tagged k, so a partially applied record would show. */
function recordRows(k: number) {
  return Array.from({ length: k }, (_, i) => [k, `r${k}-${i}`, BigInt(i)]);
}

async function buildWal(records: number): Promise<{ dir: string; tableId: number; walFile: string; offsets: number[] }> {
  const dir = tempDataDir();
  const db = await Database.open(dir);
  const table = await db.createTable(def);
  for (let k = 1; k <= records; k++) await db.commit([{ tableId: table.id, batch: batchOf(def, recordRows(k)) }]);
  await db.close({ checkpoint: false });
  const names = readdirSync(`${dir}/wal`).filter((f) => f.endsWith('.wal'));
  expect(names.length).toBe(1);
  const walFile = `${dir}/wal/${names[0]}`;
  // Record boundaries, from the length fields: [start of record 1, start of record 2, ..., end].
  const bytes = readFileSync(walFile);
  const offsets = [0];
  while (offsets.at(-1)! < bytes.length && bytes.readUInt32LE(offsets.at(-1)!) !== 0) offsets.push(offsets.at(-1)! + 16 + bytes.readUInt32LE(offsets.at(-1)!));
  expect(offsets.length).toBe(records + 1);
  // The writer preallocates zeros after the records; the cuts below are made on the records alone.
  expect(bytes.length).toBeGreaterThan(offsets.at(-1)!);
  expect(bytes.subarray(offsets.at(-1)!).every((b) => b === 0)).toBe(true);
  truncateSync(walFile, offsets.at(-1)!);
  return { dir, tableId: table.id, walFile, offsets };
}

/** Opens a copy of `dir` after `damage`, returns the record tags found and checks each is whole. */
async function recoverCopy(dir: string, tableId: number, damage: (copy: string) => void): Promise<{ records: number[]; copy: string }> {
  const copy = tempDataDir();
  cpSync(dir, copy, { recursive: true });
  damage(copy);
  const db = await Database.open(copy);
  const rows = await scanRows(db.snapshot(tableId));
  await db.close({ checkpoint: false });
  const counts = new Map<number, number>();
  for (const [k] of rows) counts.set(k as number, (counts.get(k as number) ?? 0) + 1);
  for (const [k, n] of counts) expect(n, `record ${k} partially present`).toBe(k);
  return { records: [...counts.keys()].sort((a, b) => a - b), copy };
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('WAL recovery', () => {
  test('preallocated zeros after the last record end the log without loss, also in a file before a newer one', async () => {
    const dir = tempDataDir();
    const faulty = new FaultyFileSystem();
    const db = await Database.open(dir, { fileSystem: faulty });
    const table = await db.createTable(def);
    for (let k = 1; k <= 3; k++) await db.commit([{ tableId: table.id, batch: batchOf(def, recordRows(k)) }]);
    // A checkpoint whose segment writes fail rotates the WAL but keeps its files.
    faulty.rule = (op, path) => (op === 'write' && path.endsWith('.seg.tmp') ? errno('EIO', 'injected') : null);
    await expect(db.checkpoint()).rejects.toMatchObject({ code: '58030' });
    faulty.rule = null;
    for (let k = 4; k <= 5; k++) await db.commit([{ tableId: table.id, batch: batchOf(def, recordRows(k)) }]);
    await db.close({ checkpoint: false });
    const files = readdirSync(`${dir}/wal`).sort();
    expect(files).toEqual(['00000001.wal', '00000002.wal']);
    for (const name of files) {
      const bytes = readFileSync(`${dir}/wal/${name}`);
      expect(bytes.subarray(bytes.length - 1024).every((b) => b === 0), `${name} ends in preallocated zeros`).toBe(true);
    }
    const reopened = await Database.open(dir);
    const tags = (await scanRows(reopened.snapshot(table.id))).map(([k]) => k as number);
    expect([...new Set(tags)].sort()).toEqual(upTo(5));
    expect(tags.length).toBe(15);
    await reopened.close();
    expect(readdirSync(`${dir}/wal`).filter((name) => name.endsWith('.discarded'))).toEqual([]);
  });

  test('a log cut at any byte of its last record keeps exactly the complete records', async () => {
    const { dir, tableId, walFile, offsets } = await buildWal(6);
    const relative = walFile.slice(dir.length);
    const lastStart = offsets.at(-2)!;
    const end = offsets.at(-1)!;
    for (let cut = lastStart; cut <= end; cut++) {
      const { records } = await recoverCopy(dir, tableId, (copy) => truncateSync(copy + relative, cut));
      expect(records, `cut at ${cut}`).toEqual(upTo(cut === end ? 6 : 5));
    }
  });

  test('a log cut inside earlier records keeps the records before the cut', async () => {
    const { dir, tableId, walFile, offsets } = await buildWal(6);
    const relative = walFile.slice(dir.length);
    for (let r = 0; r < offsets.length - 1; r++) {
      const cut = offsets[r]! + 7; // inside the header of record r+1
      const { records } = await recoverCopy(dir, tableId, (copy) => truncateSync(copy + relative, cut));
      expect(records).toEqual(upTo(r));
    }
  });

  test('a flipped byte cuts the log at the damaged record, and appending continues there', async () => {
    const { dir, tableId, walFile, offsets } = await buildWal(6);
    const relative = walFile.slice(dir.length);
    const size = offsets.at(-1)!;
    for (let position = 0; position < size; position += 13) {
      const damaged = offsets.findIndex((o) => o > position) - 1; // 0-based record holding the byte
      const { records, copy } = await recoverCopy(dir, tableId, (c) => {
        const bytes = readFileSync(c + relative);
        bytes[position] ^= 0x5a;
        writeFileSync(c + relative, bytes);
      });
      expect(records, `byte ${position}`).toEqual(upTo(damaged));
      if (position === 13 * 7) {
        // The cut file is truncated; new commits append after the valid prefix and survive restart.
        expect(readFileSync(copy + relative).length).toBe(offsets[damaged]);
        const db = await Database.open(copy);
        await db.commit([{ tableId, batch: batchOf(def, recordRows(9)) }]);
        await db.close({ checkpoint: false });
        const again = await Database.open(copy);
        const tags = new Set((await scanRows(again.snapshot(tableId))).map(([k]) => k));
        expect([...tags].sort()).toEqual([...upTo(damaged), 9]);
        await again.close();
      }
    }
  });
});
