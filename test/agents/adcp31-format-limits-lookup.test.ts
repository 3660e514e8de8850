import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnswerOf, type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * How a 3.1 sync_creatives reads the limits of a format only a source lists (no seed holds it):
 * the source's list_creative_formats answer for that buyer is reused while the source answer
 * cache keeps it (INTERCHANGE_SOURCE_ANSWER_TTL_MS), so repeated syncs ask the source once, and
 * another buyer's sync asks for that buyer; a source slower than the sync's short wait does not
 * hold the sync (its creatives are judged without the format's limits, and told so), and its
 * answer, when it comes, serves the next sync. Official MCP client; real sellers over MCP.
 */
let h: Harness;
let base: string;
const sellers: RunningSeller[] = [];

beforeAll(async () => {
  // Answers reused for 30 s; a source's budget of 8 s, so a sync waits 4 s on its formats.
  h = await createHarness({
    INTERCHANGE_SOURCE_ANSWER_TTL_MS: '30000',
    INTERCHANGE_SOURCE_BUDGET_MS: '8000',
  });
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await Promise.all(sellers.map((seller) => seller.close()));
  await h?.close();
});

const formatId = { agent_url: 'https://formats.example/mcp', id: 'native_probe' };
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

/** The seller lists the probe format (a title of at most 20 characters) when it is asked for. */
const listsProbe: AnswerOf = (args) => {
  const asked = (args['format_ids'] ?? []) as Array<{ id?: string }>;
  const formats = asked.some((id) => id.id === formatId.id)
    ? [
        {
          format_id: formatId,
          name: 'Native probe',
          assets: [
            {
              item_type: 'individual',
              asset_id: 'title',
              asset_type: 'text',
              required: true,
              requirements: { max_length: 20 },
            },
          ],
        },
      ]
    : [];
  return { data: { formats } };
};

async function sellerListingProbe(delayMs?: number) {
  const seller = await startSeller(
    'mcp',
    delayMs ? { answerDelayMs: { list_creative_formats: delayMs } } : {},
  );
  sellers.push(seller);
  seller.answerInstead?.('list_creative_formats', listsProbe);
  return seller;
}

const titled = (content: string) => ({
  creative_id: `cr_${randomUUID().slice(0, 8)}`,
  name: 'Probe creative',
  format_id: formatId,
  assets: { title: { asset_type: 'text', content } },
});
const tooLong = () => titled('Trail Pro 3000 for the summit');

async function buyerOn(platformId: string) {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, platformId, buyer.key);
  const sync = (creatives: unknown[]) =>
    agent.call('sync_creatives', {
      adcp_version: '3.1',
      idempotency_key: randomUUID(),
      account,
      creatives,
    });
  return { agent, sync };
}

const formatCalls = (seller: RunningSeller) =>
  seller.toolCalls().filter((c) => c.tool === 'list_creative_formats').length;

describe('format limits read from a source on sync_creatives', () => {
  it('asks the source once for a buyer’s repeated syncs, and again for another buyer', async () => {
    const seller = await sellerListingProbe();
    const sf = await storefrontWith(h, [{ sourceId: 'quick', url: seller.url }]);
    const a = await buyerOn(sf.platformId);
    const b = await buyerOn(sf.platformId);
    try {
      // The buyer's own list_creative_formats first: the connection to the seller is made.
      await a.agent.call('list_creative_formats', { adcp_version: '3.1' });
      const before = formatCalls(seller);
      for (let i = 0; i < 2; i++) {
        const refused = await a.sync([tooLong()]);
        expect(refused.isError, JSON.stringify(refused)).toBe(true);
        expect(refused.errors[0]).toMatchObject({
          code: 'VALIDATION_ERROR',
          field: 'creatives[0].assets.title.content',
        });
      }
      expect(formatCalls(seller)).toBe(before + 1);
      const fits = titled('Trail Pro 3000');
      const taken = await a.sync([fits]);
      expect(taken.creatives, JSON.stringify(taken)).toEqual([
        expect.objectContaining({ creative_id: fits.creative_id, action: 'created' }),
      ]);
      // Judged, so nothing says it went unchecked (other warnings are the library source's).
      const warnings = (taken.creatives[0].warnings ?? []) as string[];
      expect(warnings.filter((w) => w.includes('not checked'))).toEqual([]);
      expect(formatCalls(seller)).toBe(before + 1);

      // Another buyer's sync: the source is asked for that buyer (the cache key names it).
      const other = await b.sync([tooLong()]);
      expect(other.errors?.[0]?.code, JSON.stringify(other)).toBe('VALIDATION_ERROR');
      expect(formatCalls(seller)).toBe(before + 2);
    } finally {
      await Promise.all([a.agent.close(), b.agent.close()]);
    }
  }, 90_000);

  it('does not hold a sync on a slow source, says the format went unchecked, and uses its late answer next', async () => {
    const seller = await sellerListingProbe(6_000);
    const sf = await storefrontWith(h, [{ sourceId: 'slow', url: seller.url }]);
    const c = await buyerOn(sf.platformId);
    try {
      const started = Date.now();
      const unchecked = tooLong();
      const taken = await c.sync([unchecked]);
      const elapsed = Date.now() - started;
      expect(taken.creatives, JSON.stringify(taken)).toEqual([
        expect.objectContaining({ creative_id: unchecked.creative_id, action: 'created' }),
      ]);
      expect(taken.creatives[0].warnings).toContainEqual(
        'Format native_probe was not checked against its limits: Source slow did not list it ' +
          'within 4000 ms; its seller judges the creative',
      );
      // Not the 6 s the source takes (nor its 8 s budget): the sync's wait, half the budget.
      expect(elapsed).toBeLessThan(6_000);
      expect(formatCalls(seller)).toBe(1);

      // The source's answer arrives in the background and is kept: the next sync is judged by it.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, started + 7_500 - Date.now())),
      );
      const refused = await c.sync([tooLong()]);
      expect(refused.errors?.[0], JSON.stringify(refused)).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'creatives[0].assets.title.content',
      });
      expect(formatCalls(seller)).toBe(1);
    } finally {
      await c.agent.close();
    }
  }, 90_000);
});
