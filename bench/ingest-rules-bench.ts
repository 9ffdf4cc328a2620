/**
 * Rows per second through the ingest rules (bot filtering) on 64K-row batches, in process:
 * `npm run build && node dist/bench/ingest-rules-bench.js [seconds per case]`. A pool of 5,000
 * distinct user agents (3 % crawlers), 200,000 users; user agents as plain strings and as
 * dictionary-coded vectors (as segments and COPY may hand them over).
 */
import { IngestRules } from '../src/ingest/rules.js';
import { readCrawlerList } from '../src/ingest/crawler-list.js';
import type { ColumnDef, TableDef } from '../storage/table-def.js';
import { Types } from '../storage/types.js';
import { dictionaryVector, type Batch, type Vector } from '../storage/vector.js';

const rowsPerBatch = 65_536;
const secondsPerCase = Number(process.argv[2] ?? 1);

const columns: ColumnDef[] = [
  { name: 'user_id', type: Types.int8, notNull: false, defaultSql: null },
  { name: 'user_agent', type: Types.text, notNull: false, defaultSql: null },
  { name: 'is_bot', type: Types.bool, notNull: false, defaultSql: null },
];

function table(id: number, options: Record<string, string>): TableDef {
  return { id, schema: 'public', name: `t${id}`, columns, partitionKey: null, partitionCount: 1, sortKey: [], primaryKey: null, unique: [], options };
}

/** A deterministic pseudo-random generator (xorshift32). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function agentPool(next: () => number): string[] {
  const crawlers = readCrawlerList().flatMap((e) => e.instances ?? []);
  const browsers = ['Chrome', 'Firefox', 'Safari', 'Edg'];
  return Array.from({ length: 5000 }, (_, i) =>
    next() < 0.03
      ? (crawlers[Math.floor(next() * crawlers.length)] as string)
      : `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ${browsers[i % 4]}/${100 + (i % 40)}.0.${i}.0 Safari/537.36`,
  );
}

function batches(dictionary: boolean): Batch[] {
  const next = random(42);
  const pool = agentPool(next);
  return Array.from({ length: 8 }, () => {
    const users = new BigInt64Array(rowsPerBatch);
    const codes = new Int32Array(rowsPerBatch);
    for (let i = 0; i < rowsPerBatch; i++) {
      users[i] = BigInt(Math.floor(next() * 200_000));
      codes[i] = Math.floor(next() * pool.length);
    }
    const agents: Vector = dictionary
      ? dictionaryVector(Types.text, null, pool, codes)
      : { kind: 'string', type: Types.text, length: rowsPerBatch, values: Array.from(codes, (c) => pool[c] as string), validity: null };
    return {
      length: rowsPerBatch,
      columns: [
        { kind: 'fixed', type: Types.int8, length: rowsPerBatch, values: users, validity: null },
        agents,
        { kind: 'fixed', type: Types.bool, length: rowsPerBatch, values: new Uint8Array(rowsPerBatch), validity: null },
      ],
      selection: null,
    };
  });
}

function measure(name: string, options: Record<string, string>, input: Batch[]): void {
  const rules = new IngestRules();
  const t = table(1, options);
  // Warm up: compile the matcher, fill its cache of distinct user agents.
  for (const b of input) rules.apply(t, b);
  let rows = 0;
  let flagged = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < secondsPerCase * 1000) {
    for (const b of input) {
      const out = rules.apply(t, b);
      rows += b.length;
      if (out !== b) flagged++;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // CPU seconds too: on a shared, loaded machine the wall clock says little about the code.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (s: number) => (rows / s / 1e6).toFixed(1).padStart(7);
  console.log(`${name.padEnd(36)} ${rate(seconds)} M rows/s wall, ${rate(cpuSeconds)} M rows per CPU second  (${flagged > 0 ? 'flags set' : 'nothing flagged'})`);
}

const plain = batches(false);
const coded = batches(true);
measure('no rules (the same batch back)', {}, plain);
measure('user agent, plain strings', { bot_filter: 'on' }, plain);
measure('user agent, dictionary-coded', { bot_filter: 'on' }, coded);
measure('rate 50/s per user_id', { bot_filter: 'on', bot_user_agent_column: '', bot_rate_limit: '50' }, plain);
measure('user agent + rate, plain strings', { bot_filter: 'on', bot_rate_limit: '50' }, plain);
