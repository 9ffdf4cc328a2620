/** The shape of the bulk-load crash test's loads, shared by the child that writes and the test that checks. */

/** Rows of load `load`: 3,000 to 12,000, above the child's small-load threshold. */
export function bulkCrashRows(load: number): number {
  return 3000 + ((load * 7919) % 9001);
}
