import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../../storage/database.js';
import { Types } from '../../../storage/types.js';
import { batchOf, column, removeTempDirs, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const def = tableDef('wide', [column('id', Types.int4), column('doc', Types.text)], { partitionKey: 0, partitionCount: 2 });
/** Rows of about 2 KB each. */
const wideRows = (from: number, n: number) => Array.from({ length: n }, (_, i) => [from + i, `${from + i}:${'x'.repeat(2000)}`]);

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('tail bound in bytes', () => {
  test('wide rows trigger a checkpoint by size long before the row threshold', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { flushRowThreshold: 1_000_000, flushBytesThreshold: 256 << 10, flushIntervalMs: 0 });
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, wideRows(0, 50)) }]);
    expect(db.pendingTailBytes).toBeGreaterThan(100_000);
    expect(db.pendingTailBytes).toBeLessThan(256 << 10);
    expect(db.pendingTailRows).toBe(50);
    await db.commit([{ tableId: table.id, batch: batchOf(def, wideRows(50, 100)) }]); // ~300 KB in tails now
    await waitFor(() => db.pendingTailRows === 0);
    expect(db.pendingTailBytes).toBe(0);
    expect(db.snapshot(table.id).rowCount).toBe(150);
    await db.close();
  });

  test('a burst of wide commits waits for checkpoints: the tails stay near twice the bound', async () => {
    const dir = tempDataDir();
    const bound = 512 << 10;
    const db = await Database.open(dir, { flushRowThreshold: 1_000_000, flushBytesThreshold: bound, flushIntervalMs: 0 });
    const table = await db.createTable(def);
    let peak = 0;
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; i < 40; i++) {
          await db.commit([{ tableId: table.id, batch: batchOf(def, wideRows(w * 100_000 + i * 20, 20)) }]);
          peak = Math.max(peak, db.pendingTailBytes);
        }
      }),
    );
    expect(db.snapshot(table.id).rowCount).toBe(4 * 40 * 20); // ~6.4 MB through a 0.5 MB bound
    // Twice the bound, plus what the four committers had in flight when it was reached.
    expect(peak).toBeLessThan(2 * bound + 4 * 20 * 2100);
    await db.close();
  });

  test('after a restart the replayed tails count against the bound', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { flushIntervalMs: 0 });
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, wideRows(0, 50)) }]);
    const bytes = db.pendingTailBytes;
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir, { flushIntervalMs: 0 });
    expect(reopened.pendingTailBytes).toBeGreaterThan(bytes * 0.9);
    expect(reopened.pendingTailBytes).toBeLessThanOrEqual(bytes);
    await reopened.close();
  });
});
