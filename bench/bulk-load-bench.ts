/**
 * Bulk load against commit()+checkpoint for the events schema, straight against storage/:
 *   database.bulkLoad(events): append 65,536-row batches, commit (rows/s, peak RSS)
 *   the same batches through commit() and one checkpoint (rows/s)
 *   writeSegment alone on one sorted partition's worth of rows, per phase (sort, encode+write)
 *
 *   npm run build && node dist/bench/bulk-load-bench.js [rows=1000000] [only=bulk|commit|segment]
 *   node --cpu-prof dist/bench/bulk-load-bench.js 1000000 segment      (profile writeSegment)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../storage/database.js';
import { realFileSystem } from '../storage/file-system.js';
import { writeSegment } from '../storage/segment-writer.js';
import { sortPermutation } from '../storage/sort-permutation.js';
import type { TableDef } from '../storage/table-def.js';
import { type Batch, type Vector } from '../storage/vector.js';
import { PartitionTail } from '../storage/tail.js';
import { eventsChunkToBatch } from './events-batch.js';
import { EventsGenerator } from './events-generator.js';
import { EVENTS_COLUMNS } from './events-schema.js';
import { machineInfo } from './machine.js';

const totalRows = Number(process.argv[2] ?? 1_000_000);
const only = process.argv[3] ?? 'all';
const common = { schema: 'public', primaryKey: null, unique: [], options: {} };
const timeColumn = EVENTS_COLUMNS.findIndex((c) => c.name === 'event_time');
const eventsDef: Omit<TableDef, 'id'> = {
  ...common,
  name: 'events',
  columns: EVENTS_COLUMNS.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull, defaultSql: null })),
  partitionKey: EVENTS_COLUMNS.findIndex((c) => c.name === 'user_id'),
  partitionCount: 8,
  sortKey: [timeColumn],
};

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
/** CPU seconds of this process since the last call: on a shared, loaded machine wall time lies. */
let cpuMark = process.cpuUsage();
function cpuSeconds(): number {
  const used = process.cpuUsage(cpuMark);
  cpuMark = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}
/** Call right when the measured work ends: it reads the CPU time too. */
const perSecond = (n: number, s: number) => {
  const cpu = cpuSeconds();
  return `${Math.round(n / s).toLocaleString('en-US')} rows/s wall (${s.toFixed(2)} s), ${Math.round(n / cpu).toLocaleString('en-US')} rows/CPU-s (${cpu.toFixed(2)} s)`;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function batches(): Batch[] {
  const out: Batch[] = [];
  for (const chunk of new EventsGenerator({ rows: totalRows, chunkRows: 65_536 }).chunks()) out.push(eventsChunkToBatch(chunk));
  return out;
}

async function bulk(dir: string, input: readonly Batch[]): Promise<void> {
  const db = await Database.open(dir, { flushIntervalMs: 0, flushRowThreshold: Number.POSITIVE_INFINITY });
  const table = await db.createTable(eventsDef);
  let peak = process.memoryUsage().rss;
  cpuSeconds();
  const start = process.hrtime.bigint();
  const load = db.bulkLoad(table.id);
  for (const batch of input) {
    await load.append(batch);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const rows = await load.commit();
  const rate = perSecond(rows, seconds(start));
  console.log(`bulkLoad append+commit             ${rate}, ${load.filesWritten} files, peak RSS ${mib(peak)}`);
  await db.close();
}

async function commitAndCheckpoint(dir: string, input: readonly Batch[]): Promise<void> {
  const db = await Database.open(dir, { flushIntervalMs: 0, flushRowThreshold: Number.POSITIVE_INFINITY });
  const table = await db.createTable(eventsDef);
  cpuSeconds();
  const start = process.hrtime.bigint();
  for (const batch of input) await db.commit([{ tableId: table.id, batch }]);
  const committed = seconds(start);
  await db.checkpoint();
  const elapsed = seconds(start);
  console.log(`commit() then checkpoint           ${perSecond(totalRows, elapsed)}; wall: commits ${committed.toFixed(2)} s, checkpoint ${(elapsed - committed).toFixed(2)} s`);
  await db.close();
}

/** One segment of all rows (as one partition's spill would be): sort, then encode and write. */
async function segmentOnly(dir: string, input: readonly Batch[]): Promise<void> {
  const tail = new PartitionTail(eventsDef.columns.map((c) => c.type));
  for (const batch of input) tail.append(batch.columns, null, 0, batch.length);
  const rows = tail.committedRows;
  const vectors: Vector[] = tail.columns.map((c) => c.view(0, rows));
  cpuSeconds();
  let start = process.hrtime.bigint();
  const permutation = await sortPermutation(vectors, eventsDef.sortKey, rows);
  const sorted = perSecond(rows, seconds(start));
  start = process.hrtime.bigint();
  const written = await writeSegment(realFileSystem, join(dir, 'one.seg'), eventsDef.columns, vectors, permutation, rows, 65_536);
  const wrote = perSecond(rows, seconds(start));
  console.log(`sortPermutation                    ${sorted}`);
  console.log(`writeSegment (encode, LZ4, fsync)  ${wrote}, ${(written.bytes / rows).toFixed(1)} bytes/row`);
}

async function main(): Promise<void> {
  console.log(JSON.stringify(machineInfo()));
  console.log(`rows: ${totalRows}`);
  const input = batches();
  const dir = mkdtempSync(join(tmpdir(), 'eventide-bulk-bench-'));
  try {
    if (only === 'all' || only === 'segment') await segmentOnly(dir, input);
    if (only === 'all' || only === 'bulk') await bulk(join(dir, 'bulk'), input);
    if (only === 'all' || only === 'commit') await commitAndCheckpoint(join(dir, 'commit'), input);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
