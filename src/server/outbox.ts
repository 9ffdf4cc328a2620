/**
 * The write side of a connection: messages accumulate in an OutputBuffer and reach the socket in
 * chunks (at Sync, ReadyForQuery, Flush, or when a chunk is full). While rows stream, the sender
 * waits for 'drain' whenever the socket's buffer is full, so a slow client slows the query down
 * instead of making the server buffer the result.
 */
import type { Socket } from 'node:net';
import { OutputBuffer } from './output-buffer.js';
import { outputFlushBytes } from './limits.js';

export class Outbox {
  readonly out = new OutputBuffer();
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.once('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed || this.socket.writableEnded;
  }

  /** Hands everything written so far to the socket. */
  flush(): void {
    if (this.out.length === 0) return;
    const chunk = this.out.take();
    if (!this.isClosed) this.socket.write(chunk);
  }

  /**
   * Flushes once a full chunk has accumulated, then waits while the socket is congested.
   * Returns early when the socket closes or `signal` aborts; callers check both afterwards.
   */
  async flushIfFull(signal: AbortSignal | null): Promise<void> {
    if (this.out.length < outputFlushBytes) return;
    this.flush();
    if (this.socket.writableNeedDrain && !this.isClosed) await this.waitForDrain(signal);
  }

  /** Flushes whatever is pending, then waits while the socket is congested. */
  async flushAndWait(signal: AbortSignal | null): Promise<void> {
    this.flush();
    if (this.socket.writableNeedDrain && !this.isClosed) await this.waitForDrain(signal);
  }

  /**
   * Waits while the socket is congested. Between messages this keeps a client that sends without
   * reading from piling up replies: the session stops reading it instead.
   */
  async waitWhileCongested(): Promise<void> {
    if (this.socket.writableNeedDrain && !this.isClosed) await this.waitForDrain(null);
  }

  private waitForDrain(signal: AbortSignal | null): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
      if (signal !== null) {
        if (signal.aborted) return done();
        signal.addEventListener('abort', done, { once: true });
      }
    });
  }
}
