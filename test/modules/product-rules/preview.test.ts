import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, storefrontWith } from '../../agents/storefront-agent-support.js';

/**
 * The seller's preview of its product rules (POST /api/v2/storefront/product-rules/preview):
 * the products a real AdCP seller (the demo agent, over MCP) offers, shaped by the saved rules
 * and by rules about to be saved, each product saying which rule did what; nothing saved and
 * nothing recorded (no discovery run, so seller analytics do not count previews).
 */
let h: Harness;
let base: string;
let seller: RunningSeller;
let sf: Awaited<ReturnType<typeof storefrontWith>>;
let other: Awaited<ReturnType<typeof storefrontWith>>;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
  sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
  other = await storefrontWith(h, [{ sourceId: 'rival', url: seller.url }]);
}, 60_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

type Effect = { change: string; message: string; rule: { name: string; draft: boolean } | null };
type Shown = {
  productId: string;
  name: string;
  sourceId: string | null;
  channels: string[];
  prices: Array<{ fixedPrice?: number; sourceFixedPrice?: number; pricingModel: string }>;
  components?: string[];
  effects: Effect[];
};

const preview = (body: unknown, key = sf.seller.key) =>
  h.call('POST', '/api/v2/storefront/product-rules/preview', { key, body });
const rule = (body: Record<string, unknown>, key = sf.seller.key) =>
  h.call('POST', '/api/v2/storefront/product-rules', { key, body });
const find = (list: Shown[], id: string) => list.find((p) => p.productId === id)!;
const runsOf = async (storefrontId: number) => {
  const found = await h.database.queryable.query(
    'select count(*)::int as n from discovery_runs where storefront_id = $1',
    [storefrontId],
  );
  return (found.rows[0] as { n: number }).n;
};

describe('the product rules preview', () => {
  it('shows what the saved rules and a draft do to the source’s products, recording nothing', async () => {
    expect(
      (await rule({ name: 'No audio', kind: 'exclude', match: { channels: ['streaming_audio'] } }))
        .status,
    ).toBe(201);
    const res = await preview({
      add: [
        {
          name: 'CTV markup',
          kind: 'price',
          match: { channels: ['ctv'] },
          action: { markupPercent: 10 },
        },
        {
          name: 'Drama title',
          kind: 'rename',
          match: { productIds: ['demo__ctv_prime_drama'] },
          action: { name: 'Prime drama on the big screen' },
        },
      ],
    });
    expect(res.status, res.text).toBe(200);
    const data = res.body.data;
    expect(data.rulesApply).toBe(true);
    expect(data.sources).toEqual([
      expect.objectContaining({ sourceId: 'demo', ok: true, productCount: expect.any(Number) }),
    ]);

    // Saved rules: audio hidden by the exclude rule, CTV at the source's price.
    const current = data.current as { products: Shown[]; hidden: Shown[] };
    expect(current.products.some((p) => p.channels.includes('streaming_audio'))).toBe(false);
    const morning = find(current.hidden, 'demo__aud_morning_drive');
    expect(morning.effects.map((e) => e.message)).toEqual([
      'Hidden by the exclude rule "No audio"',
    ]);
    expect(find(current.products, 'demo__ctv_prime_drama').prices[0]!.fixedPrice).toBe(42);

    // The draft: the markup raises CTV prices from the source's, the rename names its rule.
    const draft = data.draft as {
      products: Shown[];
      rules: Array<{ name: string; draft: boolean }>;
    };
    expect(draft.rules.map((r) => [r.name, r.draft])).toEqual([
      ['No audio', false],
      ['CTV markup', true],
      ['Drama title', true],
    ]);
    const drama = find(draft.products, 'demo__ctv_prime_drama');
    expect(drama.name).toBe('Prime drama on the big screen');
    expect(drama.prices[0]).toMatchObject({ sourceFixedPrice: 42, fixedPrice: 46.2 });
    expect(drama.effects.map((e) => e.message)).toEqual([
      'Renamed to "Prime drama on the big screen" by "Drama title"',
      'Marked up 10% by "CTV markup"',
    ]);
    const display = find(draft.products, 'demo__dsp_homepage_takeover');
    expect(display.effects).toEqual([]);
    expect(display.prices[0]!.fixedPrice).toBe(32);

    // Nothing saved, and no discovery run: seller analytics never count a preview. Runs are
    // written behind the answer, in order: a buyer's get_products after the preview shows
    // up alone.
    const saved = await h.call('GET', '/api/v2/storefront/product-rules', { key: sf.seller.key });
    expect(saved.body.data.items.map((r: { name: string }) => r.name)).toEqual(['No audio']);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await agent.call('get_products', { buying_mode: 'wholesale' });
    } finally {
      await agent.close();
    }
    await vi.waitFor(async () => expect(await runsOf(sf.id)).toBeGreaterThan(0), {
      timeout: 15_000,
      interval: 50,
    });
    expect(await runsOf(sf.id)).toBe(1);
    const analytics = await h.call('GET', '/api/v2/storefront/seller-analytics', {
      key: sf.seller.key,
    });
    expect(analytics.status).toBe(200);
    // The buyer's call is the only run seller analytics count.
    expect(analytics.body.data.summary.totalRuns).toBe(1);
  });

  it('previews removing and replacing saved rules, and packages', async () => {
    const saved = await h.call('GET', '/api/v2/storefront/product-rules', { key: sf.seller.key });
    const audio = saved.body.data.items[0].id as string;
    const res = await preview({
      remove: [audio],
      add: [
        {
          name: 'Prime CTV',
          kind: 'package',
          match: { productIds: ['demo__ctv_prime_drama', 'demo__ctv_live_sports'] },
          action: { productId: 'prime-ctv', name: 'Prime CTV bundle' },
        },
      ],
    });
    expect(res.status, res.text).toBe(200);
    const draft = res.body.data.draft as { products: Shown[]; hidden: Shown[] };
    expect(draft.products.some((p) => p.channels.includes('streaming_audio'))).toBe(true);
    const bundle = find(draft.products, 'prime-ctv');
    expect(bundle).toMatchObject({
      sourceId: null,
      components: ['demo__ctv_prime_drama', 'demo__ctv_live_sports'],
    });
    expect(bundle.effects[0]!.message).toBe('A package of 2 products, made by "Prime CTV"');
    expect(find(draft.hidden, 'demo__ctv_live_sports').effects.map((e) => e.message)).toEqual([
      'Bundled into the package "prime-ctv" by "Prime CTV"',
    ]);
    // The saved rules are as they were.
    const current = res.body.data.current as { hidden: Shown[] };
    expect(current.hidden.some((p) => p.productId === 'demo__aud_morning_drive')).toBe(true);

    const replaced = await preview({
      replace: [
        {
          ruleId: audio,
          rule: { name: 'Only audio', kind: 'include', match: { channels: ['streaming_audio'] } },
        },
      ],
    });
    expect(replaced.status, replaced.text).toBe(200);
    const only = replaced.body.data.draft as { products: Shown[] };
    expect(only.products.length).toBeGreaterThan(0);
    expect(only.products.every((p) => p.channels.includes('streaming_audio'))).toBe(true);
    expect(await runsOf(sf.id)).toBe(1);
  });

  it('refuses a bad draft in the envelope, naming the field', async () => {
    const bad = await preview({
      add: [{ name: 'Too much', kind: 'price', action: { markupPercent: 900 } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.data).toBeNull();
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(JSON.stringify(bad.body.error)).toContain('add.0.action.markupPercent');

    const twice = await preview({
      add: [
        { name: 'A', kind: 'package', action: { productId: 'same', name: 'A' } },
        { name: 'B', kind: 'package', action: { productId: 'same', name: 'B' } },
      ],
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'CONFLICT', field: 'add.1.action.productId' });
  });

  it("answers 404 for another seller's storefront or rules, and changes nothing there", async () => {
    expect((await rule({ name: 'Theirs', kind: 'exclude' }, other.seller.key)).status).toBe(201);
    const theirs = (
      await h.call('GET', '/api/v2/storefront/product-rules', { key: other.seller.key })
    ).body.data.items[0].id as string;

    const storefront = await preview({ storefrontId: other.id });
    expect(storefront.status).toBe(404);
    expect(storefront.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'storefrontId' });

    const removed = await preview({ remove: [theirs] });
    expect(removed.status).toBe(404);
    expect(removed.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'remove.0' });
    const replaced = await preview({
      replace: [{ ruleId: theirs, rule: { name: 'Mine now', kind: 'include' } }],
    });
    expect(replaced.status).toBe(404);

    const still = await h.call('GET', '/api/v2/storefront/product-rules', {
      key: other.seller.key,
    });
    expect(still.body.data.items.map((r: { name: string }) => r.name)).toEqual(['Theirs']);
    expect(await runsOf(other.id)).toBe(0);
  });

  it('is a seller route: a buyer key is refused', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const refused = await preview({}, buyer.key);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('CUSTOMER_ROLE_DENIED');
  });
});
