/** Writes the generated events to one CSV file, chunk by chunk, for the peers that bulk-load it. */
import { open } from 'node:fs/promises';
import { ByteWriter } from './byte-writer.js';
import { writeEventsCsv } from './csv.js';
import { EventsGenerator } from './events-generator.js';
import type { EventsGeneratorOptions } from './events-options.js';

export interface CsvFileResult {
  readonly rows: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

export async function writeEventsCsvFile(path: string, options: EventsGeneratorOptions): Promise<CsvFileResult> {
  const started = performance.now();
  const file = await open(path, 'w');
  const out = new ByteWriter();
  let rows = 0;
  let bytes = 0;
  try {
    for (const chunk of new EventsGenerator(options).chunks()) {
      writeEventsCsv(out, chunk);
      rows += chunk.rowCount;
      const data = out.take();
      bytes += data.length;
      await file.write(data);
    }
  } finally {
    await file.close();
  }
  return { rows, bytes, elapsedMs: performance.now() - started };
}
