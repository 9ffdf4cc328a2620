import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../../storage/database.js';
import { realFileSystem } from '../../../storage/file-system.js';
import { Segment } from '../../../storage/segment-reader.js';
import { Types } from '../../../storage/types.js';
import { FaultyFileSystem } from './faulty-fs.js';
import { batchOf, column, removeTempDirs, scanRows, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const def = tableDef('t', [column('n', Types.int4), column('s', Types.text), column('f', Types.float8)], { sortKey: [0] });
const rows = Array.from({ length: 1000 }, (_, i) => [i, `row ${i % 17}`, i / 4]);

async function oneSegment(): Promise<{ dir: string; tableId: number; path: string }> {
  const dir = tempDataDir();
  const db = await Database.open(dir, { blockRows: 100 });
  const table = await db.createTable(def);
  await db.commit([{ tableId: table.id, batch: batchOf(def, rows) }]);
  await db.checkpoint();
  await db.close();
  const files = readdirSync(`${dir}/tables/${table.id}/p0`);
  expect(files.length).toBe(1);
  return { dir, tableId: table.id, path: `${dir}/tables/${table.id}/p0/${files[0]}` };
}

describe('segment files', () => {
  test('the footer describes blocks, encodings and zone maps', async () => {
    const { path } = await oneSegment();
    const segment = await Segment.load(realFileSystem, path, def.columns);
    expect(segment.rows).toBe(1000);
    expect(segment.blockCount).toBe(10);
    const first = segment.footer.blocks[0]!;
    expect(first.rows).toBe(100);
    expect(first.columns.map((c) => c.encoding)).toEqual(['integers', 'dictionary', 'plain']); // quarters are not integers
    expect(first.columns[0]!.zone).toEqual({ rows: 100, nulls: 0, min: '0', max: '99' });
    expect(first.columns[2]!.zone).toEqual({ rows: 100, nulls: 0, min: '0', max: '24.75' });
    expect(segment.segmentZones[0]).toMatchObject({ min: 0, max: 999 });
  });

  test('a scan reads only the requested columns', async () => {
    const { dir, tableId, path } = await oneSegment();
    const fs = new FaultyFileSystem();
    const db = await Database.open(dir, { fileSystem: fs });
    const reads: number[] = [];
    const original = fs.open.bind(fs);
    fs.open = async (p, mode) => {
      const handle = await original(p, mode);
      if (p !== path) return handle;
      return { ...handle, read: (b, o, l, pos) => (reads.push(l), handle.read(b, o, l, pos)) };
    };
    const got = await scanRows(db.snapshot(tableId), { columns: [2] });
    expect(got.map(([f]) => f)).toEqual(rows.map((r) => r[2]));
    const segment = await Segment.load(realFileSystem, path, def.columns);
    const wanted = segment.footer.blocks.map((b) => b.columns[2]!.length);
    expect(reads).toEqual(wanted); // one positioned read per block, of exactly that column block
    await db.close();
  });

  test('a damaged column block raises XX001 naming the file, block and column', async () => {
    const { dir, tableId, path } = await oneSegment();
    const segment = await Segment.load(realFileSystem, path, def.columns);
    const target = segment.footer.blocks[3]!.columns[1]!;
    const bytes = readFileSync(path);
    bytes[target.offset + Math.floor(target.length / 2)] ^= 0xff;
    writeFileSync(path, bytes);
    const db = await Database.open(dir);
    const scan = scanRows(db.snapshot(tableId), { columns: [1] });
    await expect(scan).rejects.toMatchObject({ code: 'XX001' });
    await expect(scanRows(db.snapshot(tableId), { columns: [1] })).rejects.toThrow(
      new RegExp(`block 3 of column "s" in segment file "${path}"`),
    );
    // Other columns of the same block are intact and still readable.
    expect((await scanRows(db.snapshot(tableId), { columns: [0] })).length).toBe(1000);
    await db.close();
  });

  test('a damaged footer stops startup with XX001 naming the file', async () => {
    const { dir, path } = await oneSegment();
    const bytes = readFileSync(path);
    bytes[bytes.length - 20] ^= 0xff; // inside the footer JSON
    writeFileSync(path, bytes);
    await expect(Database.open(dir)).rejects.toMatchObject({ code: 'XX001', message: expect.stringContaining(path) });
    // The failed open released the lock: after repair the directory opens again.
    bytes[bytes.length - 20] ^= 0xff;
    writeFileSync(path, bytes);
    const db = await Database.open(dir);
    await db.close();
  });
});
