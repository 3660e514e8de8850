import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * creative/native_in_feed's limits as a native format declares them in 3.1's terms: the
 * canonical's parameters (formats/canonical/native_in_feed.json title_max_chars,
 * main_image_sizes — a set of exact sizes, which v1 slot requirements cannot say — and the closed
 * cta_values), carried on the v1 format as core/format.json `canonical_parameters`. Checked on a
 * 3.1 buyer's sync_creatives for a format the buyer seeded under the storyboard's placeholder
 * format_id, and for a format a source lists (the demo seller answering list_creative_formats
 * with one): refused at sync time with the spec's codes, nothing sent to the source. Official
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
const placeholder = { agent_url: 'https://your-platform.example.com', id: 'native_in_feed' };
const ctaValues = ['LEARN_MORE', 'SHOP_NOW', 'SIGN_UP', 'DOWNLOAD'];
const nativeParams = {
  title_max_chars: 80,
  main_image_sizes: [
    { width: 1200, height: 627 },
    { width: 1080, height: 1080 },
  ],
  cta_values: ctaValues,
};

/** A native_in_feed v1 format whose limits are its canonical parameters. */
function nativeFormat(formatId: { agent_url: string; id: string }) {
  return {
    format_id: formatId,
    name: 'Native in-feed card',
    assets: [
      { asset_id: 'title', asset_type: 'text', item_type: 'individual', required: true },
      { asset_id: 'main_image', asset_type: 'image', item_type: 'individual', required: false },
      { asset_id: 'cta', asset_type: 'text', item_type: 'individual', required: false },
      { asset_id: 'advertiser_name', asset_type: 'text', item_type: 'individual', required: true },
    ],
    canonical: { kind: 'native_in_feed' },
    canonical_parameters: { format_kind: 'native_in_feed', params: nativeParams },
  };
}

function nativeCreative(formatId: unknown, overrides: Record<string, unknown> = {}) {
  return {
    creative_id: `native_${randomUUID().slice(0, 8)}`,
    name: 'Trail Pro 3000 native',
    format_id: formatId,
    assets: {
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
    },
  };
}

const longTitle = {
  title: {
    asset_type: 'text',
    content: 'Trail Pro 3000 — The Ultimate Summit Companion '.repeat(4),
  },
};
const image = (width: number, height: number) => ({
  main_image: { asset_type: 'image', url: 'https://cdn.example/i.jpg', width, height },
});
const explore = { cta: { asset_type: 'text', content: 'EXPLORE_MORE' } };

type Agent = Awaited<ReturnType<typeof agentClient>>;

/** The three refusals of native_in_feed's validation_failures, and a square image taken. */
async function expectNativeLimits(agent: Agent, formatId: unknown) {
  const sync = (creatives: unknown[]) =>
    agent.call('sync_creatives', {
      adcp_version: '3.1',
      idempotency_key: randomUUID(),
      account,
      creatives,
    });
  const tooLong = await sync([nativeCreative(formatId, longTitle)]);
  expect(tooLong.errors?.[0], JSON.stringify(tooLong)).toMatchObject({
    code: 'VALIDATION_ERROR',
    field: 'creatives[0].assets.title.content',
  });
  const wrongSize = await sync([nativeCreative(formatId, image(640, 480))]);
  expect(wrongSize.errors?.[0], JSON.stringify(wrongSize)).toMatchObject({
    code: 'VALIDATION_ERROR',
    field: 'creatives[0].assets.main_image.width',
  });
  expect(wrongSize.errors[0].message).toContain('1200x627 or 1080x1080');
  const cta = await sync([nativeCreative(formatId, explore)]);
  expect(cta.errors?.[0], JSON.stringify(cta)).toMatchObject({
    code: 'CREATIVE_VALUE_NOT_ALLOWED',
    field: 'creatives[0].assets.cta.content',
    recovery: 'correctable',
    details: { allowed_values: ctaValues },
  });
  // Either declared size is taken: the set is one of sizes, not a range between them.
  const square = nativeCreative(formatId, image(1080, 1080));
  const taken = await sync([square]);
  expect(taken.creatives, JSON.stringify(taken)).toMatchObject([
    { creative_id: square.creative_id, action: 'created' },
  ]);
}

describe('native_in_feed limits on sync_creatives', () => {
  it(
    'refuses a 3.1 buyer’s creative over the limits of a native format it seeded under the storyboard’s placeholder id',
    { timeout: 120_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const seeded = await agent.call('comply_test_controller', {
          scenario: 'seed_creative_format',
          params: { format_id: placeholder.id, fixture: nativeFormat(placeholder) },
          account: { ...account, sandbox: true },
        });
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
        // The buyer reads the format under the id the storyboard names, with its limits.
        const listed = await agent.call('list_creative_formats', {
          adcp_version: '3.1',
          format_ids: [placeholder],
        });
        expect(listed.formats, JSON.stringify(listed)).toMatchObject([
          {
            format_id: placeholder,
            canonical_parameters: { format_kind: 'native_in_feed', params: nativeParams },
          },
        ]);
        await expectNativeLimits(agent, placeholder);
      } finally {
        await agent.close();
      }
    },
  );

  it(
    'refuses a 3.1 buyer’s creative over the limits of a source’s native format before the source hears it, and takes a 3.0 buyer’s',
    { timeout: 120_000 },
    async () => {
      const native = { agent_url: seller.url, id: 'native_in_feed' };
      seller.answerInstead!('list_creative_formats', { data: { formats: [nativeFormat(native)] } });
      const sf = await storefrontWith(h, [{ sourceId: 'native', url: seller.url }]);
      // The operator the account names is the buyer's own domain, so the source is asked.
      const buyer = await createCustomer(h, { role: 'BUYER', domain: account.operator });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      try {
        const listed = await agent.call('list_creative_formats', { adcp_version: '3.1' });
        expect(listed.formats.map((f: { format_id: unknown }) => f.format_id)).toEqual([native]);
        const before = seller.toolCalls().filter((c) => c.tool === 'sync_creatives').length;
        await expectNativeLimits(agent, native);
        // Only the creative within the limits reached the source.
        const sent = seller.toolCalls().filter((c) => c.tool === 'sync_creatives');
        expect(sent.length - before).toBe(1);
        // The same limits hold for a creative sent inline on a buy's package.
        const found = await agent.call('get_products', {
          adcp_version: '3.1',
          buying_mode: 'brief',
          brief: 'Display inventory on outdoor lifestyle content',
          account,
        });
        const product = found.products?.[0];
        expect(product, JSON.stringify(found).slice(0, 800)).toBeDefined();
        const buy = buyOf(product, account);
        const inline = await agent.call('create_media_buy', {
          ...buy,
          adcp_version: '3.1',
          packages: [{ ...buy.packages[0], creatives: [nativeCreative(native, explore)] }],
        });
        expect(inline.errors?.[0], JSON.stringify(inline)).toMatchObject({
          code: 'CREATIVE_VALUE_NOT_ALLOWED',
          field: 'packages[0].creatives[0].assets.cta.content',
        });
        // A 3.0 buyer's sync is answered as before 3.1: the source judges it (its release
        // has no CREATIVE_VALUE_NOT_ALLOWED, and the storefront checked no limits for it).
        const long = nativeCreative(native, longTitle);
        const as30 = await agent.call('sync_creatives', {
          idempotency_key: randomUUID(),
          account,
          creatives: [long],
        });
        expect(as30.creatives, JSON.stringify(as30)).toMatchObject([
          { creative_id: long.creative_id, action: 'created' },
        ]);
      } finally {
        await agent.close();
      }
    },
  );
});
