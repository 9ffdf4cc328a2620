/**
 * timezone(zone, timestamp | timestamptz), what `x AT TIME ZONE zone` becomes: a timestamptz as
 * the wall-clock time in `zone`, or a timestamp read as a wall-clock time there. As PostgreSQL 15's
 * timestamptz_zone, the zone is first a fixed-offset abbreviation (EST, UTC, ...), then a zone name.
 */
import { Types } from '../../storage/types.js';
import { DbError, featureNotSupported } from '../../storage/errors.js';
import { USECS_PER_SEC } from '../../storage/datetime-calendar.js';
import { defaultAbbreviations } from '../../storage/datetime-abbreviations.js';
import { findTimeZone, timestampToTimestamptz, timestamptzToTimestamp, type TimeZone } from '../../storage/datetime.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, numbersOf, strictValidity, stringsOf } from './function-vectors.js';

/** A fixed offset (seconds east) for an abbreviation, or the named zone. */
function lookupZone(name: string): number | TimeZone {
  const lower = name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  const abbreviation = Object.hasOwn(defaultAbbreviations, lower) ? defaultAbbreviations[lower] : undefined;
  if (abbreviation !== undefined) {
    if (typeof abbreviation === 'string') throw featureNotSupported(`AT TIME ZONE with the abbreviation "${name}"`);
    return abbreviation[0];
  }
  return zoneNamed(name);
}

/** A zone by name, or PostgreSQL's 22023 "time zone ... not recognized". */
export function zoneNamed(name: string): TimeZone {
  const zone = findTimeZone(name);
  if (zone === null) throw new DbError('22023', `time zone "${name}" not recognized`);
  return zone;
}

export const timezoneFunction: ScalarFunctionDef = {
  name: 'timezone',
  signatures: [
    { argTypes: [Types.text, Types.timestamptz], returnType: Types.timestamp },
    { argTypes: [Types.text, Types.timestamp], returnType: Types.timestamptz },
  ],
  strict: true,
  evaluate: (signature, args, n) => {
    const validity = strictValidity(args, n);
    const zones = stringsOf(args[0]);
    const input = numbersOf(args[1] as Vector);
    const out = new Float64Array(n);
    let lastName: string | null = null;
    let zone: number | TimeZone = 0;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const micros = input[i] as number;
      if (!Number.isFinite(micros)) {
        out[i] = micros;
        continue;
      }
      const name = zones[i] as string;
      if (name !== lastName) {
        zone = lookupZone(name);
        lastName = name;
      }
      if (typeof zone === 'number') out[i] = signature === 0 ? micros + zone * USECS_PER_SEC : micros - zone * USECS_PER_SEC;
      else out[i] = signature === 0 ? timestamptzToTimestamp(micros, zone) : timestampToTimestamptz(micros, zone);
    }
    return fixedResult(signature === 0 ? Types.timestamp : Types.timestamptz, out, validity);
  },
};
