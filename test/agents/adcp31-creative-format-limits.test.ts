import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * The limits a creative format the storefront declares itself (its sandbox's, seeded with
 * comply_test_controller seed_creative_format) puts on its slots, as creative/native_in_feed's
 * validation_failures probe them: a title over its max_length, a main image of another size, a
 * CTA outside the closed allowed_values. A 3.1 buyer's sync_creatives is refused with the
 * spec's code and field, nothing kept; a 3.0 buyer's is taken as before. 3.1's pixel_tracker
 * assets, which @adcp/sdk 6.11's 3.0 validation knows nothing of, are taken and kept. Official
 * MCP client.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };
const ctaValues = ['LEARN_MORE', 'SHOP_NOW'];
const nativeSlots = [
  { asset_id: 'title', asset_type: 'text', required: true, requirements: { max_length: 80 } },
  {
    asset_id: 'main_image',
    asset_type: 'image',
    requirements: { min_width: 1200, max_width: 1200, min_height: 627, max_height: 627 },
  },
  { asset_id: 'cta', asset_type: 'text', requirements: { allowed_values: ctaValues } },
  { asset_id: 'advertiser_name', asset_type: 'text', required: true },
];

function nativeCreative(formatId: unknown, overrides: Record<string, unknown> = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const assets: Record<string, any> = {
    title: { asset_type: 'text', content: 'Trail Pro 3000 — Built for the Summit' },
    main_image: {
      asset_type: 'image',
      url: 'https://cdn.example/trail-pro-1200x627.jpg',
      width: 1200,
      height: 627,
    },
    cta: { asset_type: 'text', content: 'LEARN_MORE' },
    advertiser_name: { asset_type: 'text', content: 'Acme Outdoor' },
    ...overrides,
  };
  return {
    creative_id: `native_${randomUUID().slice(0, 8)}`,
    name: 'Trail Pro 3000 native',
    format_id: formatId,
    assets,
  };
}

describe('format limits on sync_creatives', () => {
  it(
    'refuses a 3.1 buyer’s creative over its format’s declared limits, and takes a 3.0 buyer’s as before',
    { timeout: 120_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const seeded = await agent.call('comply_test_controller', {
          scenario: 'seed_creative_format',
          params: {
            format_id: 'native_in_feed',
            fixture: { name: 'Native in-feed', assets: nativeSlots },
          },
          account: { ...account, sandbox: true },
        });
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
        const listed = await agent.call('list_creative_formats', {
          adcp_version: '3.1',
          name_search: 'Native in-feed',
        });
        const format = listed.formats[0];
        // The buyer reads the limits before it ships (the format's slots, as seeded).
        expect(format.assets).toEqual(
          nativeSlots.map((slot) => ({
            ...slot,
            item_type: 'individual',
            required: !!slot.required,
          })),
        );
        const sync = (creatives: unknown[], pinned = true) =>
          agent.call('sync_creatives', {
            ...(pinned && { adcp_version: '3.1' }),
            idempotency_key: randomUUID(),
            account,
            creatives,
          });

        const long = nativeCreative(format.format_id, {
          title: { asset_type: 'text', content: 'Trail Pro 3000 '.repeat(12) },
        });
        const tooLong = await sync([long]);
        expect(tooLong.isError, JSON.stringify(tooLong)).toBe(true);
        expect(tooLong.errors[0]).toMatchObject({
          code: 'VALIDATION_ERROR',
          field: 'creatives[0].assets.title.content',
        });
        const wrongSize = await sync([
          nativeCreative(format.format_id),
          nativeCreative(format.format_id, {
            main_image: {
              asset_type: 'image',
              url: 'https://cdn.example/a.jpg',
              width: 640,
              height: 480,
            },
          }),
        ]);
        expect(wrongSize.errors[0]).toMatchObject({
          code: 'VALIDATION_ERROR',
          field: 'creatives[1].assets.main_image.width',
        });
        const cta = await sync([
          nativeCreative(format.format_id, {
            cta: { asset_type: 'text', content: 'EXPLORE_MORE' },
          }),
        ]);
        expect(cta.errors[0]).toMatchObject({
          code: 'CREATIVE_VALUE_NOT_ALLOWED',
          field: 'creatives[0].assets.cta.content',
          recovery: 'correctable',
          details: { allowed_values: ctaValues },
        });

        // Strict: a refused sync keeps nothing, not even the creative within the limits.
        const library = await agent.call('list_creatives', { adcp_version: '3.1' });
        expect(library.creatives).toEqual([]);

        // 3.1's pixel_tracker slots (native_in_feed's trackers) are taken beside the rest.
        const fine = nativeCreative(format.format_id, {
          impression_tracker: {
            asset_type: 'pixel_tracker',
            event: 'impression',
            method: 'img',
            url: 'https://measurement.example.com/imp?cid={CREATIVE_ID}',
          },
        });
        const taken = await sync([fine]);
        expect(taken.creatives, JSON.stringify(taken)).toMatchObject([
          { creative_id: fine.creative_id, action: 'created' },
        ]);
        const kept = await agent.call('list_creatives', { adcp_version: '3.1' });
        expect(
          kept.creatives?.[0]?.assets.impression_tracker,
          JSON.stringify(kept).slice(0, 1500),
        ).toEqual(fine.assets.impression_tracker);
        // A 3.0 buyer's listing has no pixel_tracker asset: its release has no such type.
        const kept30 = await agent.call('list_creatives', {});
        expect(kept30.creatives?.[0]?.assets, JSON.stringify(kept30).slice(0, 800)).toEqual(
          nativeCreative(null).assets,
        );
        // A custom event without its name is refused as 3.1's schema says.
        const unnamed = await sync([
          nativeCreative(format.format_id, {
            impression_tracker: {
              asset_type: 'pixel_tracker',
              event: 'custom',
              url: 'https://measurement.example.com/custom',
            },
          }),
        ]);
        expect(unnamed.errors[0]).toMatchObject({
          code: 'VALIDATION_ERROR',
          field: 'creatives[0].assets.impression_tracker.custom_event_name',
        });
        // A 3.0 buyer's sync is answered as before 3.1: the storefront checked no limits then.
        const as30 = await sync([long], false);
        expect(as30.creatives, JSON.stringify(as30)).toMatchObject([
          { creative_id: long.creative_id, action: 'created' },
        ]);
      } finally {
        await agent.close();
      }
    },
  );
});
