/** Executes the statements that are not plans: DDL, transaction control, SET/SHOW, CHECKPOINT. */
import { DbError } from '../../storage/errors.js';
import { Types, type Value } from '../../storage/types.js';
import { vectorFromValues, type Batch } from '../../storage/vector.js';
import type { TableDef } from '../../storage/table-def.js';
import type { SessionContext, StatementResult } from '../engine.js';
import type { BoundStatement } from './bind-statement.js';
import type { SqlEngine } from './engine.js';
import { allSettings, applySetting, findSetting, joinSettingWords, settingValue } from './settings.js';
import { restoreSettings } from './transaction.js';

type Notice = { readonly code: string; readonly message: string; readonly severity?: 'NOTICE' | 'WARNING' };

function done(tag: string, extra: { notices?: Notice[]; parameterStatus?: (readonly [string, string])[] } = {}): StatementResult {
  return { columns: null, rows: null, commandTag: () => tag, ...extra };
}

async function* oneBatch(batch: Batch): AsyncIterable<Batch> {
  yield batch;
}

/** A small text result (SHOW). */
export function textRows(rows: readonly (readonly string[])[], width: number): AsyncIterable<Batch> {
  const columns = Array.from({ length: width }, (_, c) => vectorFromValues(Types.text, rows.map((r) => (r[c] ?? null) as Value)));
  return oneBatch({ length: rows.length, columns, selection: null });
}

export async function executeCommand(engine: SqlEngine, statement: BoundStatement, session: SessionContext): Promise<StatementResult> {
  switch (statement.kind) {
    case 'createTable': {
      const def = statement.def;
      if (engine.catalog.findTable(def.schema, def.name) !== undefined) {
        if (statement.ifNotExists) return done('CREATE TABLE', { notices: [{ code: '42P07', message: `relation "${def.name}" already exists, skipping` }] });
        throw new DbError('42P07', `relation "${def.name}" already exists`);
      }
      await engine.database.createTable(def);
      engine.catalogVersion++;
      return done('CREATE TABLE');
    }
    case 'dropTable': {
      const found: TableDef[] = [];
      const notices: Notice[] = [];
      for (const name of statement.tables) {
        if (name.schema !== null && name.schema !== 'public') {
          if (statement.ifExists) notices.push({ code: '00000', message: `schema "${name.schema}" does not exist, skipping` });
          else throw new DbError('3F000', `schema "${name.schema}" does not exist`);
          continue;
        }
        const table = engine.catalog.findTable(name.schema, name.name);
        if (table === undefined) {
          if (!statement.ifExists) throw new DbError('42P01', `table "${name.name}" does not exist`);
          notices.push({ code: '00000', message: `table "${name.name}" does not exist, skipping` });
        } else if (!found.includes(table)) found.push(table);
      }
      for (const table of found) await engine.database.dropTable(table.id);
      if (found.length > 0) engine.catalogVersion++;
      return done('DROP TABLE', { notices });
    }
    case 'transaction':
      return transactionControl(engine, statement.action, session);
    case 'set': {
      if (statement.name === 'session_characteristics') return done('SET');
      const previous = session.settings.get(findSetting(statement.name).name.toLowerCase());
      const value = statement.value === null ? null : joinSettingWords(statement.name, statement.value);
      const transaction = engine.transaction(session);
      if (statement.local && transaction === undefined) {
        return done('SET', { notices: [{ code: '25P01', message: 'SET LOCAL can only be used in transaction blocks', severity: 'WARNING' }] });
      }
      const status = applySetting(session.settings, statement.name, value);
      if (statement.local && transaction !== undefined) {
        const key = findSetting(statement.name).name.toLowerCase();
        if (!transaction.localRestore.has(key)) transaction.localRestore.set(key, previous);
      }
      return done('SET', status === null ? {} : { parameterStatus: [status] });
    }
    case 'reset': {
      const names = statement.name === null ? allSettings(session.settings).map(([n]) => n) : [statement.name];
      const statuses: (readonly [string, string])[] = [];
      for (const name of names) {
        const setting = findSetting(name);
        if (setting.readOnly) {
          if (statement.name !== null) throw new DbError('55P02', `parameter "${setting.name}" cannot be changed`);
          continue;
        }
        const status = applySetting(session.settings, name, null);
        if (status !== null) statuses.push(status);
      }
      return done('RESET', { parameterStatus: statuses });
    }
    case 'show': {
      if (statement.name === 'all') {
        const rows = allSettings(session.settings);
        return { columns: null, rows: textRows(rows, 3), commandTag: () => 'SHOW' };
      }
      const value = settingValue(session.settings, statement.name);
      return { columns: null, rows: textRows([[value]], 1), commandTag: () => 'SHOW' };
    }
    case 'checkpoint':
      await engine.database.checkpoint();
      return done('CHECKPOINT');
    case 'discard': {
      const statuses: (readonly [string, string])[] = [];
      for (const [name] of allSettings(session.settings)) {
        if (findSetting(name).readOnly) continue;
        const status = applySetting(session.settings, name, null);
        if (status !== null) statuses.push(status);
      }
      return done('DISCARD ALL', { parameterStatus: statuses });
    }
    case 'query':
    case 'insert':
    case 'explain':
    case 'copyFrom':
    case 'copyTo':
      throw new DbError('XX000', `internal error: ${statement.kind} is not a command`);
  }
}

async function transactionControl(engine: SqlEngine, action: 'begin' | 'commit' | 'rollback', session: SessionContext): Promise<StatementResult> {
  const transaction = engine.transaction(session);
  if (action === 'begin') {
    if (transaction?.implicit === true) {
      // BEGIN inside a multi-statement query turns its implicit transaction into a block.
      transaction.implicit = false;
    } else if (transaction !== undefined) {
      return done('BEGIN', { notices: [{ code: '25001', message: 'there is already a transaction in progress', severity: 'WARNING' }] });
    } else {
      engine.beginTransaction(session);
    }
    session.transactionStatus = 'T';
    return done('BEGIN');
  }
  const tag = action === 'commit' ? 'COMMIT' : 'ROLLBACK';
  const notices: Notice[] = [];
  if (transaction === undefined || transaction.implicit) {
    notices.push({ code: '25P01', message: 'there is no transaction in progress', severity: 'WARNING' });
  }
  if (transaction === undefined) {
    session.transactionStatus = 'I';
    return done(tag, { notices });
  }
  const failed = session.transactionStatus === 'E';
  engine.endTransaction(session);
  session.transactionStatus = 'I';
  let statuses: [string, string][];
  if (action === 'commit' && !failed) {
    statuses = restoreSettings(session, transaction.localRestore, transaction.localRestore.keys());
    if (transaction.writes.length > 0) await engine.database.commit(transaction.writes);
  } else {
    statuses = restoreSettings(session, transaction.settingsAtBegin);
  }
  // The rest of a multi-statement query runs in a new implicit transaction.
  if (engine.inImplicitQuery(session)) engine.beginTransaction(session, true);
  return done(failed ? 'ROLLBACK' : tag, { notices, parameterStatus: statuses });
}
