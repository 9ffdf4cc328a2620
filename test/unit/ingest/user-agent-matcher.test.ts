/**
 * The shipped crawler list and its matcher: every pattern is a valid JavaScript regular expression,
 * every user agent the list gives as an instance is recognised, and the trigram-indexed matcher
 * answers exactly as testing every pattern in list order would.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCrawlerList } from '../../../src/ingest/crawler-list.js';
import { requiredLiterals, UserAgentMatcher } from '../../../src/ingest/user-agent-matcher.js';

const entries = readCrawlerList();
const patterns = entries.map((e) => e.pattern);
const regexps = patterns.map((p) => new RegExp(p));
const matcher = new UserAgentMatcher(patterns);

/** The reference: the first pattern in list order that the user agent matches. */
function firstMatch(userAgent: string): number {
  return regexps.findIndex((re) => re.test(userAgent));
}

const browsers = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
];

describe('the crawler list', () => {
  it('is the list of the crawler-user-agents project, with every pattern a valid JavaScript regular expression', () => {
    expect(entries.length).toBeGreaterThan(1000);
    for (const pattern of patterns) expect(() => new RegExp(pattern), pattern).not.toThrow();
  });

  it('recognises every instance the list gives, as the reference does', () => {
    let instances = 0;
    for (const entry of entries) {
      for (const instance of entry.instances ?? []) {
        instances++;
        const got = matcher.match(instance);
        expect(got, instance).toBeGreaterThanOrEqual(0);
        expect(got, instance).toBe(firstMatch(instance));
      }
    }
    expect(instances).toBeGreaterThan(1000);
  });

  it('does not flag common browsers', () => {
    for (const browser of browsers) expect(matcher.match(browser), browser).toBe(-1);
  });

  it('agrees with the reference on random strings built from browser and crawler text', () => {
    const pieces = [...browsers, ...entries.slice(0, 400).flatMap((e) => e.instances ?? [])];
    const piece = fc.constantFrom(...pieces).chain((p) => fc.tuple(fc.nat(p.length), fc.nat(p.length)).map(([a, b]) => p.slice(Math.min(a, b), Math.max(a, b))));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 4 }), (parts) => {
        const userAgent = parts.join('');
        expect(matcher.match(userAgent)).toBe(firstMatch(userAgent));
      }),
      { numRuns: 1500 },
    );
  });

  it('rejects an invalid pattern by name', () => {
    expect(() => new UserAgentMatcher(['ok', 'bad(('])).toThrow(/crawler pattern "bad\(\(" is not a valid regular expression/);
  });
});

describe('requiredLiterals', () => {
  it('finds the literal every match contains, per top-level branch', () => {
    expect(requiredLiterals('Googlebot\\/')).toEqual(['Googlebot/']);
    expect(requiredLiterals('AdsBot-Google([^-]|$)')).toEqual(['AdsBot-Google']);
    expect(requiredLiterals('[wW]get')).toEqual(['get']);
    expect(requiredLiterals('^curl')).toEqual(['curl']);
    expect(requiredLiterals('S[eE][mM]rushBot')).toEqual(['rushBot']);
    expect(requiredLiterals('(sistrix|SISTRIX) [cC]rawler')).toEqual(['rawler']);
    expect(requiredLiterals('BlogTraffic\\/\\d\\.\\d+ Feed-Fetcher')).toEqual([' Feed-Fetcher']);
    expect(requiredLiterals('abcd?e')).toEqual(['abc']);
    expect(requiredLiterals('xyz|abcdef')).toEqual(['xyz', 'abcdef']);
    expect(requiredLiterals('ab|abcdef')).toBeNull();
    expect(requiredLiterals('a.b.c')).toBeNull();
  });

  it('indexes a pattern without a usable literal by testing it on every user agent', () => {
    const m = new UserAgentMatcher(['x.y', 'Googlebot']);
    expect(m.unindexed).toEqual([0]);
    expect(m.match('ax-y')).toBe(0);
    expect(m.match('Googlebot/2.1')).toBe(1);
    expect(m.match('nothing')).toBe(-1);
  });
});
