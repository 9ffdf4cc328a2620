/** Bytes used by the files under a directory (or by one file), following no links. */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function diskUsageBytes(path: string): number {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  let total = 0;
  for (const entry of readdirSync(path)) total += diskUsageBytes(join(path, entry));
  return total;
}
