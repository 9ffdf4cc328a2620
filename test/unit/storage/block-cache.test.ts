/**
 * The decoded-block cache: LRU by bytes, the per-scan admission limit, and scans served from it
 * with the same rows as from disk (and without opening the segment file).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BlockCache, blockCache } from '../../../storage/block-cache.js';
import { Database, emptyScanStats } from '../../../storage/database.js';
import { Types } from '../../../storage/types.js';
import { vectorFromValues } from '../../../storage/vector.js';
import { batchOf, column, removeTempDirs, scanRows, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const vector = vectorFromValues(Types.int4, [1, 2, 3]);

describe('BlockCache', () => {
  test('evicts the least recently used entries once over capacity', () => {
    const cache = new BlockCache(1000);
    cache.set(1, 0, 0, vector, 100);
    cache.set(1, 0, 1, vector, 100);
    cache.set(1, 1, 0, vector, 100);
    expect(cache.get(1, 0, 0)).toBe(vector); // now the most recent
    for (let b = 2; b < 10; b++) cache.set(1, b, 0, vector, 100);
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.get(1, 0, 1)).toBeUndefined();
    expect(cache.get(1, 0, 0)).toBe(vector);
    expect(cache.hits).toBe(2);
    expect(cache.misses).toBe(1);
  });

  test('one scan fills at most half of it; oversized entries and a zero capacity keep nothing', () => {
    const cache = new BlockCache(1000);
    const scan = { cacheHits: 0, cacheMisses: 0, cacheAdmittedBytes: 0 };
    for (let b = 0; b < 10; b++) cache.set(1, b, 0, vector, 100, scan);
    expect(cache.bytes).toBe(500);
    cache.set(2, 0, 0, vector, 200);
    expect(cache.get(2, 0, 0)).toBeUndefined();
    cache.resize(0);
    expect(cache.size).toBe(0);
    cache.set(3, 0, 0, vector, 1);
    expect(cache.get(3, 0, 0)).toBeUndefined();
  });
});

describe('scans through the block cache', () => {
  test('a second scan is served from the cache with the same rows, without reading the file', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { blockRows: 100 });
    const def = tableDef('c', [column('a', Types.int4), column('b', Types.text), column('c', Types.float8)]);
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, Array.from({ length: 250 }, (_, i) => [i, i % 7 === 0 ? null : `s${i % 13}`, i / 3])) }]);
    await db.checkpoint();
    const first = emptyScanStats();
    const before = await scanRows(db.snapshot(table.id), { columns: [2, 0, 1], stats: first });
    expect(first).toMatchObject({ cacheHits: 0, cacheMisses: 9 });
    // The segment file is gone: only the cache can answer.
    for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (name.endsWith('.seg')) rmSync(join(dir, name));
    const second = emptyScanStats();
    expect(await scanRows(db.snapshot(table.id), { columns: [1, 0], stats: second })).toEqual(before.map((r) => [r[2], r[1]]));
    expect(second).toMatchObject({ cacheHits: 6, cacheMisses: 0 });
    await db.close();
  });

  test('with the cache off every scan decodes', async () => {
    const saved = blockCache.capacity;
    blockCache.resize(0);
    try {
      const db = await Database.open(tempDataDir(), { blockRows: 100 });
      const def = tableDef('c', [column('a', Types.int4)]);
      const table = await db.createTable(def);
      await db.commit([{ tableId: table.id, batch: batchOf(def, Array.from({ length: 150 }, (_, i) => [i])) }]);
      await db.checkpoint();
      for (let round = 0; round < 2; round++) {
        const stats = emptyScanStats();
        await scanRows(db.snapshot(table.id), { columns: [0], stats });
        expect(stats).toMatchObject({ cacheHits: 0, cacheMisses: 2 });
      }
      await db.close();
    } finally {
      blockCache.resize(saved);
    }
  });
});
