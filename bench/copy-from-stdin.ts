/**
 * COPY ... FROM STDIN over node-postgres, without a copy-stream package: a Submittable that
 * answers the server's CopyInResponse by streaming CopyData messages from an async source,
 * waiting for the socket to drain between chunks so memory stays bounded.
 */
import type { Client, Connection, Submittable } from 'pg';

/** The parts of pg's Connection a COPY needs beyond its published type. */
interface CopyConnection extends Connection {
  sendCopyFromChunk(chunk: Uint8Array): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

class CopyFromStdin implements Submittable {
  rowCount = 0;
  private error: Error | null = null;
  private settled = false;

  constructor(
    private readonly sql: string,
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly done: (error: Error | null, rowCount: number) => void,
  ) {}

  submit(connection: Connection): void {
    connection.query(this.sql);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.pump(connection);
  }

  private async pump(connection: CopyConnection): Promise<void> {
    try {
      for await (const chunk of this.source) {
        if (this.error !== null) return;
        connection.sendCopyFromChunk(chunk);
        if (connection.stream.writableNeedDrain) {
          await new Promise<void>((resolve) => connection.stream.once('drain', resolve));
        }
      }
      if (this.error === null) connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(`copy source failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  handleCommandComplete(message: { text: string }): void {
    const match = /^COPY (\d+)$/.exec(message.text);
    this.rowCount = match ? Number(match[1]) : 0;
  }

  handleError(error: Error): void {
    this.error ??= error;
    this.settle();
  }

  handleReadyForQuery(): void {
    this.settle();
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.done(this.error, this.rowCount);
  }

  // Messages a COPY FROM does not get; present because the client may dispatch them.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `sql` (a COPY ... FROM STDIN) feeding it `source`; resolves to the rows copied. */
export function copyFromStdin(client: Client, sql: string, source: AsyncIterable<Uint8Array>): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyFromStdin(sql, source, (error, rows) => (error ? reject(error) : resolve(rows))));
  });
}
