import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../../storage/database.js';
import { Types } from '../../../storage/types.js';
import { FaultyFileSystem } from './faulty-fs.js';
import { batchOf, column, removeTempDirs, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const def = tableDef('t', [column('n', Types.int4)], { partitionKey: 0, partitionCount: 4 });

describe('group commit', () => {
  test('concurrent commits share fsyncs, and each is visible when it resolves', async () => {
    const fs = new FaultyFileSystem();
    const db = await Database.open(tempDataDir(), { fileSystem: fs });
    const table = await db.createTable(def);
    const syncsBefore = fs.calls.filter((c) => c.operation === 'datasync').length;
    const committers = 50;
    const visibleAtAck: boolean[] = [];
    await Promise.all(
      Array.from({ length: committers }, async (_, i) => {
        await db.commit([{ tableId: table.id, batch: batchOf(def, [[i]]) }]);
        // Acknowledged: this row must be in any snapshot taken from now on.
        let found = false;
        for await (const batch of db.snapshot(table.id).scan({ columns: [0] })) {
          const values = batch.columns[0]!.values as Int32Array;
          if (values.includes(i)) found = true;
        }
        visibleAtAck.push(found);
      }),
    );
    const syncs = fs.calls.filter((c) => c.operation === 'datasync').length - syncsBefore;
    expect(visibleAtAck).toEqual(Array(committers).fill(true));
    expect(db.walStats.records).toBe(committers);
    expect(db.walStats.groups).toBe(syncs);
    expect(syncs).toBeLessThan(committers / 2); // one in flight, the rest queued behind it
    await db.close();
  });

  test('commits are applied in LSN order', async () => {
    const db = await Database.open(tempDataDir());
    const table = await db.createTable({ ...def, partitionCount: 1, partitionKey: null });
    await Promise.all(Array.from({ length: 40 }, (_, i) => db.commit([{ tableId: table.id, batch: batchOf(def, [[i]]) }])));
    const seen: number[] = [];
    for await (const batch of db.snapshot(table.id).scan({ columns: [0] })) seen.push(...(batch.columns[0]!.values as Int32Array));
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => i)); // queued in call order, applied in that order
    await db.close();
  });
});

describe('WAL rotation', () => {
  test('a checkpoint completes while commits keep arriving', async () => {
    const db = await Database.open(tempDataDir(), { flushIntervalMs: 0 });
    const table = await db.createTable(def);
    let stop = false;
    let committed = 0;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        await db.commit([{ tableId: table.id, batch: batchOf(def, [[w * 1_000_000 + i]]) }]);
        committed++;
      }
    });
    await new Promise((r) => setTimeout(r, 20));
    await db.checkpoint(); // must not wait for the stream of commits to pause
    const afterCheckpoint = committed;
    stop = true;
    await Promise.all(writers);
    expect(afterCheckpoint).toBeGreaterThan(0);
    expect(db.snapshot(table.id).rowCount).toBe(committed);
    await db.close();
  });
});
