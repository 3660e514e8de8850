import { describe, expect, it } from 'vitest';
import {
  cents,
  cpmOf,
  fromMicros,
  impressionsFor,
  micros,
  spendFor,
} from '../../src/sources/money.js';
import { moneyLeaks } from '../../scripts/structure/money.js';

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

  it('prices impressions at a CPM to the cent', () => {
    expect(spendFor(12_500, 8)).toBe(100);
    expect(spendFor(3_333, 3)).toBe(10);
    expect(spendFor(1, 0.015)).toBe(0);
  });

  it('finds money arithmetic written by hand outside money.ts (npm run structure fails on it)', () => {
    const leaks = moneyLeaks([
      { file: 'src/modules/x/a.ts', text: 'const spend = Number(row.spend) / 1_000_000;' },
      { file: 'src/modules/x/b.ts', text: 'const total = Math.round(sum * 100) / 100;' },
      { file: 'src/modules/x/c.ts', text: 'const ecpm = (t.spend / t.impressions) * 1000;' },
      { file: 'src/modules/x/d.ts', text: 'const limit = z.number().max(1_000_000);' },
      {
        file: 'src/modules/x/e.ts',
        text: '// not money: a score\nconst s = Math.round(x * 100) / 100;',
      },
      { file: 'src/sandbox/fakes/f.ts', text: 'const spend = micro / 1_000_000;' },
      { file: 'src/sources/money.ts', text: 'const m = Math.round(a * 100) / 100;' },
    ]);
    expect(leaks.map((leak) => leak.split(':')[0])).toEqual([
      'src/modules/x/a.ts',
      'src/modules/x/b.ts',
      'src/modules/x/c.ts',
    ]);
  });
});
