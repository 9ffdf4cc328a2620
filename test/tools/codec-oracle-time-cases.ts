/**
 * The date/time inputs the codec oracle asks PostgreSQL about: input strings of every shape
 * PostgreSQL reads, under several zones and DateStyles, and instants printed across zones,
 * transitions, history and the far future. Only inputs live here.
 */
import { nextRandom, pick, randomInt, type Settings, type TextCase } from './codec-oracle-random.js';

// ---- dates and times -------------------------------------------------------------------------

const dateTimeInputs = [
  '2024-01-31', '2024-01-31 13:45:00', '2024-01-31T13:45:00.123456Z', '2024-01-31 13:45:00+02', '2024-01-31 13:45:00+05:30',
  '2024-01-31 13:45:00-0800', '2024-01-31 13:45:00 -08:00', '2024-01-31 13:45:00+14', '2024-01-31 13:45:00+16',
  '2024-01-31 13:45:00+05:30:15', '2024-01-31 13:45:00 Z', '2024-01-31 13:45:00 UTC', '2024-01-31 13:45:00 GMT',
  '2024-01-31 13:45:00 EST', '2024-01-31 13:45:00 PST', '2024-07-31 13:45:00 PDT', '2024-01-31 13:45:00 CET',
  '2024-01-31 13:45:00 CEST', '2024-01-31 13:45:00 MSK', '2024-01-31 13:45:00 America/New_York',
  '2024-07-31 13:45:00 America/New_York', '2024-01-31 13:45:00 Europe/Berlin', '2024-01-31 13:45:00 Asia/Kolkata',
  '2024-01-31 13:45:00 Nowhere/City', '2024-01-31 13:45:00 PST8PDT', '2024-01-31 13:45:00 utc+3', 'Jan 31 2024',
  'January 31, 2024', '31 Jan 2024', '2024-Jan-31', 'Jan-31-2024', '31-jan-2024', 'Wed Jan 31 13:45:00 2024',
  'Wed Jan 31 13:45:00.5 2024 PST', 'Wednesday, January 31, 2024 1:45 PM', '1/2/2024', '01/02/2024', '13/01/2024',
  '2024/01/31', '2024.01.31', '31.01.2024', '20240131', '20240131T134500', '20240131 134500', '2024-01-31T134500',
  '240131', '24-01-31', '01-02-03', '99-12-31', '1999-12-31 23:59:59.999999', '1999-12-31 23:59:59.9999995',
  '1999-12-31 23:59:59.9999994', '2000-01-01 00:00:00.0000005', '2024-01-31 24:00:00', '2024-01-31 24:00:01',
  '2024-01-31 23:59:60', '2024-01-31 23:60:00', '2024-01-31 25:00:00', '2024-01-31 12:00:00.', '2024-01-31 12:00',
  '2024-01-31 1:2:3', '2024-01-31 12:30 am', '2024-01-31 12:30 pm', '2024-01-31 13:30 pm', '2024-01-31 0:30 am',
  'epoch', 'infinity', '-infinity', '+infinity', 'Infinity', ' infinity ', 'allballs', '2024-01-31 allballs',
  '0044-03-15 BC', '44-03-15 BC', '0001-01-01', '0001-01-01 BC', '0000-01-01', '4713-01-01 BC', '4714-11-24 BC',
  '4714-11-23 BC', '10000-01-01', '294276-12-31', '294277-01-01', '5874897-12-31', '5874898-01-01',
  '2024-02-29', '2023-02-29', '2024-02-30', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-01-32',
  '1900-02-29', '2000-02-29', 'x', '', ' ', '2024', '2024-01', '13:45:00', '13:45 2024-01-31', '2024-01-31 x',
  '2024-01-31 13:45:00 +', 'J2451545', 'J2451545.5', 'j 2451545', '2024-01-31 13:45:00.123456789', '2024 01 31',
  '2024-01-31 13:45:00 Asia/Kathmandu', '1800-01-01 00:00:00 America/New_York', '2024-03-10 02:30:00',
  '2024-03-10 03:30:00', '2024-11-03 01:30:00', '2024-11-03 00:59:59', '2024-03-31 02:30:00', '2024-10-27 02:30:00',
  '2024-01-31 13:45:00 dst', '2024-01-31 13:45:00 CET DST', 'yesterdayx', 'on 2024-01-31 at 13:45',
  '2024-01-31 13:45:00 ad', 'Sat Jan 31 2024', '2024-060', '2024-366', '2023-366', '1/1/1', '2024-01-31 134500-05',
  '2024-12-31t23:59:59', '2024-01-31 t 13:45', '2024-01-31T13:45:00+0100', '   2024-01-31   ', '2024-01-31,13:45',
  '2024-01-31 13:45:00.000000', '2024-01-31 13:45:00.100', '2024-01-31 13:45:00-03:30', '2024-01-31 13:45:00+15:59',
];

/** Inputs as node pg and JDBC send them. */
const clientForms = ['2024-01-31T13:45:00.123+02:00', '2024-01-31T11:45:00.123Z', '0044-03-15T00:00:00.000+00:00 BC',
  '2024-01-31 13:45:00.123456+02:00:00', '2024-01-31 13:45:00.123456-08', '2024-01-31 13:45:00.1+00'];

export function dateTimeInputCases(): TextCase[] {
  const cases: TextCase[] = [];
  const zonesAndStyles: (Settings | undefined)[] = [
    undefined,
    { timeZone: 'America/New_York' },
    { timeZone: 'Europe/Berlin', dateStyle: 'ISO, DMY' },
    { timeZone: 'Asia/Kolkata', dateStyle: 'ISO, YMD' },
    { timeZone: 'Australia/Lord_Howe' },
    { timeZone: '+02' },
    { timeZone: 'UTC+3' },
  ];
  for (const settings of zonesAndStyles) {
    const inputs = settings === undefined ? [...dateTimeInputs, ...clientForms] : dateTimeInputs.slice(0, 60).concat(dateTimeInputs.slice(120));
    for (const type of ['date', 'timestamp without time zone', 'timestamp with time zone']) {
      for (const input of inputs) cases.push(settings === undefined ? { type, input } : { type, input, settings });
    }
  }
  for (const type of ['timestamp(0) without time zone', 'timestamp(3) with time zone', 'timestamp(1) without time zone']) {
    for (const input of ['2024-01-31 13:45:00.5', '2024-01-31 13:45:01.5', '1999-12-31 23:59:59.5', '1970-01-01 00:00:00.0005',
      '1980-06-15 10:00:00.45', '1980-06-15 10:00:00.55', '2024-01-31 13:45:00.123456', '1999-12-31 23:59:59.9995']) {
      cases.push({ type, input });
    }
  }
  return cases;
}

/** Instants printed in many zones and DateStyles: DST edges, history, far future, BC. */
export function instantOutputCases(): TextCase[] {
  const instants = [
    '2024-01-31 13:45:00+00', '2024-07-01 12:00:00.5+00', '2024-03-10 06:59:59+00', '2024-03-10 07:00:00+00',
    '2024-11-03 05:59:59+00', '2024-11-03 06:00:00+00', '2024-03-31 00:59:59+00', '2024-03-31 01:00:00+00',
    '2024-10-27 00:59:59+00', '2024-10-27 01:00:00+00', '1800-01-01 00:00:00+00', '1883-11-18 17:00:00+00',
    '1900-01-01 00:00:00+00', '1918-03-31 07:00:00+00', '1945-08-14 23:00:00+00', '1950-06-01 00:00:00+00',
    '1970-01-01 00:00:00+00', '1969-12-31 23:59:59.999999+00', '2000-01-01 00:00:00+00', '2038-01-19 03:14:08+00',
    '2050-07-01 00:00:00+00', '2100-01-01 00:00:00+00', '2500-06-15 12:00:00+00', '200000-07-01 12:00:00+00', '0044-03-15 12:00:00+00 BC',
    '0001-01-01 00:00:00+00', '9999-12-31 23:59:59+00', '2255-06-01 23:59:59.999999+00', '10000-01-01 00:00:00+00', 'infinity', '-infinity',
    '2024-01-31 13:45:00.123456+00', '2024-01-31 13:45:00.100000+00', '1995-05-05 05:05:05.000005+00',
  ];
  const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu',
    'Australia/Lord_Howe', 'America/Sao_Paulo', 'Pacific/Chatham', 'Europe/Moscow', 'America/St_Johns',
    'Africa/Casablanca', '+02', '-07', '5.5', 'UTC+3', 'Etc/GMT-14', 'GMT'];
  const cases: TextCase[] = [];
  for (const timeZone of zones) {
    for (const input of instants) cases.push({ type: 'timestamp with time zone', input, settings: { timeZone } });
  }
  for (const dateStyle of ['SQL, MDY', 'SQL, DMY', 'Postgres, MDY', 'Postgres, DMY', 'German', 'ISO, YMD']) {
    for (const input of instants.slice(0, 6).concat(instants.slice(22, 29))) {
      cases.push({ type: 'timestamp with time zone', input, settings: { dateStyle } });
      cases.push({ type: 'timestamp without time zone', input, settings: { dateStyle } });
      cases.push({ type: 'date', input, settings: { dateStyle } });
    }
    for (const input of instants.slice(0, 6)) {
      cases.push({ type: 'timestamp with time zone', input, settings: { dateStyle, timeZone: 'America/New_York' } });
      cases.push({ type: 'timestamp with time zone', input, settings: { dateStyle, timeZone: '+02' } });
    }
    for (const input of ['1/2/2024', '13/01/2024', '01/13/2024', '2024-01-31', '24-01-31', '31.01.2024']) {
      cases.push({ type: 'date', input, settings: { dateStyle } });
    }
  }
  for (let i = 0; i < 80; i++) {
    const seconds = Math.floor((nextRandom() - 0.4) * 5e9);
    const micros = nextRandom() < 0.5 ? 0 : randomInt(1_000_000);
    const text = new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '') + '.' + String(micros).padStart(6, '0') + '+00';
    cases.push({ type: 'timestamp with time zone', input: text, settings: { timeZone: pick(zones) } });
  }
  return cases;
}
