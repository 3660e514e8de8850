import { describe, expect, it } from 'vitest';
import { createReadCache, writesClear } from '../../src/platform/read-cache.js';

describe('read cache', () => {
  it('serves a read for its lifetime, then reads again', async () => {
    let clock = 0;
    const cache = createReadCache(2_000, 100, () => clock);
    let reads = 0;
    const load = async () => ++reads;
    expect(await cache.get('sources:1', load)).toBe(1);
    clock = 1_999;
    expect(await cache.get('sources:1', load)).toBe(1);
    expect(await cache.get('sources:2', load)).toBe(2);
    clock = 2_000;
    expect(await cache.get('sources:1', load)).toBe(3);
  });

  it('shares one read between concurrent misses and keeps no failure', async () => {
    const cache = createReadCache();
    let reads = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++reads), 5));
    expect(await Promise.all([cache.get('k', slow), cache.get('k', slow)])).toEqual([1, 1]);
    await expect(cache.get('bad', () => Promise.reject(new Error('down')))).rejects.toThrow();
    expect(await cache.get('bad', async () => 'up')).toBe('up');
  });

  it('is cleared by every store function but the named reads, even one that fails', async () => {
    const cache = createReadCache();
    let rows = ['a'];
    const store = writesClear(
      {
        list: async () => [...rows],
        insert: async (row: string) => void rows.push(row),
        remove: async () => {
          rows = [];
          throw new Error('constraint');
        },
      },
      ['list'],
      cache,
    );
    const list = () => cache.get('rows', () => store.list());
    expect(await list()).toEqual(['a']);
    await store.list();
    expect(await list()).toEqual(['a']);
    await store.insert('b');
    expect(await list()).toEqual(['a', 'b']);
    await expect(store.remove()).rejects.toThrow('constraint');
    expect(await list()).toEqual([]);
  });
});
