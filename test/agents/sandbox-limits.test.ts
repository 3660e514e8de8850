import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/agents/merchandising/sandbox/sandbox.js';

describe('sandbox inventory is bounded', () => {
  it('refuses products past the per-sandbox cap, but re-seeding one it holds still works', () => {
    const sandbox = createSandbox({ productsPerScope: 2, scopes: 10 });
    sandbox.seedProduct('a', 'p1', {});
    sandbox.seedProduct('a', 'p2', {});
    expect(() => sandbox.seedProduct('a', 'p3', {})).toThrow(/at most 2/);
    sandbox.seedProduct('a', 'p1', { delivery_type: 'guaranteed' });
    expect(sandbox.products('a').map((p) => p.product_id)).toEqual(['p1', 'p2']);
  });

  it('lets the least recently used sandbox go when there are too many', () => {
    const sandbox = createSandbox({ productsPerScope: 5, scopes: 2 });
    sandbox.seedProduct('a', 'p', {});
    sandbox.seedProduct('b', 'p', {});
    sandbox.seedProduct('a', 'q', {}); // a is now the most recent
    sandbox.seedProduct('c', 'p', {});
    expect(sandbox.has('a', 'q')).toBe(true);
    expect(sandbox.has('b', 'p')).toBe(false);
    expect(sandbox.has('c', 'p')).toBe(true);
  });
});
