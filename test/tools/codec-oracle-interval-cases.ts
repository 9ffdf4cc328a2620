/**
 * The interval inputs the codec oracle asks PostgreSQL about: every input shape (unit words and
 * abbreviations, fractions that cascade, signs, `@ ... ago`, hh:mm:ss, bare numbers, SQL
 * year-month, ISO 8601 designators) and errors, printed in every IntervalStyle; and values sent
 * in binary. Only inputs live here.
 */
import type { TextCase } from './codec-oracle-random.js';

const intervalInputs = [
  '7 days', '1 hour', '2 weeks', '1 day 02:03:04', 'P1DT2H', '@ 1 hour ago', '1 day', '24 hours', '-7 days',
  '1 year 2 mons', '1 year 2 months', '00:00:00.5', '0.5 seconds', '1.5 days', '1.5 months', '1.5 years', '0.1 years',
  '1.5 weeks', '2.5 hours', '90 minutes', '90 seconds', '90', '1 2:00', '-1 2:00', '1 -02:00:00', '-01:30',
  '1 year -1 day', '-1 year +1 day', '1 mon -2 days 03:00:00', '-1 mon 2 days -03:00:00', '1 day -1 hour',
  '3 days 5 hours 7 minutes', '1 year 2 months 3 days 04:05:06.5', '1 year 2 months 3 days 04:05:06.789',
  '@ 1 year 2 mons -3 days 4 hours 5 mins 6 secs ago', '@ 2 secs ago', '@ 1 sec', '@ 0.5 secs', '@ 1 day ago',
  '1d', '2h', '30m', '10s', '3 hrs', '5 mins', '1 yr', '2 yrs', '1 decade', '2 centuries', '1 millennium',
  '1 microsecond', '1500 milliseconds', '1500 ms', '100 us', '1 week 2 days', '12:34', '12:34:56', '12:34:56.789',
  '100:00:00', '-100:00:00', '1-2', '-1-2', '0', '0 days', '00:00:00', '0 seconds', '-0', 'P1Y2M3DT4H5M6S',
  'P1Y', 'P2W', 'PT1.5S', 'PT36H', 'P1.5D', 'P-1D', 'PT-1H30M', 'P0D', 'soon', '', 'x days', '1 fortnight', '1 day day',
  '1:60', '1:2:60', 'P', 'PT', '1 days ago ago', '+1 day', '+01:00', '2147483647 days', '2147483648 days',
  '178000000 years', '1 hour 30', '3 1', '1 day 1 day',
];

const styles = ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601'];

export function intervalCases(): TextCase[] {
  const cases: TextCase[] = [];
  for (const intervalStyle of styles) {
    for (const input of intervalInputs) {
      cases.push(intervalStyle === 'postgres' ? { type: 'interval', input } : { type: 'interval', input, settings: { intervalStyle } });
    }
  }
  return cases;
}

export function intervalSendCases(): TextCase[] {
  return ['7 days', '1 year 2 mons 3 days 04:05:06.789', '-1 mon 2 days -03:00:00', '00:00:00.000001', '0', '-100:00:00', '178000000 years'].map(
    (input) => ({ type: 'interval', input }),
  );
}
