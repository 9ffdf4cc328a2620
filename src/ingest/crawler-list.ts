/**
 * The crawler user-agent list shipped with Eventide: the npm package crawler-user-agents, the
 * MIT-licensed list maintained at github.com/monperrus/crawler-user-agents (a dependency rather
 * than a copy, so `npm update` brings its new crawlers). Read and compiled once, on first use by a
 * table with bot_filter on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UserAgentMatcher } from './user-agent-matcher.js';

export interface CrawlerEntry {
  readonly pattern: string;
  readonly url?: string;
  readonly instances?: readonly string[];
}

/** The package's JSON file (what require() of it loads). */
export const crawlerListPath = createRequire(import.meta.url).resolve('crawler-user-agents');

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
