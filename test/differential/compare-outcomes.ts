/**
 * Compares what one statement gave on both servers: the same column names and type OIDs and
 * the same rows (as a sequence when the query orders by every output column, else as a multiset),
 * or an error with the same SQLSTATE on both sides.
 */
import type { Outcome } from './wire-session.js';

const renderRow = (row: readonly (string | null)[]) => row.map((value) => (value === null ? 'NULL' : JSON.stringify(value))).join(' | ');

/** Why the outcomes differ, or null when they agree. */
export function differenceOf(eventide: Outcome, postgres: Outcome, ordered: boolean, compareNames: boolean): string | null {
  if (eventide.kind === 'error' || postgres.kind === 'error') {
    if (eventide.kind === 'error' && postgres.kind === 'error') {
      return eventide.code === postgres.code ? null : `SQLSTATE ${eventide.code} instead of ${postgres.code}`;
    }
    return eventide.kind === 'error' ? 'Eventide failed where PostgreSQL answered' : 'Eventide answered where PostgreSQL failed';
  }
  if (compareNames && eventide.names.join(',') !== postgres.names.join(',')) {
    return `column names [${eventide.names.join(', ')}] instead of [${postgres.names.join(', ')}]`;
  }
  if (eventide.typeOids.join(',') !== postgres.typeOids.join(',')) {
    return `column types [${eventide.typeOids.join(', ')}] instead of [${postgres.typeOids.join(', ')}]`;
  }
  const left = eventide.rows.map(renderRow);
  const right = postgres.rows.map(renderRow);
  if (!ordered) {
    left.sort();
    right.sort();
  }
  if (left.length !== right.length) return `${left.length} rows instead of ${right.length}`;
  for (let i = 0; i < left.length; i++) {
    if (left[i] !== right[i]) return `${ordered ? 'row' : 'sorted row'} ${i + 1}: ${left[i]} instead of ${right[i]}`;
  }
  return null;
}

/** A mismatch as a report: everything needed to reproduce it by hand. */
export function describeMismatch(seed: number, index: number, sql: string, why: string, eventide: Outcome, postgres: Outcome): string {
  const render = (outcome: Outcome) =>
    outcome.kind === 'error'
      ? `  ERROR ${outcome.code}: ${outcome.message}`
      : [`  columns [${outcome.names.join(', ')}], types [${outcome.typeOids.join(', ')}], ${outcome.rows.length} rows`, ...outcome.rows.slice(0, 30).map((row) => `  ${renderRow(row)}`)].join('\n');
  return [
    `seed ${seed}, query ${index}: ${why}`,
    `  ${sql}`,
    'Eventide:',
    render(eventide),
    'PostgreSQL:',
    render(postgres),
  ].join('\n');
}
