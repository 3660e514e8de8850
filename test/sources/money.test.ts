import { describe, expect, it } from 'vitest';
import { cents, cpmOf, fromMicros, impressionsFor, micros } from '../../src/sources/money.js';

describe('price and impressions arithmetic, one for every source kind', () => {
  it('counts money in micros, rounded to the nearest micro, and back', () => {
    expect(micros(12.5)).toBe(12_500_000);
    expect(micros(0.1 + 0.2)).toBe(300_000);
    expect(fromMicros(2_750_000)).toBe(2.75);
  });

  it('rounds spend to cents', () => {
    expect(cents(10.005 + 0.001)).toBe(10.01);
    expect(cents(3.333)).toBe(3.33);
  });

  it('buys whole impressions with a budget; an ad server line asks for at least one', () => {
    expect(impressionsFor(100, 8)).toBe(12_500);
    expect(impressionsFor(10, 3)).toBe(3_333);
    expect(impressionsFor(0.001, 10)).toBe(0);
    expect(impressionsFor(0.001, 10, { atLeastOne: true })).toBe(1);
    expect(impressionsFor(100, 8, { atLeastOne: true })).toBe(12_500);
  });

  it('prices delivery as a CPM in cents, 0 before any impression', () => {
    expect(cpmOf(25, 10_000)).toBe(2.5);
    expect(cpmOf(1, 3)).toBe(333.33);
    expect(cpmOf(5, 0)).toBe(0);
  });
});
