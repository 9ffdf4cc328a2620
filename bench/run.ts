/**
 * `npm run bench`: parses the command line, runs the benchmark (benchmark.ts), prints the
 * results and, for large runs or with --results, writes them as Markdown. Exits 1 when a peer
 * failed to start or load, 2 on a usage error.
 */
import { resolve } from 'node:path';
import { repoRoot } from '../test/support/server.js';
import { runBenchmark } from './benchmark.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './options.js';
import { BENCH_QUERIES } from './queries.js';
import { renderReport } from './report.js';
import { writeQueryResults } from './results-file.js';

const started = performance.now();
function log(line: string): void {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const filter = options.queryFilter;
  const queries = filter === null ? BENCH_QUERIES : BENCH_QUERIES.filter((q) => filter.test(q.name));
  if (queries.length === 0) {
    console.error(`no query name matches ${String(filter)}`);
    return 2;
  }
  const run = await runBenchmark(options, `npm run bench -- ${argv.join(' ')}`.trim(), log, queries);
  const report = renderReport(run);
  console.log(`\n${report}`);
  if (options.resultsPath !== null) {
    const path = resolve(repoRoot, options.resultsPath);
    writeQueryResults(path, report);
    log(`results written to ${path}`);
  }
  return run.peers.some((p) => p.failure !== null) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
