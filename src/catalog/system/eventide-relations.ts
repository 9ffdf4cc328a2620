/**
 * Eventide's own system views, in pg_catalog beside PostgreSQL's (so they are found unqualified and
 * listed in pg_class). OIDs come from the range PostgreSQL leaves to development (8000-9999), so
 * they never collide with a PostgreSQL catalog OID.
 *
 * eventide_bot_flags: what the bot filters flagged since the server started, per table and rule
 * (one row per crawler pattern that matched, one for the rate rule), with the last user agent or
 * key flagged and when. Counters live in memory and start again at each server start.
 */
import { tableOid } from '../catalog.js';
import type { SystemRelationShape } from './system-shapes.js';
import type { SystemContext, SystemRow } from './system-catalog.js';

export const eventideRelationShapes: readonly SystemRelationShape[] = [
  {
    schema: 'pg_catalog',
    name: 'eventide_bot_flags',
    oid: 9100,
    relkind: 'v',
    columns: 'relid:oid schemaname:name relname:name rule:text pattern:text flagged:int8 last_value:text last_flagged:timestamptz',
  },
];

/** Views of counters that move without DDL: a prepared statement reading one is bound again at each execution. */
export const liveRelations: ReadonlySet<string> = new Set(['eventide_bot_flags']);

function botFlagRows(context: SystemContext): SystemRow[] {
  const tables = new Map(context.tables.map((t) => [t.id, t]));
  const rows = context.botFlags?.(new Set(tables.keys())) ?? [];
  return rows.flatMap((row) => {
    const table = tables.get(row.tableId);
    if (table === undefined) return [];
    return [
      {
        relid: tableOid(table.id),
        schemaname: table.schema,
        relname: table.name,
        rule: row.rule,
        pattern: row.pattern,
        flagged: BigInt(row.flagged),
        last_value: row.lastValue,
        last_flagged: row.lastFlaggedMicros,
      },
    ];
  });
}

export const eventideRelationRows: Readonly<Record<string, (context: SystemContext) => SystemRow[]>> = {
  eventide_bot_flags: botFlagRows,
};
