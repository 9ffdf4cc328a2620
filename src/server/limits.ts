/**
 * Named limits of the wire protocol server. Every message, buffer and per-session collection is
 * bounded, so no client input can exhaust the server's memory.
 */

/** Default upper bound on one frontend message (Query, Parse, Bind, CopyData). */
export const defaultMaxMessageBytes = 256 * 1024 * 1024;

/** Messages that carry no user data (Sync, Execute, Describe ...): PostgreSQL's PQ_SMALL_MESSAGE_LIMIT. */
export const smallMessageLimitBytes = 10_000;

/** Startup packets: PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
export const maxStartupPacketBytes = 10_000;

/** Output is handed to the socket in chunks of about this size (MACHINE-NOTES: 16-64 KiB writes). */
export const outputFlushBytes = 48 * 1024;

/** Pipelined input beyond this while a message is being processed pauses reading the socket. */
export const inputHighWaterBytes = 1024 * 1024;

/** A connection that has not completed its startup within this time is closed. */
export const startupTimeoutMs = 60_000;

/** Longest stretch a result stream keeps the event loop to itself between batches. */
export const eventLoopYieldIntervalMs = 10;

/** How long closing a portal waits for the engine to release an abandoned query. */
export const engineReleaseTimeoutMs = 1000;

/** Prepared statements and portals one session may hold at once. */
export const maxStatementsPerSession = 10_000;
export const maxPortalsPerSession = 10_000;

/** PostgreSQL's protocol version numbers and request codes. */
export const protocolVersion3 = 3 << 16;
export const sslRequestCode = 80877103;
export const gssEncRequestCode = 80877104;
export const cancelRequestCode = 80877102;
