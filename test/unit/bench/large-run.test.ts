/**
 * What `--rows 100M` relies on, checked at small cost: the option is accepted, the generators
 * stream (state per user, one chunk at a time, never per row), and the CSV files are written
 * chunk by chunk with the users matching the events' options.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEventsCsvFile, writeUsersCsvFile } from '../../../bench/csv-file.js';
import { EventsGenerator } from '../../../bench/events-generator.js';
import { parseBenchOptions } from '../../../bench/options.js';
import { UsersGenerator } from '../../../bench/users-generator.js';

describe('100M-row runs', () => {
  it('accepts --rows 100M', () => {
    expect(parseBenchOptions(['--rows', '100M'])).toMatchObject({ rows: 100_000_000 });
  });

  it('generates the first chunks of 100M events and 2M users without holding the rows', () => {
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const events = new EventsGenerator({ rows: 100_000_000, seed: 1 });
    for (let i = 0; i < 3; i++) expect(events.next()?.rowCount).toBe(65_536);
    const users = new UsersGenerator({ rows: 100_000_000, seed: 1 });
    expect(users.options.users).toBe(2_000_000);
    expect(users.next(1000)?.rowCount).toBe(1000);
    const grown = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before;
    // Per-user state and alias tables over 2M users, a chunk: far below the 100M rows' gigabytes.
    expect(grown).toBeLessThan(256 * 2 ** 20);
  });

  it('writes the events and users CSV files chunk by chunk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventide-bench-csv-'));
    try {
      const options = { rows: 150_000, seed: 2, chunkRows: 10_000 };
      const events = await writeEventsCsvFile(join(dir, 'events.csv'), options);
      const users = await writeUsersCsvFile(join(dir, 'users.csv'), options);
      expect(events.rows).toBe(150_000);
      expect(users.rows).toBe(3_000);
      const userLines = readFileSync(join(dir, 'users.csv'), 'latin1').trimEnd().split('\n');
      expect(userLines).toHaveLength(3_000);
      expect(userLines[0]).toMatch(/^1,\d{4}-\d{2}-\d{2},(free|basic|pro|team|enterprise),[A-Z]{2}$/);
      expect(readFileSync(join(dir, 'events.csv')).length).toBe(events.bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
