import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { askOver, ids, reasonsOf, type Row } from './brief-planner-support.js';
import { listen } from './storefront-agent-support.js';

/**
 * Readings of w30 (issue 71) a buyer sees, end to end over MCP with the official client against
 * a storefront over a spreadsheet: a region in a row's words may include the country asked but
 * does not serve it, a product of another topic ranks below one of the topic, and pets are a
 * topic.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const ask = (rows: Row[], brief: string) => askOver(h, base, rows, brief);

describe('a planner reads place and topic (w30)', () => {
  it('ranks a row "across Europe" below one in the UK for a UK brief, and says why', async () => {
    const answer = await ask(
      [
        { id: 'europe', name: 'Brand films MPU across Europe', impressions: 9_000_000 },
        { id: 'uk', name: 'UK homepage MPU', impressions: 1_000_000 },
      ],
      'Display in the UK',
    );
    expect(ids(answer)).toEqual(['uk', 'europe']);
    expect(reasonsOf(answer, 'europe')).toContain('a region that may include GB');
  });

  it('reads pet owners as the pets topic', async () => {
    const answer = await ask(
      [
        { id: 'sport', name: 'Football MPU', collection: 'sport', impressions: 9_000_000 },
        { id: 'pets', name: 'Dog and cat care MPU', collection: 'care', impressions: 1_000_000 },
      ],
      'Reach pet owners',
    );
    expect(ids(answer)).toEqual(['pets', 'sport']);
    expect(reasonsOf(answer, 'pets')).toContain('topic pets');
  });
});
