import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../fixtures/sdk-seller.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { reviews } from './storefront-creatives-support.js';
import { defaultReadCacheTtlMs } from '../../src/platform/read-cache.js';

/*
 * Creatives sent inline on a buy's packages (AdCP 3.1 inline_creative_management; 3.1.19
 * media_buy_seller/inline_creatives_without_sync): a buyer without a creative-library flow puts
 * CreativeAsset objects in packages[].creatives on create_media_buy and update_media_buy, and
 * reads the package's creative_approvals back on get_media_buys. The storefront keeps them in
 * the buyer's library (sent on to @adcp/sdk's example seller, which keeps a library), assigns
 * them, and an update replaces the package's inline creative. Through the official MCP client.
 */

let h: Harness;
let base: string;
let seller: SdkSeller;

beforeAll(async () => {
  [h, seller] = await Promise.all([createHarness(), startSdkSeller()]);
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
// The example seller resolves accounts by publisher domain, the buyer naming itself as operator.
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

let buyerKey: string | undefined;

async function buyerOver(settings: Record<string, unknown> = {}) {
  const sf = await storefrontWith(
    h,
    [{ sourceId: 'sdk', url: seller.url, token: seller.token }],
    settings,
  );
  // One buyer throughout: the seller's account is the first buyer's that used it.
  buyerKey ??= (await createCustomer(h, { role: 'BUYER', domain: account.operator })).key;
  const agent = await agentClient(base, sf.platformId, buyerKey);
  return { sf, agent };
}

type Agent = Awaited<ReturnType<typeof agentClient>>;

async function productOf(agent: Agent) {
  const found = await agent.call('get_products', {
    ...v31,
    buying_mode: 'brief',
    brief: 'Display inventory on outdoor lifestyle content',
    filters: { is_fixed_price: true },
    account,
  });
  expect(found.isError, JSON.stringify(found)).toBe(false);
  if (!found.products?.length) console.log('FOUND', JSON.stringify(found).slice(0, 1500));
  return found.products[0] as {
    product_id: string;
    format_ids: Array<Record<string, unknown>>;
    pricing_options: Array<{ pricing_option_id: string }>;
  };
}

const inlineCreative = (id: string, formatId: Record<string, unknown>) => ({
  creative_id: id,
  name: `Inline ${id}`,
  format_id: formatId,
  assets: {
    image: {
      asset_type: 'image',
      url: `https://cdn.example/${id}.jpg`,
      width: 300,
      height: 250,
      mime_type: 'image/jpeg',
    },
    click_url: { asset_type: 'url', url: 'https://acmeoutdoor.example/q3' },
  },
});

function createWith(
  product: Awaited<ReturnType<typeof productOf>>,
  creatives: Array<Record<string, unknown>>,
) {
  return {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    // A time, not 'asap': the example seller answers 'asap' back as its start_time, which its
    // own get_media_buys then fails validating.
    start_time: new Date(Date.now() + 3_600_000).toISOString(),
    end_time: '2099-09-30T23:59:59Z',
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0]!.pricing_option_id,
        budget: 7500,
        context: { buyer_ref: 'inline-line-001' },
        creatives,
      },
    ],
  };
}

describe('creatives sent inline on a buy’s packages', () => {
  it(
    'are kept, assigned, replaced by an update and shown as the package’s creative_approvals',
    { timeout: 120_000 },
    async () => {
      const { agent } = await buyerOver();
      try {
        const caps = await agent.call('get_adcp_capabilities', v31);
        expect(caps.media_buy.features.inline_creative_management).toBe(true);
        // A 3.0 buyer's capabilities are today's.
        const caps30 = await agent.call('get_adcp_capabilities', {});
        expect(caps30.media_buy.features.inline_creative_management).toBe(false);

        const product = await productOf(agent);
        const formatId = product.format_ids[0]!;
        const [first, second] = [
          `inl_${randomUUID().slice(0, 8)}`,
          `inl_${randomUUID().slice(0, 8)}`,
        ];
        const created = await agent.call('create_media_buy', {
          ...v31,
          ...createWith(product, [inlineCreative(first, formatId)]),
        });
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const id = created.media_buy_id as string;
        const packageId = created.packages[0].package_id as string;
        expect(created.packages[0].context).toEqual({ buyer_ref: 'inline-line-001' });
        // Kept in the buyer's library on the storefront, as sync_creatives keeps creatives.
        const library = await agent.call('list_creatives', {
          ...v31,
          filters: { creative_ids: [first] },
        });
        expect(library.creatives).toEqual([
          expect.objectContaining({ creative_id: first, status: 'approved' }),
        ]);
        const read = await agent.call('get_media_buys', { ...v31, media_buy_ids: [id] });
        expect(read.media_buys[0].packages[0].creative_approvals).toEqual([
          { creative_id: first, approval_status: 'approved' },
        ]);

        const updated = await agent.call('update_media_buy', {
          ...v31,
          idempotency_key: randomUUID(),
          account,
          media_buy_id: id,
          packages: [{ package_id: packageId, creatives: [inlineCreative(second, formatId)] }],
        });
        expect(updated.isError, JSON.stringify(updated)).toBe(false);
        expect(updated.affected_packages).toEqual([
          expect.objectContaining({
            package_id: packageId,
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0]!.pricing_option_id,
            budget: 7500,
            context: { buyer_ref: 'inline-line-001' },
            creative_assignments: [{ creative_id: second }],
          }),
        ]);
        const after = await agent.call('get_media_buys', { ...v31, media_buy_ids: [id] });
        expect(after.media_buys[0].packages[0].creative_approvals).toEqual([
          { creative_id: second, approval_status: 'approved' },
        ]);
        // A 3.0 buyer's read is what the seller reports, as before (it reports no approvals).
        const old = await agent.call('get_media_buys', { media_buy_ids: [id] });
        expect(old.media_buys[0].packages[0]).not.toHaveProperty('creative_approvals');
      } finally {
        await agent.close();
      }
    },
  );

  it('holds a creative under review and refuses one the storefront rejected, at its field', async () => {
    const { sf, agent } = await buyerOver({ creativeApproval: 'manual' });
    try {
      const product = await productOf(agent);
      const formatId = product.format_ids[0]!;
      const [held, refused] = [
        `inl_${randomUUID().slice(0, 8)}`,
        `inl_${randomUUID().slice(0, 8)}`,
      ];
      const created = await agent.call('create_media_buy', {
        ...v31,
        ...createWith(product, [inlineCreative(held, formatId)]),
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const read = await agent.call('get_media_buys', {
        ...v31,
        media_buy_ids: [created.media_buy_id],
      });
      expect(read.media_buys[0].packages[0].creative_approvals).toEqual([
        { creative_id: held, approval_status: 'pending_review' },
      ]);

      // The operator rejects a creative; sent inline again, it refuses the buy at its field.
      const synced = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [inlineCreative(refused, formatId)],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      const queue = await h.call('GET', reviews, { key: sf.seller.key });
      const review = queue.body.data.items.find(
        (r: { creativeId: string }) => r.creativeId === refused,
      );
      const decided = await h.call('POST', `${reviews}/${review.reviewId}/decide`, {
        key: sf.seller.key,
        body: { status: 'rejected', reviewer_notes: 'Off brand' },
      });
      expect(decided.status).toBe(200);
      const again = await agent.call('create_media_buy', {
        ...v31,
        ...createWith(product, [inlineCreative(held, formatId), inlineCreative(refused, formatId)]),
      });
      expect(again.isError).toBe(true);
      expect(again.adcp_error).toMatchObject({
        code: 'CREATIVE_REJECTED',
        field: 'packages[0].creatives[1]',
      });
      expect(again.adcp_error.message).toContain('Off brand');
    } finally {
      await agent.close();
    }
  });

  it('refuses a malformed canonical creative and an update its source cannot take, clearly', async () => {
    const { sf, agent } = await buyerOver();
    try {
      const product = await productOf(agent);
      const formatId = product.format_ids[0]!;
      const { format_id: _f, name: _n, ...nameless } = inlineCreative('inl_bad', formatId);
      const bad = await agent.call('create_media_buy', {
        ...v31,
        ...createWith(product, [{ ...nameless, format_kind: 'image' }]),
      });
      expect(bad.isError).toBe(true);
      expect(bad.adcp_error).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'packages[0].creatives[0].name',
      });

      const created = await agent.call('create_media_buy', {
        ...v31,
        ...createWith(product, [inlineCreative(`inl_${randomUUID().slice(0, 8)}`, formatId)]),
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      // The source no longer changes buys: it cannot take a package's creatives on updates.
      await h.database.queryable.query(
        `update inventory_sources set capabilities = jsonb_set(capabilities, '{tools}',
           (capabilities->'tools') - 'update_media_buy')
         where storefront_id = $1 and deleted_at is null`,
        [sf.id],
      );
      await new Promise((resolve) => setTimeout(resolve, defaultReadCacheTtlMs + 50));
      const caps = await agent.call('get_adcp_capabilities', v31);
      expect(caps.media_buy.features.inline_creative_management).toBe(false);
      const refused = await agent.call('update_media_buy', {
        ...v31,
        idempotency_key: randomUUID(),
        account,
        media_buy_id: created.media_buy_id,
        packages: [
          {
            package_id: created.packages[0].package_id,
            creatives: [inlineCreative(`inl_${randomUUID().slice(0, 8)}`, formatId)],
          },
        ],
      });
      expect(refused.isError).toBe(true);
      expect(refused.adcp_error).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        field: 'packages[0].creatives',
      });
    } finally {
      await agent.close();
    }
  });
});
