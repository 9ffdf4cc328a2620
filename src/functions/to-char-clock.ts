/**
 * The to_char patterns of the clock that timestamps and intervals print alike (formatting.c's
 * DCH_HH ... DCH_US, SSSS, AM/PM): one place for both; each caller brings its own zero padding
 * (an interval's width counts a minus sign differently from a date's).
 */

export type Pad = (n: number, width: number, fillMode: boolean) => string;

/** The keyword's case applied to a word: AM, am, or as written (Am). */
export function cased(keyword: string, word: string): string {
  if (keyword === keyword.toUpperCase()) return word.toUpperCase();
  if (keyword === keyword.toLowerCase()) return word.toLowerCase();
  return word;
}

/** The clock pattern `upper` (the keyword upper-cased) printed, or null when it is not one. */
export function formatClockKeyword(
  keyword: string,
  upper: string,
  fillMode: boolean,
  pad: Pad,
  hour: number,
  minute: number,
  second: number,
  micro: number,
): string | null {
  switch (upper) {
    case 'HH':
    case 'HH12':
      return pad(hour % 12 === 0 ? 12 : hour % 12, 2, fillMode);
    case 'HH24':
      return pad(hour, 2, fillMode);
    case 'MI':
      return pad(minute, 2, fillMode);
    case 'SS':
      return pad(second, 2, fillMode);
    case 'MS':
      return pad(Math.trunc(micro / 1000), 3, fillMode);
    case 'US':
      return pad(micro, 6, fillMode);
    case 'SSSS':
    case 'SSSSS':
      return String((hour * 60 + minute) * 60 + second);
    case 'AM':
    case 'PM':
      return cased(keyword, hour % 24 >= 12 ? 'PM' : 'AM');
    case 'A.M.':
    case 'P.M.':
      return cased(keyword, hour % 24 >= 12 ? 'P.M.' : 'A.M.');
    default:
      return null;
  }
}
