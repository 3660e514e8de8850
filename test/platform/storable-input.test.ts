import { describe, expect, it } from 'vitest';
import { findUnstorableInput, maxNesting } from '../../src/platform/storable-input.js';

describe('findUnstorableInput', () => {
  it('finds NUL and unpaired surrogates, with the path to them', () => {
    expect(findUnstorableInput({ a: [{ b: 'x\u0000' }] })).toMatchObject({ path: ['a', 0, 'b'] });
    expect(findUnstorableInput(['ok', '\ud800'])?.path).toEqual([1]);
    expect(findUnstorableInput('x\udc00')?.problem).toContain('unpaired surrogate');
    expect(findUnstorableInput('\udc00\ud800')?.problem).toContain('unpaired surrogate');
  });

  it('accepts paired surrogates, other control characters, and non-text values', () => {
    expect(findUnstorableInput({ a: '🏈 \t\n\u0001', b: [1, true, null] })).toBeUndefined();
  });

  it('names the object holding a bad key', () => {
    expect(findUnstorableInput({ colors: { 'a\u0000': '#fff' } })).toMatchObject({
      path: ['colors'],
      problem: expect.stringContaining('field names'),
    });
  });

  it('refuses nesting past maxNesting, however deep, and accepts it up to there', () => {
    const nest = (levels: number) => {
      let value: unknown = 'x';
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    expect(findUnstorableInput(nest(maxNesting))).toBeUndefined();
    expect(findUnstorableInput(nest(maxNesting + 1))).toMatchObject({
      path: new Array(maxNesting).fill(0),
      problem: expect.stringContaining('nest deeper'),
    });
    expect(findUnstorableInput(nest(500_000))?.problem).toContain('nest deeper');
  });
});
