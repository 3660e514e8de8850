import { describe, expect, it } from 'vitest';
import { parseLossless, stringifyLossless } from './lossless-json.js';

describe('JSON with 64-bit integers', () => {
  it('reads integers a number cannot hold as their digits, and leaves the rest as JSON.parse does', () => {
    expect(
      parseLossless(
        '[{"campaignId": 290000000000000017, "small": 9007199254740991, "n": -9007199254740993, "x": 12.5e3}]',
      ),
    ).toEqual([
      {
        campaignId: '290000000000000017',
        small: 9007199254740991,
        n: '-9007199254740993',
        x: 12500,
      },
    ]);
    // Digits inside strings, escaped quotes included, are text.
    expect(parseLossless('{"a":"said \\"1234567890123456789\\"","b":"9007199254740993"}')).toEqual({
      a: 'said "1234567890123456789"',
      b: '9007199254740993',
    });
    expect(() => parseLossless('{"a": 1')).toThrow();
  });

  it('writes bigints as bare numbers with every digit', () => {
    expect(stringifyLossless({ id: 290000000000000017n, name: 'x', list: [1n, 2] })).toBe(
      '{"id":290000000000000017,"name":"x","list":[1,2]}',
    );
    expect(parseLossless(stringifyLossless({ id: 290000000000000017n }))).toEqual({
      id: '290000000000000017',
    });
  });
});
