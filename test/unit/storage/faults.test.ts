import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../../storage/database.js';
import { Types } from '../../../storage/types.js';
import { errno, FaultyFileSystem } from './faulty-fs.js';
import { batchOf, column, removeTempDirs, scanRows, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const def = tableDef('t', [column('batch', Types.int4), column('v', Types.text)], { partitionKey: 1, partitionCount: 2 });
const rows = (batch: number, n = 4) => Array.from({ length: n }, (_, i) => [batch, `v${batch}-${i}`]);

/** Counts rows per batch tag and checks no batch is partial. */
async function batchesIn(db: Database, tableId: number, perBatch = 4): Promise<number[]> {
  const counts = new Map<number, number>();
  for (const [b] of await scanRows(db.snapshot(tableId))) counts.set(b as number, (counts.get(b as number) ?? 0) + 1);
  for (const [b, n] of counts) expect(n, `batch ${b}`).toBe(perBatch);
  return [...counts.keys()].sort((a, b) => a - b);
}

describe('faults', () => {
  for (const [name, operation, code, expected] of [
    ['an fsync error', 'datasync', 'EIO', '58030'],
    ['a full disk', 'write', 'ENOSPC', '53100'],
  ] as const) {
    test(`${name} in the WAL fails the commit and every later one; restart recovers what was acknowledged`, async () => {
      const dir = tempDataDir();
      const fs = new FaultyFileSystem();
      const db = await Database.open(dir, { fileSystem: fs });
      const table = await db.createTable(def);
      for (let b = 1; b <= 3; b++) await db.commit([{ tableId: table.id, batch: batchOf(def, rows(b)) }]);
      fs.rule = (op, path) => (op === operation && path.includes('/wal/') ? errno(code, 'injected') : null);
      // Several commits in flight at the moment of the failure: none may be acknowledged.
      const results = await Promise.allSettled([4, 5, 6].map((b) => db.commit([{ tableId: table.id, batch: batchOf(def, rows(b)) }])));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: expected });
      fs.rule = null; // the disk recovers, but the database must not trust its earlier fsync
      await expect(db.commit([{ tableId: table.id, batch: batchOf(def, rows(7)) }])).rejects.toMatchObject({ code: '58030' });
      expect(await batchesIn(db, table.id)).toEqual([1, 2, 3]);
      await expect(db.checkpoint()).rejects.toMatchObject({ code: expect.stringMatching(/^(58030|53100)$/) });
      await db.close();

      const reopened = await Database.open(dir);
      const recovered = await batchesIn(reopened, table.id);
      // Acknowledged batches are all there; a failed one may be there (its bytes may have reached
      // the disk) but only whole, and nothing after the refusal.
      expect(recovered.slice(0, 3)).toEqual([1, 2, 3]);
      expect(recovered.every((b) => b <= 6)).toBe(true);
      await reopened.commit([{ tableId: table.id, batch: batchOf(def, rows(8)) }]);
      expect((await batchesIn(reopened, table.id)).at(-1)).toBe(8);
      await reopened.close();
    });
  }

  test('a failed segment write fails the checkpoint but loses nothing, and a later checkpoint succeeds', async () => {
    const dir = tempDataDir();
    const fs = new FaultyFileSystem();
    const db = await Database.open(dir, { fileSystem: fs });
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(1)) }]);
    fs.rule = (op, path) => (op === 'write' && path.endsWith('.seg.tmp') ? errno('ENOSPC', 'injected') : null);
    await expect(db.checkpoint()).rejects.toMatchObject({ code: '53100' });
    // Commits and reads carry on; the rows are still in the tail and the WAL.
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(2)) }]);
    expect(await batchesIn(db, table.id)).toEqual([1, 2]);
    fs.rule = (op, path) => (op === 'rename' && path.endsWith('manifest.json') ? errno('EIO', 'injected') : null);
    await expect(db.checkpoint()).rejects.toMatchObject({ code: '58030' });
    expect(await batchesIn(db, table.id)).toEqual([1, 2]);
    await db.close({ checkpoint: false });

    const reopened = await Database.open(dir);
    expect(await batchesIn(reopened, table.id)).toEqual([1, 2]);
    for (const p of [0, 1]) expect(readdirSync(`${dir}/tables/${table.id}/p${p}`)).toEqual([]); // orphans removed
    await reopened.checkpoint();
    expect(reopened.pendingTailRows).toBe(0);
    expect(await batchesIn(reopened, table.id)).toEqual([1, 2]);
    await reopened.close();
  });

  test('when one table flushes and another fails, restart has each row exactly once', async () => {
    const dir = tempDataDir();
    const fs = new FaultyFileSystem();
    const db = await Database.open(dir, { fileSystem: fs });
    const a = await db.createTable(def);
    const b = await db.createTable({ ...def, name: 'b' });
    for (let k = 1; k <= 3; k++) {
      await db.commit([
        { tableId: a.id, batch: batchOf(def, rows(k)) },
        { tableId: b.id, batch: batchOf(def, rows(k)) },
      ]);
    }
    fs.rule = (op, path) => (op === 'write' && path.includes(`/tables/${b.id}/`) ? errno('EIO', 'injected') : null);
    await expect(db.checkpoint()).rejects.toMatchObject({ code: '58030' });
    expect(db.pendingTailRows).toBe(12); // a flushed, b still in its tail
    await db.commit([
      { tableId: a.id, batch: batchOf(def, rows(4)) },
      { tableId: b.id, batch: batchOf(def, rows(4)) },
    ]);
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(await batchesIn(reopened, a.id)).toEqual([1, 2, 3, 4]);
    expect(await batchesIn(reopened, b.id)).toEqual([1, 2, 3, 4]);
    expect(reopened.recovery.replayedRows).toBe(4 + 16); // a: batch 4 only; b: all four
    await reopened.close();
  });
});
