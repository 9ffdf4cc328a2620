/**
 * Ingest rules: what happens to rows at the door, before they reach storage, whichever way they
 * came in (INSERT, COPY, HTTP). Each table's rules are kept here with the state they need across
 * batches. Rules may change column values (flags) but never drop or add rows, so nothing sent is
 * silently lost.
 */
import type { TableDef } from '../../storage/table-def.js';
import type { Batch } from '../../storage/vector.js';

export class IngestRules {
  /** The batch as it is to be stored. Called once per batch, in arrival order, on the event loop. */
  apply(_table: TableDef, batch: Batch): Batch {
    return batch;
  }
}
