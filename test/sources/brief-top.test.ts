import { describe, expect, it } from 'vitest';
import {
  type BriefCandidate,
  prepareCandidate,
  rankForAsk,
  readAsk,
  topForAsk,
} from '../../src/sources/brief/index.js';

/**
 * The best few of a held catalogue (issue 47 item 5: a modular source's avails and an ad
 * server's placements are ranked this way): the same products in the same order, with the same
 * reasons, as ranking the whole catalogue and cutting it.
 */
describe('the best few of a held catalogue', () => {
  const words = ['sport', 'news', 'weekend', 'video', 'banner', 'podcast', 'UK', 'Germany', 'MPU'];
  const channels = ['display', 'olv', 'ctv', 'podcast'];
  const formats = ['display_300x250', 'display_728x90', 'video_standard_30s'];
  // A seeded generator: the same catalogue on every run.
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pick = <T>(list: readonly T[]) => list[next(list.length)]!;
  const day = (n: number) => new Date(Date.UTC(2026, 11, 1) + n * 86_400_000);
  const catalogue: BriefCandidate[] = Array.from({ length: 2_000 }, (_, i) => ({
    name: `${pick(words)} ${pick(words)} ${i % 13}`,
    description: next(3) ? `${pick(words)} placement` : null,
    tags: [pick(words)],
    channels: next(4) ? [pick(channels)] : undefined,
    formatIds: [pick(formats)],
    available: next(2) ? { start: day(next(30) - 10), end: day(next(60)) } : null,
  }));
  const briefs = [
    { brief: 'sport video in the UK' },
    { brief: 'weekend news MPU, 2026-12-05 to 2026-12-20' },
    { brief: 'podcast Germany', filters: { channels: ['podcast'] } },
    { brief: '' },
    { brief: 'banner', filters: { countries: ['de'] } },
  ];

  for (const asked of briefs) {
    it(`answers as the whole ranking cut to size: "${asked.brief}"`, () => {
      const ask = readAsk(asked);
      const items = catalogue.map((candidate, i) => ({ i, candidate }));
      const prepared = items.map((item) => prepareCandidate(item, item.candidate));
      for (const limit of [1, 10, 100, 5_000]) {
        const whole = rankForAsk(items, ask, (item) => item.candidate).ranked.slice(0, limit);
        const top = topForAsk(prepared, ask, limit);
        expect(top.map((r) => [r.item.i, r.match])).toEqual(whole.map((r) => [r.item.i, r.match]));
      }
    });
  }
});
