/**
 * `npm run bench:ingest`: parses the command line, runs the ingest benchmark (benchmark.ts),
 * prints the results and, for runs of 1M rows or more or with --results, writes them as the
 * ingest section of bench/RESULTS.md. Exits 1 when a database failed to start or a workload
 * failed (a feature not supported yet is not a failure), 2 on a usage error.
 */
import { resolve } from 'node:path';
import { repoRoot } from '../../test/support/server.js';
import { writeIngestResults } from '../results-file.js';
import { runIngestBenchmark } from './benchmark.js';
import { INGEST_USAGE, parseIngestOptions, type IngestOptions } from './options.js';
import { renderIngestReport } from './report.js';

const started = performance.now();
function log(line: string): void {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

async function main(argv: readonly string[]): Promise<number> {
  let options: IngestOptions | 'help';
  try {
    options = parseIngestOptions(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options === 'help') {
    console.log(INGEST_USAGE);
    return 0;
  }
  const run = await runIngestBenchmark(options, `npm run bench:ingest -- ${argv.join(' ')}`.trim(), log);
  const report = renderIngestReport(run);
  console.log(`\n${report}`);
  if (options.resultsPath !== null) {
    const path = resolve(repoRoot, options.resultsPath);
    writeIngestResults(path, report);
    log(`results written to the ingest section of ${path}`);
  }
  const failed = run.peers.some((p) => p.failure !== null || p.measurements.some((m) => m.outcome === 'failed'));
  return failed ? 1 : 0;
}

// Exits rather than waiting for the event loop to empty: a workload abandoned at its timeout may
// hold a socket or a file open. (Writes to stdout are synchronous for files and pipes on Linux.)
process.exit(await main(process.argv.slice(2)));
