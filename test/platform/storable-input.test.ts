import { describe, expect, it } from 'vitest';
import {
  findDeepJsonNesting,
  findUnstorableInput,
  maxNesting,
} from '../../src/platform/storable-input.js';

const nest = (levels: number, inner: unknown = 'x') => {
  let value: unknown = inner;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

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
    expect(findUnstorableInput(nest(maxNesting))).toBeUndefined();
    expect(findUnstorableInput(nest(maxNesting + 1))).toMatchObject({
      path: new Array(maxNesting).fill(0),
      problem: expect.stringContaining('nest deeper'),
    });
    expect(findUnstorableInput(nest(500_000))?.problem).toContain('nest deeper');
  });
});

describe('findDeepJsonNesting', () => {
  it('finds in the text what findUnstorableInput finds in the parsed value', () => {
    const bodies = [
      nest(maxNesting),
      nest(maxNesting + 1),
      { a: 1, 'b"[{': ['x]', { c: nest(maxNesting - 2) }] },
      { a: 1, 'b"[{': ['x]', { c: nest(maxNesting - 1) }] },
      { list: [1, 2, { 'k\\"': 'v{\\', 'é\n': [0, nest(maxNesting, {})] }] },
      { text: '['.repeat(1000), ok: [{}] },
    ];
    for (const body of bodies) {
      const nesting = findUnstorableInput(body);
      expect(findDeepJsonNesting(JSON.stringify(body))).toEqual(nesting);
      expect(findDeepJsonNesting(JSON.stringify(body, null, 2))).toEqual(nesting);
    }
    expect(findDeepJsonNesting(JSON.stringify(bodies[4]))?.path).toEqual([
      'list',
      2,
      'é\n',
      1,
      ...new Array(maxNesting - 4).fill(0),
    ]);
  });

  it('reads a megabyte of brackets or of text in linear time, and leaves non-JSON to the parser', () => {
    expect(findDeepJsonNesting('['.repeat(500_000) + ']'.repeat(500_000))?.path).toHaveLength(
      maxNesting,
    );
    expect(findDeepJsonNesting(JSON.stringify({ a: '['.repeat(1_000_000) }))).toBeUndefined();
    expect(findDeepJsonNesting('{"a": "unterminated [[[[')).toBeUndefined();
    expect(findDeepJsonNesting(']]]] not json')).toBeUndefined();
  });
});
