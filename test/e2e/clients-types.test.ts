/**
 * node `pg` gets the same values from Eventide as from PostgreSQL 15, in text and binary result
 * formats, for every supported type: same RowDescription (type OID, size, modifier, format), same
 * text as PostgreSQL prints, same parsed JS values, same binary bytes. The expected side is a
 * fixture recorded from a real PostgreSQL 15; `RECORD_POSTGRES=1` records it again first.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres } from './clients-postgres.js';
import { startTarget, type Target } from './clients-target.js';
import { fixtureFile, runTypeCases, typeCases, type CaseRecord, type TypesRecord } from './clients-types-cases.js';

// pg parses `timestamp` (without time zone) in the process's local zone; pin it so the fixture holds.
process.env.TZ = 'UTC';

async function recordFromPostgres(): Promise<void> {
  const postgres = await startPostgres();
  try {
    const record = await runTypeCases({ host: postgres.host, port: postgres.port, user: 'eventide', database: 'eventide' });
    writeFileSync(fixtureFile, `${JSON.stringify(record, null, 1)}\n`);
  } finally {
    await postgres.stop();
  }
}

describe('value formats through node pg, compared with PostgreSQL 15', () => {
  let target: Target;
  let expected: TypesRecord;
  let actual: TypesRecord;

  beforeAll(async () => {
    if (process.env.RECORD_POSTGRES === '1') await recordFromPostgres();
    expected = JSON.parse(readFileSync(fixtureFile, 'utf8')) as TypesRecord;
    target = await startTarget();
    actual = await runTypeCases(target.config);
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  });

  it('the fixture covers every case and PostgreSQL answered each without error', () => {
    expect(Object.keys(expected).sort()).toEqual(typeCases.map((c) => c.name).sort());
    for (const [name, record] of Object.entries(expected)) expect('error' in record, name).toBe(false);
  });

  for (const testCase of typeCases) {
    it(testCase.name, () => {
      const want = expected[testCase.name] as CaseRecord;
      const got = actual[testCase.name] as CaseRecord;
      if ('error' in got || 'error' in want) {
        expect(got).toEqual(want);
        return;
      }
      expect(got.text.fields, 'RowDescription').toEqual(want.text.fields);
      expect(got.text.raw, 'text format, as sent').toEqual(want.text.raw);
      expect(got.text.parsed, 'text format, as pg parses it').toEqual(want.text.parsed);
      expect(got.text.command, 'command').toBe(want.text.command);
      expect(got.text.rowCount, 'row count').toBe(want.text.rowCount);
      expect(got.binary.fields, 'RowDescription, binary').toEqual(want.binary.fields);
      expect(got.wireBinary, 'binary format, exact bytes').toEqual(want.wireBinary);
      expect(got.binary.parsed, 'binary format, as pg parses it').toEqual(want.binary.parsed);
      expect(got.binary.raw, 'binary format, as pg receives it').toEqual(want.binary.raw);
    });
  }
});
