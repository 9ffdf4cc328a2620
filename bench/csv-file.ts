/**
 * Writes the generated events and users to CSV files, chunk by chunk, for the peers that
 * bulk-load them. Memory is one chunk whatever the row count.
 */
import { open } from 'node:fs/promises';
import { ByteWriter } from './byte-writer.js';
import { usersCsv, writeEventsCsv } from './csv.js';
import { EventsGenerator } from './events-generator.js';
import type { EventsGeneratorOptions } from './events-options.js';
import { UsersGenerator } from './users-generator.js';

export interface CsvFileResult {
  readonly rows: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

async function writeChunks(path: string, chunks: Iterable<{ rows: number; data: Uint8Array }>): Promise<CsvFileResult> {
  const started = performance.now();
  const file = await open(path, 'w');
  let rows = 0;
  let bytes = 0;
  try {
    for (const chunk of chunks) {
      rows += chunk.rows;
      bytes += chunk.data.length;
      await file.write(chunk.data);
    }
  } finally {
    await file.close();
  }
  return { rows, bytes, elapsedMs: performance.now() - started };
}

export function writeEventsCsvFile(path: string, options: EventsGeneratorOptions): Promise<CsvFileResult> {
  const out = new ByteWriter();
  function* chunks() {
    for (const chunk of new EventsGenerator(options).chunks()) {
      writeEventsCsv(out, chunk);
      yield { rows: chunk.rowCount, data: out.take() };
    }
  }
  return writeChunks(path, chunks());
}

/** The users of the same options (same seed and user count as the events). */
export function writeUsersCsvFile(path: string, options: EventsGeneratorOptions): Promise<CsvFileResult> {
  function* chunks() {
    for (const chunk of new UsersGenerator(options).chunks()) yield { rows: chunk.rowCount, data: Buffer.from(usersCsv(chunk), 'latin1') };
  }
  return writeChunks(path, chunks());
}
