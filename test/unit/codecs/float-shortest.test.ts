/**
 * The fast path for shortest float8 digits (JS's own digits unless they sit on an interval bound)
 * agrees with the exact BigInt implementation of PostgreSQL's Ryu rules, which floats.json checks
 * against PostgreSQL itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactShortestFloat64Digits, shortestFloat64Digits } from '../../../storage/float-shortest.js';


describe('shortest float digits', () => {
  it('float8: the fast path equals the exact one', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 16, max: 300 }), (value, digits, exponent) => {
        expect(shortestFloat64Digits(value)).toEqual(exactShortestFloat64Digits(value));
        const round = Number(`${digits}e${exponent}`);
        expect(shortestFloat64Digits(round)).toEqual(exactShortestFloat64Digits(round));
      }),
      { numRuns: 1000 },
    );
  });
});
