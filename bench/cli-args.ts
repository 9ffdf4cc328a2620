/** Command-line reading shared by the query and the ingest benchmark. */
import type { DbError } from '../storage/errors.js';

type UsageError = (message: string) => DbError;

/**
 * The flags of argv in order, `--flag value` and `--flag=value` alike; `value()` takes the flag's
 * value (the next argument unless given inline) or throws the usage error.
 */
export function* flagsOf(argv: readonly string[], usageError: UsageError): Generator<{ readonly arg: string; readonly flag: string; readonly value: () => string }> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw usageError(`${flag} needs a value`);
      return v;
    };
    yield { arg, flag, value };
  }
}

/** 20000, 20_000, 20k, 1.5M. */
export function parseCount(name: string, text: string, usageError: UsageError): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.replaceAll('_', ''));
  const scale = match?.[2]?.toLowerCase() === 'k' ? 1e3 : match?.[2]?.toLowerCase() === 'm' ? 1e6 : 1;
  const value = match ? Math.round(Number(match[1]) * scale) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 0) throw usageError(`${name} must be a non-negative count, got "${text}"`);
  return value;
}

/** A count of at least 1. */
export function parsePositive(name: string, text: string, usageError: UsageError): number {
  const value = parseCount(name, text, usageError);
  if (value < 1) throw usageError(`${name} must be at least 1, got "${text}"`);
  return value;
}
