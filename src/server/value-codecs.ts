/**
 * The value codecs the server uses, in one place: PostgreSQL's text output/input functions and
 * binary send/receive for each DataType live in storage. Only this file names that module.
 */
export { decodeBinary, encodeBinary, formatVectorText, parseText } from '../../storage/value-codecs.js';
export type { FormatSettings } from '../../storage/value-codecs.js';
