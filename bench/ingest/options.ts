/** Command line of `npm run bench:ingest`. */
import { DbError } from '../../storage/errors.js';
import { DEFAULT_RESULTS_PATH } from '../options.js';
import { flagsOf, parseCount, parsePositive } from '../cli-args.js';
import type { PeerName } from '../peers/peer.js';

/** The measurements, in the order they run. */
export type WorkloadName = 'copy' | 'http' | 'insert' | 'single' | 'idle' | 'visibility' | 'burst';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['copy', 'http', 'insert', 'single', 'idle', 'visibility', 'burst'];

export interface IngestOptions {
  /** Rows of each bulk load (COPY, JSON-lines, multi-row INSERT). */
  readonly rows: number;
  readonly peers: readonly PeerName[];
  readonly workloads: readonly WorkloadName[];
  /** Length of each timed phase: the 50-connection run, and each half of the burst. */
  readonly seconds: number;
  /** Serial INSERTs timed idle, and markers of the visibility check. */
  readonly samples: number;
  readonly seed: number;
  /** Connections of the COPY, each streaming its own part of the file. */
  readonly copyConnections: number;
  /** Lines per HTTP request body and concurrent HTTP clients. */
  readonly httpLines: number;
  readonly httpClients: number;
  /** Rows per multi-row INSERT and its connections. */
  readonly batchRows: number;
  readonly insertConnections: number;
  /** Connections of the single-row INSERT run. */
  readonly singleConnections: number;
  /** Rows/s before the burst; the burst offers ten times as many. */
  readonly burstRate: number;
  readonly resultsPath: string | null;
  /** A workload still running after this long fails, and that database's run ends. */
  readonly timeoutSeconds: number;
  /** Where Eventide's server writes its CPU profiles (node --cpu-prof), or null for none. */
  readonly profileDir: string | null;
}

export const BURST_FACTOR = 10;
/** Eventide first, then the servers it is compared with over the wire, then DuckDB in process. */
export const INGEST_PEERS: readonly PeerName[] = ['eventide', 'postgres', 'duckdb'];
/** Runs this large or larger write the results file unless told otherwise. */
const RESULTS_MIN_ROWS = 1_000_000;
/** PostgreSQL's limit on parameters of one statement, over the 14 events columns. */
const MAX_BATCH_ROWS = Math.floor(65_535 / 14);

export const INGEST_USAGE = `usage: npm run bench:ingest -- [options]
  --rows N              rows of each bulk load: COPY, JSON-lines over HTTP, multi-row INSERT (default 10M)
  --peers LIST          comma-separated, of ${INGEST_PEERS.join(', ')} (default all)
  --only LIST           comma-separated, of ${WORKLOAD_NAMES.join(', ')} (default all)
  --seconds N           length of the 50-connection run and of each half of the burst (default 10)
  --samples N           serial INSERTs timed idle; markers of the visibility check (default 1000)
  --seed N              generator seed (default 1)
  --copy-connections N  COPY connections, each streaming a part of the CSV file (default 1)
  --http-lines N        JSON lines per HTTP request (default 50000)
  --http-clients N      concurrent HTTP clients (default 4)
  --batch-rows N        rows per multi-row INSERT (default 1000, at most ${MAX_BATCH_ROWS})
  --insert-connections N  connections of the multi-row INSERT and of the burst (default 4)
  --single-connections N  connections of the single-row INSERT run (default 50)
  --burst-rate N        rows/s offered before the burst; the burst offers ${BURST_FACTOR}x (default 10000)
  --results PATH        write the ingest section of PATH (default ${DEFAULT_RESULTS_PATH} for
                        ${RESULTS_MIN_ROWS.toLocaleString('en-US')} rows or more)
  --no-results          print the results only
  --timeout N           seconds a workload may take before it counts as failed (default 3600)
  --profile DIR         run Eventide's server under node --cpu-prof, keep the profiles in a new
                        directory in DIR, and list where its CPU went (best with --only one workload)
  --smoke               the quick check: --rows 20000 --seconds 1 --samples 50 --burst-rate 2000 --timeout 120
  --help`;

function usageError(message: string): DbError {
  return new DbError('22023', `${message}\n${INGEST_USAGE}`);
}

function positive(name: string, text: string): number {
  return parsePositive(name, text, usageError);
}

function list<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const names = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) throw usageError(`${flag}: unknown name "${name}" (one of ${allowed.join(', ')})`);
  }
  if (names.length === 0) throw usageError(`${flag} needs at least one name`);
  // Kept in the canonical order whatever order they were given in.
  return allowed.filter((name) => names.includes(name));
}

/** Parses argv (without node and script); throws DbError 22023 with the usage on a mistake, or `help`. */
export function parseIngestOptions(argv: readonly string[]): IngestOptions | 'help' {
  const o = {
    rows: 10_000_000,
    peers: [...INGEST_PEERS],
    workloads: [...WORKLOAD_NAMES] as WorkloadName[],
    seconds: 10,
    samples: 1_000,
    seed: 1,
    copyConnections: 1,
    httpLines: 50_000,
    httpClients: 4,
    batchRows: 1_000,
    insertConnections: 4,
    singleConnections: 50,
    burstRate: 10_000,
    resultsPath: undefined as string | null | undefined,
    profileDir: null as string | null,
    timeoutSeconds: 3_600,
  };
  for (const { arg, flag, value } of flagsOf(argv, usageError)) {
    switch (flag) {
      case '--rows':
        o.rows = positive(flag, value());
        break;
      case '--peers':
        o.peers = list(flag, value(), INGEST_PEERS);
        break;
      case '--only':
        o.workloads = list(flag, value(), WORKLOAD_NAMES);
        break;
      case '--seconds':
        o.seconds = positive(flag, value());
        break;
      case '--samples':
        o.samples = positive(flag, value());
        break;
      case '--seed':
        o.seed = parseCount(flag, value(), usageError);
        break;
      case '--copy-connections':
        o.copyConnections = positive(flag, value());
        break;
      case '--http-lines':
        o.httpLines = positive(flag, value());
        break;
      case '--http-clients':
        o.httpClients = positive(flag, value());
        break;
      case '--batch-rows':
        o.batchRows = positive(flag, value());
        break;
      case '--insert-connections':
        o.insertConnections = positive(flag, value());
        break;
      case '--single-connections':
        o.singleConnections = positive(flag, value());
        break;
      case '--burst-rate':
        o.burstRate = positive(flag, value());
        break;
      case '--results':
        o.resultsPath = value();
        break;
      case '--timeout':
        o.timeoutSeconds = positive(flag, value());
        break;
      case '--profile':
        o.profileDir = value();
        break;
      case '--no-results':
        o.resultsPath = null;
        break;
      case '--smoke':
        o.rows = 20_000;
        o.seconds = 1;
        o.samples = 50;
        o.burstRate = 2_000;
        o.timeoutSeconds = 120;
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw usageError(`unknown option "${arg}"`);
    }
  }
  if (o.batchRows > MAX_BATCH_ROWS) throw usageError(`--batch-rows ${o.batchRows} needs more than 65535 parameters (at most ${MAX_BATCH_ROWS})`);
  const resultsPath = o.resultsPath === undefined ? (o.rows >= RESULTS_MIN_ROWS ? DEFAULT_RESULTS_PATH : null) : o.resultsPath;
  return { ...o, resultsPath };
}
