/**
 * The crash test's checker must be able to fail: each kind of damage a crash could do is shown to
 * it once, and it must name that damage; an intact state must pass.
 */
import { describe, expect, it } from 'vitest';
import { checkEntry, type DdlEntry } from '../support/crash-ddl.js';
import { CrashLedger, payloadDigest, type ObservedBatch } from '../support/crash-ledger.js';

const table = 't';

const payloadsOf = (rows: number) => Array.from({ length: rows }, (_, seq) => `payload ${seq}`);

function full(writer: number, batch: number, rows: number, digest = payloadDigest(payloadsOf(rows))): ObservedBatch {
  return { table, writer, batch, rows, distinctSeq: rows, minSeq: 0, maxSeq: rows - 1, payloadDigest: digest };
}

function ledgerWith(): CrashLedger {
  const ledger = new CrashLedger();
  ledger.sent({ table, writer: 0, batch: 0, rows: 5, payloadDigest: payloadDigest(payloadsOf(5)), kind: 'multi-row', round: 0 });
  ledger.acked(table, 0, 0);
  ledger.sent({ table, writer: 0, batch: 1, rows: 3, payloadDigest: payloadDigest(payloadsOf(3)), kind: 'multi-row', round: 0 });
  ledger.sent({ table, writer: 1, batch: 0, rows: 1, payloadDigest: payloadDigest(payloadsOf(1)), kind: 'single-row', round: 0 });
  return ledger;
}

describe('crash ledger', () => {
  it('accepts acknowledged batches in full and unacknowledged ones in full or absent', () => {
    const ledger = ledgerWith();
    expect(ledger.verify([table], [full(0, 0, 5), full(0, 1, 3)])).toEqual([]);
    expect(ledger.counts()).toEqual({ sent: 0, acked: 2, absent: 1 });
  });

  it('reports an acknowledged batch that is lost', () => {
    expect(ledgerWith().verify([table], [])).toEqual(['t/0/0 (multi-row, 5 rows, round 0): acknowledged but lost']);
  });

  it('reports a batch present in part, with duplicates, or with torn payloads', () => {
    expect(ledgerWith().verify([table], [full(0, 0, 5), { ...full(0, 1, 3), rows: 2, distinctSeq: 2, maxSeq: 1 }])).toEqual([
      't/0/1 (multi-row, 3 rows, round 0, sent): partially present: 2 rows, 2 distinct seq in [0, 1]',
    ]);
    expect(ledgerWith().verify([table], [{ ...full(0, 0, 5), distinctSeq: 4 }])).toEqual([
      't/0/0 (multi-row, 5 rows, round 0, acked): partially present: 5 rows, 4 distinct seq in [0, 4]',
    ]);
    const torn = payloadsOf(5).map((p, seq) => (seq === 3 ? p.slice(0, -1) : p));
    expect(ledgerWith().verify([table], [full(0, 0, 5, payloadDigest(torn))])).toEqual([
      't/0/0 (multi-row, 5 rows, round 0, acked): payloads differ from those sent',
    ]);
    const swapped = payloadsOf(5).reverse();
    expect(ledgerWith().verify([table], [full(0, 0, 5, payloadDigest(swapped))])).toHaveLength(1);
  });

  it('reports a batch never sent, and one that reappears after it was absent', () => {
    const ledger = ledgerWith();
    expect(ledger.verify([table], [full(0, 0, 5), full(7, 7, 2)])).toEqual(['t/7/7: 2 rows of a batch that was never sent']);
    expect(ledger.verify([table], [full(0, 0, 5), full(0, 1, 3)])).toEqual([
      't/0/1 (multi-row, 3 rows, round 0, absent): reappeared after it was absent at an earlier restart',
    ]);
  });

  it('holds a batch seen after one restart to the same standard as an acknowledged one', () => {
    const ledger = ledgerWith();
    expect(ledger.verify([table], [full(0, 0, 5), full(1, 0, 1)])).toEqual([]);
    expect(ledger.verify([table], [full(0, 0, 5)])).toEqual(['t/1/0 (single-row, 1 rows, round 0): acknowledged but lost']);
  });
});

describe('crash catalog check', () => {
  const entry = (changes: Partial<DdlEntry>): DdlEntry => ({
    table: 'd',
    round: 0,
    value: 7,
    created: 'acked',
    inserted: 'acked',
    dropped: 'none',
    ...changes,
  });
  const row = [{ x: 7, note: 'row of d' }];

  it('accepts a table as it was acknowledged, and the outcomes allowed for steps not acknowledged', () => {
    expect(checkEntry(entry({}), row)).toEqual([]);
    expect(checkEntry(entry({ inserted: 'sent' }), [])).toEqual([]);
    expect(checkEntry(entry({ created: 'sent', inserted: 'none' }), null)).toEqual([]);
    expect(checkEntry(entry({ dropped: 'sent' }), null)).toEqual([]);
    expect(checkEntry(entry({ dropped: 'sent' }), row)).toEqual([]);
  });

  it('reports a lost table, a lost row, a table back from the dead and a row from nowhere', () => {
    expect(checkEntry(entry({}), null)).toEqual(['table d (round 0, create acked, insert acked, drop none): lost']);
    expect(checkEntry(entry({}), [])).toEqual([
      'table d (round 0, create acked, insert acked, drop none): holds [], expected [{"x":7,"note":"row of d"}]',
    ]);
    expect(checkEntry(entry({ dropped: 'acked' }), row)).toEqual([
      'table d (round 0, create acked, insert acked, drop acked): exists, but its drop was acknowledged',
    ]);
    expect(checkEntry(entry({ created: 'absent', inserted: 'none' }), [])).toHaveLength(1);
    expect(checkEntry(entry({ inserted: 'absent' }), row)).toHaveLength(1);
  });
});
