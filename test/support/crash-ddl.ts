/**
 * Catalog changes under the crash test: a client creates small tables, puts one row in each and
 * drops some of them, at random moments while the writers write. An acknowledged CREATE, INSERT
 * or DROP must hold after the kill; one sent but not acknowledged may have happened or not, but
 * whichever the first restart shows must hold at every later one.
 */
import pg from 'pg';
import type { Random } from './crash-random.js';
import type { ClientSettings, RoundControl } from './crash-workload.js';

/** 'sent' until acknowledged; after a restart an unacknowledged step settles as 'acked' or 'absent'. */
export type StepState = 'none' | 'sent' | 'acked' | 'absent';

export interface DdlEntry {
  readonly table: string;
  readonly round: number;
  /** The value of the one row. */
  readonly value: number;
  created: StepState;
  inserted: StepState;
  dropped: StepState;
}

function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return !(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) || code.startsWith('57P') || code === '08006';
}

/** Runs `text`; true when acknowledged, false when the connection went away first. */
async function step(client: pg.Client, text: string, control: RoundControl): Promise<boolean> {
  try {
    await client.query(text);
    return true;
  } catch (error) {
    if (!isConnectionLoss(error)) control.unexpected.push(`${text}: ${(error as Error).message}`);
    return false;
  }
}

export async function runDdl(settings: ClientSettings, control: RoundControl, random: Random, entries: DdlEntry[]): Promise<void> {
  const client = new pg.Client(settings);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    if (!control.stopped) control.unexpected.push(`ddl client could not connect: ${String(error)}`);
    return;
  }
  try {
    for (let n = 0; !control.stopped; n++) {
      await new Promise((resolveWait) => setTimeout(resolveWait, random.int(10, 200)));
      if (control.stopped) break;
      const droppable = entries.filter((e) => e.created === 'acked' && e.dropped === 'none');
      if (droppable.length > 0 && random.chance(0.3)) {
        const victim = random.pick(droppable);
        victim.dropped = 'sent';
        if (!(await step(client, `DROP TABLE ${victim.table}`, control))) return;
        victim.dropped = 'acked';
        continue;
      }
      const entry: DdlEntry = {
        table: `crash_ddl_${control.round}_${n}`,
        round: control.round,
        value: control.round * 1_000 + n,
        created: 'sent',
        inserted: 'none',
        dropped: 'none',
      };
      entries.push(entry);
      if (!(await step(client, `CREATE TABLE ${entry.table} (x int, note text)`, control))) return;
      entry.created = 'acked';
      entry.inserted = 'sent';
      if (!(await step(client, `INSERT INTO ${entry.table} VALUES (${entry.value}, 'row of ${entry.table}')`, control))) return;
      entry.inserted = 'acked';
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Checks every table ever created against what a restarted server holds; settles sent steps. */
export async function verifyDdl(settings: ClientSettings, entries: readonly DdlEntry[]): Promise<string[]> {
  const client = new pg.Client(settings);
  await client.connect();
  const violations: string[] = [];
  try {
    for (const entry of entries) {
      let rows: { x: number; note: string }[] | null;
      try {
        rows = (await client.query<{ x: number; note: string }>(`SELECT x, note FROM ${entry.table}`)).rows;
      } catch (error) {
        if ((error as { code?: string }).code !== '42P01') throw error;
        rows = null;
      }
      violations.push(...checkEntry(entry, rows));
      // Settle what the restart decided.
      const exists = rows !== null;
      if (entry.created === 'sent') entry.created = exists ? 'acked' : 'absent';
      if (entry.inserted === 'sent' && exists) entry.inserted = rows !== null && rows.length > 0 ? 'acked' : 'absent';
      if (entry.dropped === 'sent' && entry.created === 'acked') entry.dropped = exists ? 'absent' : 'acked';
    }
    return violations;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Violations for one table, given its rows now (null: the table does not exist). */
export function checkEntry(entry: DdlEntry, rows: readonly { x: number; note: string }[] | null): string[] {
  const what = `table ${entry.table} (round ${entry.round}, create ${entry.created}, insert ${entry.inserted}, drop ${entry.dropped})`;
  const mustBeGone = entry.created === 'absent' || entry.dropped === 'acked';
  const mustExist = entry.created === 'acked' && (entry.dropped === 'none' || entry.dropped === 'absent');
  if (rows === null) return mustExist ? [`${what}: lost`] : [];
  if (mustBeGone) return [`${what}: exists, but ${entry.created === 'absent' ? 'was absent before' : 'its drop was acknowledged'}`];
  const held = JSON.stringify(rows);
  const one = JSON.stringify([{ x: entry.value, note: `row of ${entry.table}` }]);
  if (entry.inserted === 'acked' && held !== one) return [`${what}: holds ${held}, expected ${one}`];
  if (entry.inserted === 'sent' && rows.length !== 0 && held !== one) return [`${what}: holds ${held}, expected nothing or ${one}`];
  if ((entry.inserted === 'absent' || entry.inserted === 'none') && rows.length !== 0) return [`${what}: holds ${held}, expected no rows`];
  return [];
}
