/**
 * Storage engine micro-benchmarks, straight against storage/ (no SQL, no wire):
 *   serial single-row commits/s, 50 concurrent committers' commits/s (group commit),
 *   bulk commits of 1000-row event batches (rows/s), checkpoint (rows/s, bytes on disk),
 *   scans from segments (rows/s), a time-range scan pruned by zone maps, WAL replay at restart.
 *
 *   npm run build && node dist/bench/storage-bench.js [rows=1000000]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, emptyScanStats } from '../storage/database.js';
import type { TableDef } from '../storage/table-def.js';
import { Types } from '../storage/types.js';
import { type Batch, makeBatch, sliceBatch, vectorFromValues } from '../storage/vector.js';
import { eventsChunkToBatch } from './events-batch.js';
import { EventsGenerator } from './events-generator.js';
import { EVENTS_COLUMNS } from './events-schema.js';
import { machineInfo } from './machine.js';

const totalRows = Number(process.argv[2] ?? 1_000_000);
const common = { schema: 'public', primaryKey: null, unique: [], options: {} };

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function diskBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const report: Record<string, string> = {};
function record(name: string, value: string): void {
  report[name] = value;
  console.log(`${name.padEnd(44)} ${value}`);
}
const perSecond = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}/s`;

async function commitBenchmarks(dir: string): Promise<void> {
  const db = await Database.open(dir, { flushIntervalMs: 0 });
  const def: Omit<TableDef, 'id'> = {
    ...common,
    name: 'small',
    columns: [
      { name: 'id', type: Types.int8, notNull: true, defaultSql: null },
      { name: 'name', type: Types.text, notNull: false, defaultSql: null },
    ],
    partitionKey: 0,
    partitionCount: 8,
    sortKey: [0],
  };
  const table = await db.createTable(def);
  const row = (i: number): Batch =>
    makeBatch([vectorFromValues(Types.int8, [BigInt(i)]), vectorFromValues(Types.text, [`event number ${i}`])]);

  const serial = 2000;
  let start = process.hrtime.bigint();
  for (let i = 0; i < serial; i++) await db.commit([{ tableId: table.id, batch: row(i) }]);
  record('serial single-row commits', perSecond(serial, seconds(start)));

  const committers = 50;
  const each = 200;
  const before = { ...db.walStats };
  start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: committers }, async (_, c) => {
      for (let i = 0; i < each; i++) await db.commit([{ tableId: table.id, batch: row(c * each + i) }]);
    }),
  );
  const elapsed = seconds(start);
  const groups = db.walStats.groups - before.groups;
  record(`${committers} concurrent committers, single-row`, perSecond(committers * each, elapsed));
  record('  records per fsync', ((committers * each) / groups).toFixed(1));
  await db.close({ checkpoint: false });
}

async function eventsBenchmarks(dir: string): Promise<void> {
  const generator = new EventsGenerator({ rows: totalRows, chunkRows: 65_536 });
  const batches: Batch[] = [];
  for (const chunk of generator.chunks()) {
    const batch = eventsChunkToBatch(chunk);
    for (let s = 0; s < batch.length; s += 1000) batches.push(sliceBatch(batch, s, Math.min(batch.length, s + 1000)));
  }
  const db = await Database.open(dir, { flushIntervalMs: 0, flushRowThreshold: Number.POSITIVE_INFINITY });
  const timeColumn = EVENTS_COLUMNS.findIndex((c) => c.name === 'event_time');
  const table = await db.createTable({
    ...common,
    name: 'events',
    columns: EVENTS_COLUMNS.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull, defaultSql: null })),
    partitionKey: EVENTS_COLUMNS.findIndex((c) => c.name === 'user_id'),
    partitionCount: 8,
    sortKey: [timeColumn],
  });

  let start = process.hrtime.bigint();
  for (const batch of batches) await db.commit([{ tableId: table.id, batch }]);
  let elapsed = seconds(start);
  const walBytes = diskBytes(join(dir, 'wal'));
  record('bulk commits, 1000-row event batches', `${perSecond(totalRows, elapsed)} (${(walBytes / 2 ** 20 / elapsed).toFixed(0)} MB/s WAL)`);

  start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 4 }, async (_, c) => {
      for (let i = c; i < Math.min(batches.length, 400); i += 4) await db.commit([{ tableId: table.id, batch: batches[i]! }]);
    }),
  );
  elapsed = seconds(start);
  record('bulk commits, 4 concurrent committers', perSecond(Math.min(batches.length, 400) * 1000, elapsed));
  await db.close({ checkpoint: false });

  start = process.hrtime.bigint();
  const reopened = await Database.open(dir, { flushIntervalMs: 0, flushRowThreshold: Number.POSITIVE_INFINITY });
  elapsed = seconds(start);
  record('restart: WAL replay', perSecond(reopened.recovery.replayedRows, elapsed));

  const tailRows = reopened.pendingTailRows;
  start = process.hrtime.bigint();
  await reopened.checkpoint();
  elapsed = seconds(start);
  const segmentBytes = diskBytes(join(dir, 'tables'));
  record('checkpoint (sort, encode, compress, fsync)', perSecond(tailRows, elapsed));
  record('  bytes per row: WAL / segments', `${(walBytes / totalRows).toFixed(1)} / ${(segmentBytes / tailRows).toFixed(1)}`);

  const snapshot = reopened.snapshot(table.id);
  const all = EVENTS_COLUMNS.map((_, i) => i);
  for (const [label, columns] of [
    ['scan from segments, all 14 columns', all],
    ['scan from segments, event_time only', [timeColumn]],
    ['scan from segments, event_type + user_id', ['event_type', 'user_id'].map((n) => EVENTS_COLUMNS.findIndex((c) => c.name === n))],
  ] as const) {
    start = process.hrtime.bigint();
    let rows = 0;
    for await (const batch of snapshot.scan({ columns })) rows += batch.length;
    record(label, perSecond(rows, seconds(start)));
  }

  const day = 86_400e6;
  const lower = 1_718_000_000e6;
  const stats = emptyScanStats();
  start = process.hrtime.bigint();
  let rows = 0;
  for await (const batch of snapshot.scan({
    columns: all,
    ranges: [{ column: timeColumn, lower: { value: lower, inclusive: true }, upper: { value: lower + day, inclusive: false } }],
    stats,
  })) {
    rows += batch.length;
  }
  record('one-day range scan, all columns', `${(seconds(start) * 1000).toFixed(1)} ms, ${stats.blocksSkipped}/${stats.blocks} blocks skipped, ${rows} rows read`);
  await reopened.close();
}

async function main(): Promise<void> {
  console.log(JSON.stringify(machineInfo()));
  console.log(`rows: ${totalRows}`);
  const dir = mkdtempSync(join(tmpdir(), 'eventide-storage-bench-'));
  try {
    await commitBenchmarks(join(dir, 'commits'));
    await eventsBenchmarks(join(dir, 'events'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
