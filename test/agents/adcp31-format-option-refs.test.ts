import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { specViolations } from './adcp31-spec-schemas.js';

/*
 * AdCP 3.1's format-option path over MCP with the official client (3.1.19
 * media_buy_seller/inline_creatives_without_sync, canonical_format_inline_path): every
 * format_options[] entry a storefront answers carries a product-local format_option_id, the
 * same on every call; a package's format_option_refs select among them on create_media_buy (an
 * unknown one is refused UNSUPPORTED_FEATURE at the entry), the source is asked for the chosen
 * option's formats only (it speaks 3.0: their format_ids), and a canonical inline creative is
 * checked against the chosen option. A 3.0 buyer's answers are as before.
 */

let h: Harness;
let base: string;
let sdk: SdkSeller;
let demo: RunningSeller;

beforeAll(async () => {
  [h, sdk, demo] = await Promise.all([createHarness(), startSdkSeller(), startSeller('mcp')]);
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await Promise.all([sdk?.close(), demo?.close()]);
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
// The example seller resolves accounts by publisher domain, the buyer naming itself as operator.
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };
const brief = {
  buying_mode: 'brief',
  brief:
    'Display inventory on outdoor lifestyle content. Q3 flight with buyer-supplied inline creative.',
  filters: { is_fixed_price: true },
  account,
};

type Option = { format_option_id?: string; format_kind: string; params: Record<string, unknown> };
type Product = {
  product_id: string;
  format_ids: Array<{ agent_url: string; id: string }>;
  format_options?: Option[];
  pricing_options: Array<{ pricing_option_id: string }>;
};

let buyerKey: string | undefined;
async function sdkBuyer() {
  const sf = await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]);
  // One buyer throughout: the example seller's account is the first buyer's that used it.
  buyerKey ??= (await createCustomer(h, { role: 'BUYER', domain: account.operator })).key;
  return agentClient(base, sf.platformId, buyerKey);
}

const canonicalCreative = (id: string, kind: string, width = 300, height = 250) => ({
  creative_id: id,
  name: `Inline ${id}`,
  format_kind: kind,
  assets: {
    image: {
      asset_type: 'image',
      url: `https://cdn.example/${id}.jpg`,
      width,
      height,
      mime_type: 'image/jpeg',
    },
    click_url: { asset_type: 'url', url: 'https://acmeoutdoor.example/q3' },
  },
});

function buyWith(product: Product, extra: Record<string, unknown>) {
  return {
    ...v31,
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    start_time: new Date(Date.now() + 3_600_000).toISOString(),
    end_time: '2099-09-30T23:59:59Z',
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: product.pricing_options[0]!.pricing_option_id,
        budget: 7500,
        context: { buyer_ref: 'canonical-line-001' },
        ...extra,
      },
    ],
  };
}

const uid = () => `inl_${randomUUID().slice(0, 8)}`;

describe('format options a storefront answers', () => {
  it(
    'each carry a product-local format_option_id, the same on every call; a 3.0 buyer sees none',
    { timeout: 120_000 },
    async () => {
      const agent = await sdkBuyer();
      try {
        const first = await agent.call('get_products', { ...v31, ...brief });
        expect(first.isError, JSON.stringify(first)).toBe(false);
        const products = first.products as Product[];
        const withOptions = products.filter((p) => p.format_options);
        expect(withOptions.length).toBeGreaterThan(0);
        for (const product of withOptions) {
          const ids = product.format_options!.map((o) => o.format_option_id);
          expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
          expect(new Set(ids).size).toBe(ids.length);
        }
        // Derived from the format each option was projected from, so stable call after call.
        expect(withOptions[0]!.format_options![0]!.format_option_id).toBe(
          withOptions[0]!.format_ids[0]!.id,
        );
        const again = await agent.call('get_products', { ...v31, ...brief });
        expect(again.products.map((p: Product) => p.format_options)).toEqual(
          products.map((p) => p.format_options),
        );

        const old = await agent.call('get_products', brief);
        expect(old.isError, JSON.stringify(old)).toBe(false);
        for (const product of old.products as Product[]) {
          expect(product).not.toHaveProperty('format_options');
        }
      } finally {
        await agent.close();
      }
    },
  );
});

describe('a package choosing a format option by format_option_refs', () => {
  it(
    'is booked with a canonical inline creative, replaced by an update (of the chosen kind) and read back',
    { timeout: 120_000 },
    async () => {
      const agent = await sdkBuyer();
      try {
        const found = await agent.call('get_products', { ...v31, ...brief });
        const product = found.products[0] as Product;
        const option = product.format_options![0]!;
        const [v1, v2] = [uid(), uid()];
        const created = await agent.call(
          'create_media_buy',
          buyWith(product, {
            format_option_refs: [{ scope: 'product', format_option_id: option.format_option_id }],
            creatives: [canonicalCreative(v1, option.format_kind)],
          }),
        );
        expect(created.isError, JSON.stringify(created)).toBe(false);
        expect(created.packages[0].context).toEqual({ buyer_ref: 'canonical-line-001' });
        const packageId = created.packages[0].package_id as string;
        // Kept in the library, listed by its kind (3.1: a canonical creative names no format).
        const listed = await agent.call('list_creatives', {
          ...v31,
          filters: { creative_ids: [v1] },
        });
        expect(listed.creatives[0]).toMatchObject({
          creative_id: v1,
          format_kind: option.format_kind,
        });
        expect(listed.creatives[0]).not.toHaveProperty('format_id');
        expect(specViolations('list_creatives', listed)).toEqual([]);

        // A replacement of another kind than the chosen option is refused, as on create.
        const misfit = await agent.call('update_media_buy', {
          ...v31,
          idempotency_key: randomUUID(),
          account,
          media_buy_id: created.media_buy_id,
          packages: [
            {
              package_id: packageId,
              creatives: [
                canonicalCreative(uid(), option.format_kind === 'image' ? 'audio_hosted' : 'image'),
              ],
            },
          ],
        });
        expect(misfit.isError).toBe(true);
        expect(misfit.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].creatives[0].format_kind',
        });

        const updated = await agent.call('update_media_buy', {
          ...v31,
          idempotency_key: randomUUID(),
          account,
          media_buy_id: created.media_buy_id,
          packages: [
            { package_id: packageId, creatives: [canonicalCreative(v2, option.format_kind)] },
          ],
        });
        expect(updated.isError, JSON.stringify(updated)).toBe(false);
        const read = await agent.call('get_media_buys', {
          ...v31,
          account,
          media_buy_ids: [created.media_buy_id],
        });
        expect(read.media_buys[0].packages[0].creative_approvals[0].creative_id).toBe(v2);
        // The choice is echoed on the package as the buyer made it.
        expect(read.media_buys[0].packages[0].format_option_refs).toEqual([
          { scope: 'product', format_option_id: option.format_option_id },
        ]);
      } finally {
        await agent.close();
      }
    },
  );

  it(
    'is refused UNSUPPORTED_FEATURE at an entry the product does not declare, and a creative of another kind at its field',
    { timeout: 120_000 },
    async () => {
      const agent = await sdkBuyer();
      try {
        const found = await agent.call('get_products', { ...v31, ...brief });
        const product = found.products[0] as Product;
        const option = product.format_options![0]!;
        const known = { scope: 'product', format_option_id: option.format_option_id };

        const unknown = await agent.call(
          'create_media_buy',
          buyWith(product, {
            format_option_refs: [known, { scope: 'product', format_option_id: 'no_such_option' }],
          }),
        );
        expect(unknown.isError).toBe(true);
        expect(unknown.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].format_option_refs[1]',
          details: {
            rejected_value: 'no_such_option',
            accepted_values: product.format_options!.map((o) => o.format_option_id),
          },
        });

        const otherKind = await agent.call(
          'create_media_buy',
          buyWith(product, {
            format_option_refs: [known],
            creatives: [
              canonicalCreative(uid(), option.format_kind === 'image' ? 'audio_hosted' : 'image'),
            ],
          }),
        );
        expect(otherKind.isError).toBe(true);
        expect(otherKind.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].creatives[0].format_kind',
        });

        // The choice is made once, on create: an update naming format options is refused.
        const created = await agent.call(
          'create_media_buy',
          buyWith(product, { format_option_refs: [known] }),
        );
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const update = await agent.call('update_media_buy', {
          ...v31,
          idempotency_key: randomUUID(),
          account,
          media_buy_id: created.media_buy_id,
          packages: [{ package_id: created.packages[0].package_id, format_option_refs: [known] }],
        });
        expect(update.isError).toBe(true);
        expect(update.adcp_error).toMatchObject({
          code: 'VALIDATION_ERROR',
          field: 'packages[0].format_option_refs',
        });
      } finally {
        await agent.close();
      }
    },
  );
});

describe('a chosen format option at a 3.0 source', () => {
  it(
    'narrows the package to that option’s format_ids and holds its creatives to its size and asset types; a product without format options refuses refs',
    { timeout: 120_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: demo.url }]);
      const customer = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, customer.key);
      try {
        const listed = await agent.call('get_products', { ...v31, buying_mode: 'wholesale' });
        const products = listed.products as Product[];
        // Mobile app banners: 320x50 and 300x250, both in the spec's v1 → v2 registry.
        const mobile = products.find((p) => p.product_id.endsWith('dsp_mobile_app'))!;
        expect(mobile.format_options!.map((o) => o.format_option_id)).toEqual([
          'display_320x50',
          'display_300x250',
        ]);
        const demoAccount = { account_id: 'acme_media' };
        const buy = (product: Product, refs: unknown[], extra: Record<string, unknown> = {}) => ({
          ...v31,
          idempotency_key: randomUUID(),
          account: demoAccount,
          brand: { domain: 'acme.example' },
          start_time: 'asap',
          end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
          packages: [
            {
              product_id: product.product_id,
              pricing_option_id: product.pricing_options[0]!.pricing_option_id,
              budget: 20_000,
              format_option_refs: refs,
              ...extra,
            },
          ],
        });
        const created = await agent.call(
          'create_media_buy',
          buy(mobile, [{ scope: 'product', format_option_id: 'display_300x250' }]),
        );
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const asked = demo.toolCalls().filter((c) => c.tool === 'create_media_buy');
        const sent = (asked.at(-1)!.args['packages'] as Array<Record<string, unknown>>)[0]!;
        expect(sent['format_ids']).toEqual([mobile.format_ids[1]]);
        expect(sent).not.toHaveProperty('format_option_refs');

        // A canonical creative of another size than the chosen option's is refused at its asset.
        const sized = buy(mobile, [{ scope: 'product', format_option_id: 'display_300x250' }], {
          creatives: [canonicalCreative(uid(), 'image', 728, 90)],
        });
        const refusedSize = await agent.call('create_media_buy', sized);
        expect(refusedSize.isError).toBe(true);
        expect(refusedSize.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].creatives[0].assets.image',
        });

        // Its assets must be of the types the option's slots take (the image canonical's default
        // slots: image_main, text, a landing URL): a video is not one.
        const mrec = [{ scope: 'product', format_option_id: 'display_300x250' }];
        const { image: _image, ...withoutImage } = canonicalCreative(uid(), 'image').assets;
        const video = {
          asset_type: 'video',
          url: 'https://cdn.example/spot.mp4',
          duration_ms: 15_000,
        };
        const asVideo = await agent.call(
          'create_media_buy',
          buy(mobile, mrec, {
            creatives: [
              { ...canonicalCreative(uid(), 'image'), assets: { ...withoutImage, video } },
            ],
          }),
        );
        expect(asVideo.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].creatives[0].assets.video',
          details: { rule: 'asset_type' },
        });

        // Run of section finance sells a 160x600 the registry does not map: no format options.
        const finance = products.find((p) => p.product_id.endsWith('dsp_finance_ros'))!;
        expect(finance).not.toHaveProperty('format_options');
        const legacy = await agent.call(
          'create_media_buy',
          buy(finance, [{ scope: 'product', format_option_id: 'display_300x250' }]),
        );
        expect(legacy.isError).toBe(true);
        expect(legacy.adcp_error).toMatchObject({
          code: 'UNSUPPORTED_FEATURE',
          field: 'packages[0].format_option_refs[0]',
        });
      } finally {
        await agent.close();
      }
    },
  );
});
