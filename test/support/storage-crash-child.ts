/**
 * Child process of the storage crash test: commits numbered batches to two tables from several
 * concurrent committers, printing `ack <n>` after each commit resolves, until it is killed.
 *
 *   node storage-crash-child.js <dataDir> <firstBatch> <committers>
 *
 * Batch n writes rowsInA(n) rows to table "a" (hash partitioned, several partitions) and 2 rows to
 * table "b" (round-robin) in one commit, so the parent can check all-or-nothing across tables and
 * partitions. Checkpoints run often (tiny thresholds) so kills land in flushes too.
 */
import { Database } from '../../storage/database.js';
import type { TableDef } from '../../storage/table-def.js';
import { Types } from '../../storage/types.js';
import { makeBatch, vectorFromValues } from '../../storage/vector.js';
import { rowsInA } from './storage-crash-workload.js';

const columnsA = [
  { name: 'batch', type: Types.int4, notNull: true, defaultSql: null },
  { name: 'user_id', type: Types.int8, notNull: true, defaultSql: null },
  { name: 'label', type: Types.text, notNull: false, defaultSql: null },
];
const columnsB = [
  { name: 'batch', type: Types.int4, notNull: true, defaultSql: null },
  { name: 'at', type: Types.timestamp, notNull: false, defaultSql: null },
];

async function tableNamed(db: Database, name: string, def: Omit<TableDef, 'id' | 'name'>): Promise<TableDef> {
  return db.listTables().find((t) => t.name === name) ?? (await db.createTable({ ...def, name }));
}

const common = { schema: 'public', primaryKey: null, unique: [], options: {} };

async function main(): Promise<void> {
  const [dataDir, first, committers] = process.argv.slice(2);
  if (dataDir === undefined) throw new Error('usage: storage-crash-child <dataDir> <firstBatch> <committers>');
  const db = await Database.open(dataDir, { flushRowThreshold: 400, flushIntervalMs: 40, blockRows: 64 });
  const a = await tableNamed(db, 'a', { ...common, columns: columnsA, partitionKey: 1, partitionCount: 4, sortKey: [1] });
  const b = await tableNamed(db, 'b', { ...common, columns: columnsB, partitionKey: null, partitionCount: 2, sortKey: [1] });
  process.stdout.write('ready\n');
  let next = Number(first);
  const worker = async () => {
    for (;;) {
      const batch = next++;
      const n = rowsInA(batch);
      const batchA = makeBatch([
        vectorFromValues(Types.int4, Array(n).fill(batch)),
        vectorFromValues(Types.int8, Array.from({ length: n }, (_, i) => BigInt(batch * 7 + i))),
        vectorFromValues(Types.text, Array.from({ length: n }, (_, i) => (i === 0 ? null : `batch ${batch} row ${i}`))),
      ]);
      const batchB = makeBatch([vectorFromValues(Types.int4, [batch, batch]), vectorFromValues(Types.timestamp, [batch * 1e6, null])]);
      await db.commit([
        { tableId: a.id, batch: batchA },
        { tableId: b.id, batch: batchB },
      ]);
      // Writes to a pipe are synchronous on Linux: once this returns, the parent can read it.
      process.stdout.write(`ack ${batch}\n`);
    }
  };
  await Promise.all(Array.from({ length: Number(committers) }, worker));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
