/**
 * Text and binary codecs of every DataType, exactly as PostgreSQL 15's input/output and
 * send/receive functions behave, plus casts between types (value-codecs-cast.ts) and the
 * vector-at-a-time text formatter for the wire (value-codecs-vector.ts).
 *
 * JS forms follow storage/types.ts: bool boolean (0/1 accepted on output), int2/int4/float
 * number, int8 bigint, numeric canonical text, date days since 1970, timestamp(tz) microseconds
 * since 1970 UTC, jsonb normalized text.
 */
export { defaultFormatSettings, resolveSettings, type FormatSettings, type ResolvedSettings } from './value-codecs-settings.js';
export { formatText, parseText } from './value-codecs-text.js';
export { decodeBinary, encodeBinary } from './value-codecs-binary.js';
export { castExists, castValue, timeConversion, type CastContext } from './value-codecs-cast.js';
export { formatVectorText } from './value-codecs-vector.js';
