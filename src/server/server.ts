/**
 * PgServer: accepts PostgreSQL v3 protocol connections and serves them from an Engine.
 * It owns the listening socket and the registry of live sessions that CancelRequests look up.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Engine } from '../engine.js';
import { Connection, type ConnectionHost } from './connection.js';
import { defaultMaxMessageBytes } from './limits.js';
import { listenOn } from './listen.js';

export interface ServerOptions {
  host: string;
  port: number;
  engine: Engine;
  /** Largest frontend message accepted; longer ones are FATAL 08P01. Default 256 MiB. */
  maxMessageBytes?: number;
  /** Where unexpected internal errors are reported (one line each). */
  log?: (line: string) => void;
}

export class PgServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly byProcessId = new Map<number, Connection>();
  private readonly host: ConnectionHost;
  private nextProcessId: number;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: ServerOptions) {
    const log = options.log ?? (() => undefined);
    this.nextProcessId = 1000 + Math.floor(Math.random() * 1_000_000);
    this.host = {
      engine: options.engine,
      maxMessageBytes: options.maxMessageBytes ?? defaultMaxMessageBytes,
      log,
      register: (connection) => this.byProcessId.set(connection.processId, connection),
      unregister: (connection) => {
        this.connections.delete(connection);
        if (this.byProcessId.get(connection.processId) === connection) this.byProcessId.delete(connection.processId);
      },
      cancel: (processId, secretKey) => {
        const target = this.byProcessId.get(processId);
        // Wrong keys are ignored without a word, as in PostgreSQL.
        if (target !== undefined && target.secretKey === secretKey) target.cancelQuery();
      },
    };
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => log(`server: ${error.message}`));
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(): Promise<{ host: string; port: number }> {
    return listenOn(this.server, this.options.host, this.options.port);
  }


  /** Stops accepting connections and terminates every session (FATAL 57P01). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      const connections = [...this.connections];
      for (const connection of connections) connection.shutdown();
      await Promise.all(connections.map((connection) => connection.finished));
      await stopped;
    })();
    return this.closing;
  }

  private accept(socket: Socket): void {
    if (this.closing !== null) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, this.allocateProcessId(), this.host);
    this.connections.add(connection);
  }

  /** A process id unique among live sessions, for BackendKeyData and CancelRequest. */
  private allocateProcessId(): number {
    for (;;) {
      const id = this.nextProcessId;
      this.nextProcessId = id >= 0x7ffffff0 ? 1000 : id + 1;
      if (!this.byProcessId.has(id)) return id;
    }
  }
}
