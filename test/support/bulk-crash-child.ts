/**
 * Child process of the bulk-load crash test: runs bulk loads one after another into table
 * "loads", printing `ack <load> <rows>` after each commit() resolves, while a second task commits
 * single rows to table "pings" through the WAL and checkpoints run often, until it is killed.
 *
 *   node bulk-crash-child.js <dataDir> <firstLoad> <mode>
 *
 * mode "loads": loads of 3,000 to 12,000 rows, forever. mode "hold": one load of 12,000 rows that
 * is appended (its staged rows written to files, `staged` printed) but never committed.
 * Load n's rows are (n, seq 0..k-1, label "n:seq"), so the parent can check all-or-nothing.
 */
import { Database } from '../../storage/database.js';
import type { TableDef } from '../../storage/table-def.js';
import { Types } from '../../storage/types.js';
import { makeBatch, vectorFromValues } from '../../storage/vector.js';
import { bulkCrashRows } from './bulk-crash-workload.js';

const common = { schema: 'public', primaryKey: null, unique: [], options: {} };
const loadColumns = [
  { name: 'load', type: Types.int4, notNull: true, defaultSql: null },
  { name: 'seq', type: Types.int4, notNull: true, defaultSql: null },
  { name: 'label', type: Types.text, notNull: false, defaultSql: null },
];
const pingColumns = [{ name: 'n', type: Types.int4, notNull: true, defaultSql: null }];

async function tableNamed(db: Database, name: string, def: Omit<TableDef, 'id' | 'name'>): Promise<TableDef> {
  return db.listTables().find((t) => t.name === name) ?? (await db.createTable({ ...def, name }));
}

function batchOf(load: number, from: number, to: number) {
  const seq = Array.from({ length: to - from }, (_, i) => from + i);
  return makeBatch([
    vectorFromValues(Types.int4, Array(seq.length).fill(load)),
    vectorFromValues(Types.int4, seq),
    vectorFromValues(Types.text, seq.map((s) => `${load}:${s}`)),
  ]);
}

async function runLoad(db: Database, tableId: number, load: number, rows: number, commit: boolean): Promise<void> {
  const bulk = db.bulkLoad(tableId);
  // Rows in reverse order of seq, so each spill really sorts.
  for (let end = rows; end > 0; end -= 1000) await bulk.append(batchOf(load, Math.max(0, end - 1000), end));
  if (!commit) {
    process.stdout.write(`staged ${bulk.filesWritten}\n`);
    return;
  }
  const committed = await bulk.commit();
  // Writes to a pipe are synchronous on Linux: once this returns, the parent can read it.
  process.stdout.write(`ack ${load} ${committed}\n`);
}

async function main(): Promise<void> {
  const [dataDir, first, mode] = process.argv.slice(2);
  if (dataDir === undefined || mode === undefined) throw new Error('usage: bulk-crash-child <dataDir> <firstLoad> <mode>');
  const db = await Database.open(dataDir, {
    flushRowThreshold: 300,
    flushIntervalMs: 30,
    blockRows: 512,
    bulkLoad: { stageRows: 2500, smallLoadRows: 1000 },
  });
  const loads = await tableNamed(db, 'loads', { ...common, columns: loadColumns, partitionKey: 1, partitionCount: 3, sortKey: [1] });
  const pings = await tableNamed(db, 'pings', { ...common, columns: pingColumns, partitionKey: null, partitionCount: 1, sortKey: [] });
  process.stdout.write('ready\n');
  let ping = Number(first);
  const pinger = async () => {
    for (;;) await db.commit([{ tableId: pings.id, batch: makeBatch([vectorFromValues(Types.int4, [ping++])]) }]);
  };
  void pinger();
  if (mode === 'hold') {
    await runLoad(db, loads.id, Number(first), 12_000, false);
    await new Promise(() => undefined); // wait to be killed
  }
  for (let load = Number(first); ; load++) await runLoad(db, loads.id, load, bulkCrashRows(load), true);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
