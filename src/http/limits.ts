/** Every size and count limit of the HTTP ingest endpoint, named. */

/** Default port of the HTTP listener (the PostgreSQL one's default is 5432). */
export const defaultHttpPort = 8432;
/** Default largest request body (`--http-max-body-mb`). */
export const defaultMaxBodyMb = 64;
/** Largest accepted `--http-max-body-mb`: bodies are decoded in slices, but a single line must fit one JS string. */
export const maxBodyMbLimit = 1024;
/** Request body bytes held by all requests in flight together (at least one largest body). */
export const defaultInFlightBodyBytes = 256 * 2 ** 20;
/** Per-line errors listed in a response; `rejected` still counts them all. */
export const maxReportedErrors = 100;
/** Rows converted into one Batch; a request's batches are committed together. */
export const batchRowsPerChunk = 65_536;
/**
 * Body bytes decoded into one string at a time (cut at a line end, so a longer line is one slice);
 * the event loop gets a turn between slices (a 4 MiB slice is some 15,000 events).
 */
export const decodeSliceBytes = 4 * 2 ** 20;
/** After a 413, the rest of the body is read and dropped for at most this long, so the client sees the answer. */
export const drainAfterRejectMs = 5_000;
/** What a client is told to wait before retrying while the database refuses writes. */
export const retryAfterSeconds = 5;
/** A client must send its headers within this time, and the whole request within requestTimeoutMs. */
export const headersTimeoutMs = 30_000;
export const requestTimeoutMs = 300_000;
