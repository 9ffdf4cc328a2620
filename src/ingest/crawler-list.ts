/**
 * The crawler user-agent list shipped with Eventide: crawler-user-agents.json beside this file, the
 * MIT-licensed list maintained at github.com/monperrus/crawler-user-agents (licence beside it).
 * Read and compiled once, on first use by a table with bot_filter on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserAgentMatcher } from './user-agent-matcher.js';

export interface CrawlerEntry {
  readonly pattern: string;
  readonly url?: string;
  readonly instances?: readonly string[];
}

/** In the source tree: the JSON is not compiled, so code running from dist/ reads it from src/. */
export const crawlerListPath = join(
  import.meta.dirname.includes('/dist/') ? join(import.meta.dirname, '..', '..', '..', 'src', 'ingest') : import.meta.dirname,
  'crawler-user-agents.json',
);

export function readCrawlerList(path = crawlerListPath): CrawlerEntry[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${path}: expected an array of crawler entries`);
  return parsed.map((entry: unknown, i) => {
    const pattern = (entry as { pattern?: unknown } | null)?.pattern;
    if (typeof pattern !== 'string' || pattern === '') throw new Error(`${path}: entry ${i} has no pattern`);
    return entry as CrawlerEntry;
  });
}

let shared: UserAgentMatcher | null = null;

/** The matcher over the shipped list, shared by every table (its cache of results too). */
export function crawlerMatcher(): UserAgentMatcher {
  shared ??= new UserAgentMatcher(readCrawlerList().map((e) => e.pattern));
  return shared;
}
