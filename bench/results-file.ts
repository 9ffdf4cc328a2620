/**
 * bench/RESULTS.md holds two reports: the query benchmark's, then the ingest benchmark's after a
 * marker line. Each benchmark rewrites its own part and keeps the other's as it is.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const INGEST_MARKER = '<!-- ingest benchmark (npm run bench:ingest) below this line -->';

function parts(path: string): { queries: string; ingest: string } {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const at = text.indexOf(INGEST_MARKER);
  return at < 0 ? { queries: text, ingest: '' } : { queries: text.slice(0, at), ingest: text.slice(at + INGEST_MARKER.length).replace(/^\n+/, '') };
}

function join(queries: string, ingest: string): string {
  if (ingest === '') return queries;
  if (queries.trim() === '') return `${INGEST_MARKER}\n\n${ingest}`;
  return `${queries.replace(/\n*$/, '\n')}\n${INGEST_MARKER}\n\n${ingest}`;
}

/** Writes the query benchmark's report, keeping the ingest section. */
export function writeQueryResults(path: string, report: string): void {
  writeFileSync(path, join(report, parts(path).ingest));
}

/** Writes the ingest benchmark's report, keeping the query benchmark's. */
export function writeIngestResults(path: string, report: string): void {
  writeFileSync(path, join(parts(path).queries, report));
}
