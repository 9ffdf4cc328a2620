/** The shape of the storage crash test's batches, shared by the child that writes and the test that checks. */

/** Rows batch `batch` writes to table "a" (table "b" always gets 2). */
export function rowsInA(batch: number): number {
  return 3 + (batch % 5);
}
