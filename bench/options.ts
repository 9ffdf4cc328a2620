/** Command line of `npm run bench`. */
import { flagsOf, parseCount as parseCountWith, parsePositive } from './cli-args.js';
import { DbError } from '../storage/errors.js';
import { EVENTS_COLUMNS } from './events-schema.js';
import { PEER_NAMES, type PeerName } from './peers/peer.js';
import { LOAD_METHODS, type LoadMethod } from './wire-loader.js';

export interface BenchOptions {
  readonly rows: number;
  readonly peers: readonly PeerName[];
  readonly repeat: number;
  readonly seed: number;
  readonly loadMethod: LoadMethod;
  readonly connections: number;
  readonly batchRows: number;
  readonly partitions: number;
  /** Where to write the results as Markdown, or null for the console only. */
  readonly resultsPath: string | null;
  /** Only the queries whose name matches (case-insensitive), or null for the whole workload. */
  readonly queryFilter: RegExp | null;
}

export const DEFAULT_RESULTS_PATH = 'bench/RESULTS.md';
/** Runs this large or larger write the results file unless told otherwise. */
const RESULTS_MIN_ROWS = 1_000_000;
/** PostgreSQL's limit on parameters of one statement. */
const MAX_PARAMETERS = 65_535;

export const USAGE = `usage: npm run bench -- [options]
  --rows N            events to generate and load (default 10000000; 20k, 1.5M, 10_000_000 accepted)
  --peers LIST        comma-separated, of ${PEER_NAMES.join(', ')} (default all)
  --repeat N          timed runs of each query after one warm-up (default 5)
  --seed N            generator seed (default 1)
  --load METHOD       how Eventide is loaded: ${LOAD_METHODS.join(' or ')} (default insert)
  --connections N     concurrent loading connections (default 4)
  --batch-rows N      rows per INSERT statement (default 1000)
  --partitions N      hash partitions of Eventide's events table (default 8)
  --results PATH      write the results as Markdown to PATH (default ${DEFAULT_RESULTS_PATH} for
                      ${RESULTS_MIN_ROWS.toLocaleString('en-US')} rows or more)
  --no-results        print the results only
  --queries REGEX     only the queries whose name matches (case-insensitive), e.g. 'percentile|count by'
  --smoke             the quick check: --rows 20000 --repeat 1
  --help`;

function usageError(message: string): DbError {
  return new DbError('22023', `${message}\n${USAGE}`);
}

/** 20000, 20_000, 20k, 1.5M. */
export function parseCount(name: string, text: string): number {
  return parseCountWith(name, text, usageError);
}

function positive(name: string, text: string): number {
  return parsePositive(name, text, usageError);
}

/** Parses argv (without node and script); throws DbError 22023 with the usage on a mistake, or `help`. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  let rows = 10_000_000;
  let peers: PeerName[] = [...PEER_NAMES];
  let repeat = 5;
  let seed = 1;
  let loadMethod: LoadMethod = 'insert';
  let connections = 4;
  let batchRows = 1_000;
  let partitions = 8;
  let resultsPath: string | null | undefined;
  let queryFilter: RegExp | null = null;
  for (const { arg, flag, value } of flagsOf(argv, usageError)) {
    switch (flag) {
      case '--rows':
        rows = parseCount('--rows', value());
        break;
      case '--peers': {
        const names = value().split(',').map((p) => p.trim()).filter((p) => p !== '');
        for (const name of names) {
          if (!(PEER_NAMES as readonly string[]).includes(name)) throw usageError(`unknown peer "${name}"`);
        }
        if (names.length === 0) throw usageError('--peers needs at least one peer');
        peers = [...new Set(names)] as PeerName[];
        break;
      }
      case '--repeat':
        repeat = positive('--repeat', value());
        break;
      case '--seed':
        seed = parseCount('--seed', value());
        break;
      case '--load': {
        const method = value();
        if (!(LOAD_METHODS as readonly string[]).includes(method)) throw usageError(`unknown load method "${method}"`);
        loadMethod = method as LoadMethod;
        break;
      }
      case '--connections':
        connections = positive('--connections', value());
        break;
      case '--batch-rows':
        batchRows = positive('--batch-rows', value());
        break;
      case '--partitions':
        partitions = positive('--partitions', value());
        break;
      case '--results':
        resultsPath = value();
        break;
      case '--no-results':
        resultsPath = null;
        break;
      case '--queries': {
        const pattern = value();
        try {
          queryFilter = new RegExp(pattern, 'i');
        } catch {
          throw usageError(`--queries needs a regular expression, got "${pattern}"`);
        }
        break;
      }
      case '--smoke':
        rows = 20_000;
        repeat = 1;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw usageError(`unknown option "${arg}"`);
    }
  }
  if (batchRows * EVENTS_COLUMNS.length > MAX_PARAMETERS) throw usageError(`--batch-rows ${batchRows} needs more than ${MAX_PARAMETERS} parameters`);
  if (resultsPath === undefined) resultsPath = rows >= RESULTS_MIN_ROWS ? DEFAULT_RESULTS_PATH : null;
  return { rows, peers, repeat, seed, loadMethod, connections, batchRows, partitions, resultsPath, queryFilter };
}
