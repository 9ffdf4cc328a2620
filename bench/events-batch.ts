/**
 * The storage form of an events chunk: a Batch of Vectors in EVENTS_COLUMNS order with each
 * type's physical layout (int8 as BigInt64Array, timestamptz as float64 µs, text as strings),
 * for benchmarks and tests that feed storage or operators without the wire.
 */
import { assert } from '../storage/errors.js';
import type { Batch, Vector } from '../storage/vector.js';
import type { EventsChunk } from './events-chunk.js';
import { eventsColumnText } from './events-text.js';
import { EVENTS_COLUMNS } from './events-schema.js';

export function eventsChunkToBatch(chunk: EventsChunk): Batch {
  const n = chunk.rowCount;
  const columns: Vector[] = EVENTS_COLUMNS.map((column, index) => {
    switch (column.name) {
      case 'event_time':
        return { kind: 'fixed', type: column.type, length: n, values: chunk.eventTimeUs, validity: null };
      case 'user_id': {
        const values = new BigInt64Array(n);
        for (let i = 0; i < n; i++) values[i] = BigInt(chunk.userId[i] as number);
        return { kind: 'fixed', type: column.type, length: n, values, validity: null };
      }
      case 'is_bot':
        return { kind: 'fixed', type: column.type, length: n, values: chunk.isBot, validity: null };
      case 'duration_ms': {
        const validity = new Uint8Array(n);
        const values = new Int32Array(n);
        let nulls = 0;
        for (let i = 0; i < n; i++) {
          const v = chunk.durationMs[i] as number;
          const valid = v >= 0 ? 1 : 0;
          validity[i] = valid;
          values[i] = v * valid;
          nulls += 1 - valid;
        }
        return { kind: 'fixed', type: column.type, length: n, values, validity: nulls > 0 ? validity : null };
      }
      default: {
        const text = eventsColumnText(chunk, index);
        let validity: Uint8Array | null = null;
        const values = new Array<string>(n);
        for (let i = 0; i < n; i++) {
          const v = text[i];
          if (v === null || v === undefined) {
            validity ??= new Uint8Array(n).fill(1);
            validity[i] = 0;
            values[i] = '';
          } else values[i] = v;
        }
        assert(column.type.layout === 'string', `column ${column.name} needs a string layout`);
        return { kind: 'string', type: column.type, length: n, values, validity };
      }
    }
  });
  return { length: n, columns, selection: null };
}
