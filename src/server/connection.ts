/**
 * One client socket: reads frames, runs the startup handshake (SSL/GSSENC refusal, cancel
 * requests, StartupMessage, trust authentication), then feeds messages one at a time to its
 * Session. Reading continues while a query runs, so a vanished client aborts its query; input
 * beyond a high-water mark pauses the socket so pipelined input cannot pile up without bound.
 */
import { randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Engine, SessionContext } from '../engine.js';
import { DbError, toDbError } from '../../storage/errors.js';
import {
  writeAuthenticationOk,
  writeBackendKeyData,
  writeErrorResponse,
  writeNegotiateProtocolVersion,
  writeParameterStatus,
  writeReadyForQuery,
} from './backend-messages.js';
import { FrameReader, type Frame } from './frame-reader.js';
import { inputHighWaterBytes, startupTimeoutMs } from './limits.js';
import { Outbox } from './outbox.js';
import { clientGone } from './portal.js';
import { Session } from './session.js';
import { applyOptions, decodeStartupPacket, type StartupRequest } from './startup-packet.js';

/** What a connection needs from the server that accepted it. */
export interface ConnectionHost {
  readonly engine: Engine;
  readonly maxMessageBytes: number;
  log(line: string): void;
  /** Called once the session is established (its key data was sent). */
  register(connection: Connection): void;
  /** Called once when the connection is gone. */
  unregister(connection: Connection): void;
  /** A CancelRequest arrived on this (otherwise unused) connection. */
  cancel(processId: number, secretKey: number): void;
}

export const shutdownError = () =>
  new DbError('57P01', 'terminating connection due to administrator command', {}, 'FATAL');

export class Connection {
  readonly secretKey = randomInt(-0x80000000, 0x7fffffff);
  private readonly reader: FrameReader;
  private readonly outbox: Outbox;
  private session: Session | null = null;
  private pumping = false;
  private ended = false;
  /** Set by shutdown while a message is being handled. */
  private terminating: DbError | null = null;
  private readonly startupTimer: NodeJS.Timeout;
  /** Resolves when the socket has closed and the session released its portals. */
  readonly finished: Promise<void>;

  constructor(
    private readonly socket: Socket,
    readonly processId: number,
    private readonly host: ConnectionHost,
  ) {
    this.reader = new FrameReader(host.maxMessageBytes);
    this.outbox = new Outbox(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    this.startupTimer = setTimeout(() => socket.destroy(), startupTimeoutMs);
    this.startupTimer.unref();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Errors (ECONNRESET, EPIPE) are followed by 'close', which does the cleanup.
    socket.on('error', () => undefined);
    socket.on('end', () => socket.destroy());
    this.finished = new Promise((resolve) => {
      socket.once('close', () => {
        void this.onClose().then(resolve, resolve);
      });
    });
  }

  get established(): boolean {
    return this.session !== null;
  }

  /** CancelRequest with this connection's keys: stops its running query. */
  cancelQuery(): void {
    this.session?.cancel();
  }

  /** Server shutdown: FATAL 57P01 to the client, running query aborted, socket closed. */
  shutdown(): void {
    if (this.ended) return;
    const error = shutdownError();
    if (this.pumping && this.session !== null) {
      // The message being handled reports the error when its query stops; should it finish
      // anyway, the pump reports it before the next message.
      this.terminating = error;
      void this.session.abandon(error);
    } else {
      this.fail(error);
    }
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    timer.unref();
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    this.reader.push(chunk);
    if (this.pumping && this.reader.bufferedBytes > inputHighWaterBytes) this.socket.pause();
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.ended) {
        if (this.terminating !== null) {
          this.fail(this.terminating);
          return;
        }
        let frame: Frame | null;
        try {
          frame = this.reader.next();
        } catch (thrown) {
          this.fail(toDbError(thrown));
          return;
        }
        if (frame === null) break;
        if (this.reader.startupPhase) this.startup(frame);
        else if ((await (this.session as Session).handle(frame)) === 'terminate') this.end();
        else await this.outbox.waitWhileCongested();
      }
    } catch (thrown) {
      // Session.handle throws only FATAL errors, already sent to the client.
      const error = toDbError(thrown);
      if (error.code === 'XX000') this.host.log(`connection ${this.processId}: ${String(thrown)}`);
      this.end();
    } finally {
      this.pumping = false;
      if (this.socket.isPaused() && !this.ended) this.socket.resume();
    }
  }

  private startup(frame: Frame): void {
    const packet = decodeStartupPacketOrFail(frame.body, (error) => this.fail(error));
    if (packet === null) return;
    switch (packet.kind) {
      case 'SslRequest':
      case 'GssEncRequest':
        // Encryption is refused; the client continues in plain text on the same socket.
        this.socket.write('N');
        return;
      case 'CancelRequest':
        this.host.cancel(packet.processId, packet.secretKey);
        this.end();
        return;
      case 'Startup':
        this.establish(packet);
        return;
    }
  }

  private establish(request: StartupRequest): void {
    const context: SessionContext = {
      processId: this.processId,
      user: request.user,
      database: request.database,
      settings: new Map(request.settings),
      transactionStatus: 'I',
    };
    const out = this.outbox.out;
    if (request.minorVersion > 0 || request.protocolOptions.length > 0) {
      writeNegotiateProtocolVersion(out, 0, request.protocolOptions);
    }
    // Trust authentication. Settings are checked afterwards, so their errors follow
    // AuthenticationOk as in PostgreSQL (the engine may also refuse the user or database here).
    writeAuthenticationOk(out);
    let parameters: ReadonlyArray<readonly [string, string]>;
    try {
      applyOptions(request.options, context.settings);
      parameters = this.host.engine.startupParameters(context);
    } catch (thrown) {
      this.fail(toDbError(thrown));
      return;
    }
    for (const [name, value] of parameters) writeParameterStatus(out, name, value);
    writeBackendKeyData(out, this.processId, this.secretKey);
    writeReadyForQuery(out, 'I');
    this.outbox.flush();
    clearTimeout(this.startupTimer);
    this.reader.startupPhase = false;
    this.session = new Session(this.host.engine, context, this.outbox, (line) => this.host.log(line));
    this.host.register(this);
  }

  /** Sends a FATAL error and closes the connection. */
  private fail(error: DbError): void {
    if (this.ended) return;
    const fatal = error.severity === 'ERROR' ? new DbError(error.code, error.message, error.fields, 'FATAL') : error;
    writeErrorResponse(this.outbox.out, fatal);
    this.outbox.flush();
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.outbox.flush();
    this.socket.end();
    // A client that never reads its last bytes must not hold the socket open.
    const timer = setTimeout(() => this.socket.destroy(), 5000);
    timer.unref();
  }

  private async onClose(): Promise<void> {
    this.ended = true;
    clearTimeout(this.startupTimer);
    this.host.unregister(this);
    if (this.session !== null) await this.session.abandon(clientGone());
  }
}

function decodeStartupPacketOrFail(body: Buffer, fail: (error: DbError) => void) {
  try {
    return decodeStartupPacket(body);
  } catch (thrown) {
    fail(toDbError(thrown));
    return null;
  }
}
