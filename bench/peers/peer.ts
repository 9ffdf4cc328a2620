/**
 * A database the benchmark runs: Eventide itself, or a peer it is compared with. Each peer
 * gets the same generated rows and the same query text; results come back as PostgreSQL-style
 * text (null for NULL) so they can be compared across peers.
 */
import type { ResourceProbe } from '../resource-probe.js';
import type { LoadMethod } from '../wire-loader.js';

export type PeerName = 'eventide' | 'duckdb' | 'postgres';
export const PEER_NAMES: readonly PeerName[] = ['eventide', 'duckdb', 'postgres'];

export interface PeerSettings {
  readonly rows: number;
  readonly seed: number;
  /** The generated events as one CSV file (written once for the peers that bulk-load it). */
  readonly csvPath: string;
  /** The generated users as one CSV file, next to the events'. */
  readonly usersCsvPath: string;
  /** How Eventide is loaded over the wire. */
  readonly loadMethod: LoadMethod;
  readonly connections: number;
  readonly batchRows: number;
  /** Eventide's hash partitions. */
  readonly partitions: number;
  /** Progress lines for long steps. */
  readonly log: (line: string) => void;
}

export interface LoadReport {
  /** Events loaded. */
  readonly rows: number;
  /** Time to get the events in. */
  readonly loadMs: number;
  /** Users loaded, after the events, the same way. */
  readonly usersRows: number;
  readonly usersLoadMs: number;
  /** How: e.g. 'INSERT x1000 params, 4 connections' or 'COPY CSV'. */
  readonly method: string;
  /** Follow-up work a user would do before querying (VACUUM ANALYZE, CHECKPOINT), or 0. */
  readonly prepareMs: number;
  readonly prepareWhat: string;
}

export type ResultRow = (string | null)[];

export interface Peer {
  readonly name: PeerName;
  /** Starts the database and creates the events and users tables. */
  setup(): Promise<void>;
  /** Memory and CPU of the peer's processes (after setup). */
  resources(): ResourceProbe;
  /** Version string for the report. */
  version(): Promise<string>;
  load(): Promise<LoadReport>;
  query(sql: string): Promise<ResultRow[]>;
  checkpoint(): Promise<void>;
  /** Bytes the events and users tables take on disk. */
  diskBytes(): Promise<number>;
  close(): Promise<void>;
}
