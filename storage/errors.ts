/**
 * The one error class of Eventide. It carries a PostgreSQL SQLSTATE and the optional fields of
 * PostgreSQL's ErrorResponse, so any layer can raise an error that reaches the client unchanged.
 * User mistakes become DbErrors with a precise SQLSTATE; broken invariants use `assert`, which
 * raises XX000 (internal_error).
 */
export interface ErrorFields {
  detail?: string;
  hint?: string;
  /** 1-based character position in the original query text. */
  position?: number;
  /** Where it happened, e.g. `COPY events, line 3, column user_id: "x"` (ErrorResponse field W). */
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  dataType?: string;
  constraint?: string;
}

export type Severity = 'ERROR' | 'FATAL' | 'PANIC';

export class DbError extends Error {
  readonly code: string;
  readonly severity: Severity;
  readonly fields: ErrorFields;

  constructor(code: string, message: string, fields: ErrorFields = {}, severity: Severity = 'ERROR') {
    super(message);
    this.name = 'DbError';
    this.code = code;
    this.severity = severity;
    this.fields = fields;
  }

  /** A copy of this error with a query position attached (positions are found late, by the binder). */
  withPosition(position: number | undefined): DbError {
    if (position === undefined || this.fields.position !== undefined) return this;
    return new DbError(this.code, this.message, { ...this.fields, position }, this.severity);
  }
}

/** Raised when an internal invariant is broken. In query code it fails the query with XX000. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new DbError('XX000', `internal error: ${message}`);
}

export function unreachable(value: never, what: string): never {
  throw new DbError('XX000', `internal error: unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Wraps any thrown value as a DbError, so the wire layer always has a SQLSTATE to send. */
export function toDbError(error: unknown): DbError {
  if (error instanceof DbError) return error;
  if (error instanceof RangeError && /allocation|Array buffer|Invalid typed array length/i.test(error.message)) {
    return new DbError('53200', `out of memory: ${error.message}`);
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new DbError('54001', 'stack depth limit exceeded', { hint: 'The statement nests expressions too deeply.' });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DbError('XX000', `internal error: ${message}`);
}

// Small factories so call sites stay one line. SQLSTATEs follow PostgreSQL's errcodes.txt.
export const syntaxError = (message: string, position?: number) =>
  new DbError('42601', message, position === undefined ? {} : { position });
export const featureNotSupported = (what: string) => new DbError('0A000', `${what} is not supported`);
export const undefinedTable = (name: string) => new DbError('42P01', `relation "${name}" does not exist`);
export const duplicateTable = (name: string) => new DbError('42P07', `relation "${name}" already exists`);
export const undefinedColumn = (name: string) => new DbError('42703', `column "${name}" does not exist`);
export const ambiguousColumn = (name: string) => new DbError('42702', `column reference "${name}" is ambiguous`);
export const undefinedFunction = (signature: string) =>
  new DbError('42883', `function ${signature} does not exist`, {
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
export const undefinedOperator = (signature: string) =>
  new DbError('42883', `operator does not exist: ${signature}`, {
    hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
  });
export const datatypeMismatch = (message: string) => new DbError('42804', message);
export const invalidTextRepresentation = (typeName: string, text: string) =>
  new DbError('22P02', `invalid input syntax for type ${typeName}: "${text}"`);
export const divisionByZero = () => new DbError('22012', 'division by zero');
export const numericOutOfRange = (typeName: string) => new DbError('22003', `${typeName} out of range`);
export const notNullViolation = (column: string, table: string) =>
  new DbError('23502', `null value in column "${column}" of relation "${table}" violates not-null constraint`, {
    table,
    column,
  });
export const queryCanceled = () => new DbError('57014', 'canceling statement due to user request');
export const outOfMemory = (what: string) => new DbError('53200', `out of memory: ${what}`);
export const protocolViolation = (message: string) => new DbError('08P01', message);
export const ioError = (message: string) => new DbError('58030', message);
export const dataCorrupted = (message: string) => new DbError('XX001', message);
