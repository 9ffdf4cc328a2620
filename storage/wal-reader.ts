/**
 * Reads one WAL file record by record, verifying length and CRC, and stops at the first record
 * that is incomplete or does not check out: everything before it is the file's valid prefix.
 */
import { recordCrc, maxWalPayloadBytes, walHeaderBytes } from './wal-record.js';
import type { FileSystem } from './file-system.js';

export type WalEnd =
  /** The file ends exactly after its last record. */
  | 'end'
  /** An all-zero header: space written ahead of use (preallocated), never a record. */
  | 'zeros'
  /** A record cut short, with a bad length or CRC, or an LSN out of order. */
  | 'torn';

export interface WalFileScan {
  /** Bytes of complete, valid records from the start of the file. */
  readonly validLength: number;
  readonly fileLength: number;
  readonly end: WalEnd;
  readonly lastLsn: number;
}

const chunkBytes = 4 << 20;

/**
 * Calls `onRecord` for every valid record in order. `afterLsn` is the LSN of the last record
 * before this file; a record whose LSN does not exceed it is treated as torn.
 */
export async function scanWalFile(
  fs: FileSystem,
  path: string,
  afterLsn: number,
  onRecord: (lsn: number, payload: Uint8Array) => void,
): Promise<WalFileScan> {
  const handle = await fs.open(path, 'read');
  try {
    const fileLength = await handle.size();
    let buffer = new Uint8Array(0);
    let bufferStart = 0; // file offset of buffer[0]
    const ensure = async (position: number, length: number): Promise<boolean> => {
      if (position + length > fileLength) return false;
      if (position >= bufferStart && position + length <= bufferStart + buffer.length) return true;
      const size = Math.min(Math.max(chunkBytes, length), fileLength - position);
      const next = new Uint8Array(size);
      let done = 0;
      while (done < size) {
        const n = await handle.read(next, done, size - done, position + done);
        if (n === 0) break;
        done += n;
      }
      buffer = next.subarray(0, done);
      bufferStart = position;
      return done >= length;
    };
    let position = 0;
    let lastLsn = afterLsn;
    let end: WalEnd = 'end';
    while (position < fileLength) {
      if (!(await ensure(position, walHeaderBytes))) {
        end = 'torn';
        break;
      }
      const at = position - bufferStart;
      const view = new DataView(buffer.buffer, buffer.byteOffset + at, walHeaderBytes);
      const length = view.getUint32(0, true);
      const lsn = view.getUint32(8, true) + view.getUint32(12, true) * 0x1_0000_0000;
      if (length === 0) {
        end = buffer.subarray(at, at + walHeaderBytes).every((b) => b === 0) ? 'zeros' : 'torn';
        break;
      }
      if (length > maxWalPayloadBytes || !(await ensure(position, walHeaderBytes + length))) {
        end = 'torn';
        break;
      }
      const start = position - bufferStart;
      const frame = buffer.subarray(start, start + walHeaderBytes + length);
      const storedCrc = new DataView(frame.buffer, frame.byteOffset, walHeaderBytes).getUint32(4, true);
      if (recordCrc(frame, length) !== storedCrc || lsn <= lastLsn) {
        end = 'torn';
        break;
      }
      onRecord(lsn, frame.subarray(walHeaderBytes));
      lastLsn = lsn;
      position += walHeaderBytes + length;
    }
    return { validLength: position, fileLength, end, lastLsn };
  } finally {
    await handle.close();
  }
}
