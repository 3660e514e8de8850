import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SdkSeller, startSdkSeller } from '../fixtures/sdk-seller.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import {
  createBuyerWithoutDomain,
  createCustomer,
  createHarness,
  type Harness,
} from '../harness.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * Storefront agents call most sources with the operator's credential, so a seller cannot tell
 * buyers apart: only the {brand, operator} account the storefront names separates them. These
 * tests check that one buyer can never make the storefront name another buyer's account.
 */

let h: Harness;
let base: string;
let sdk: SdkSeller;
let demo: RunningSeller;
let overSdk: Awaited<ReturnType<typeof storefrontWith>>;

beforeAll(async () => {
  [h, sdk, demo] = await Promise.all([createHarness(), startSdkSeller(), startSeller('mcp')]);
  base = await listen(h);
  overSdk = await storefrontWith(h, [{ sourceId: 'sdk', url: sdk.url, token: sdk.token }]);
}, 60_000);
afterAll(async () => {
  await Promise.all([sdk?.close(), demo?.close()]);
  await h?.close();
});

/** The example seller resolves accounts by publisher: this one has a network of its own. */
const publisher = 'acmeoutdoor.example';

/** The creatives the example seller's platform holds for the publisher's network. */
async function creativesAtSeller(): Promise<Array<{ name: string }>> {
  const lookup = await fetch(`${sdk.upstream.url}/_lookup/network?adcp_publisher=${publisher}`);
  const { network_code } = (await lookup.json()) as { network_code: string };
  const listed = await fetch(`${sdk.upstream.url}/v1/creatives`, {
    headers: { authorization: `Bearer ${sdk.upstream.apiKey}`, 'x-network-code': network_code },
  });
  expect(listed.status).toBe(200);
  return ((await listed.json()) as { creatives: Array<{ name: string }> }).creatives;
}

/** How many creatives the example seller's platform was asked to create so far. */
async function creativeWritesAtSeller(): Promise<number> {
  const dump = await fetch(`${sdk.upstream.url}/_debug/traffic`);
  return (
    ((await dump.json()) as { traffic: Record<string, number> }).traffic['POST /v1/creatives'] ?? 0
  );
}

function banner(id: string, name: string) {
  return {
    creative_id: id,
    name,
    format_id: { agent_url: 'https://creative.example/mcp', id: 'display_300x250' },
    assets: {
      image: { asset_type: 'image', url: `https://cdn.example/${id}.png`, width: 300, height: 250 },
    },
  };
}

/** The errors of a get_products answer that the storefront gave for `sourceId`. */
const errorsFor = (answer: { errors?: Array<Record<string, unknown>> }, sourceId: string) =>
  (answer.errors ?? []).filter(
    (e) => (e['details'] as Record<string, unknown> | undefined)?.['source_id'] === sourceId,
  );

/** The calls `demo` received since `from`. */
const demoCallsSince = (from: number) => demo.toolCalls().slice(from);

describe('a buyer cannot act in another buyer’s account at a source', () => {
  it('refuses a buyer syncing a creative under another buyer’s {brand, operator}, and the seller keeps the first buyer’s creative', async () => {
    const tag = randomUUID().slice(0, 8);
    const a = await createCustomer(h, { role: 'BUYER', domain: `agency-a-${tag}.example` });
    const b = await createCustomer(h, { role: 'BUYER', domain: `agency-b-${tag}.example` });
    const aAccount = { brand: { domain: publisher }, operator: `agency-a-${tag}.example` };
    const [asA, asB] = await Promise.all([
      agentClient(base, overSdk.platformId, a.key),
      agentClient(base, overSdk.platformId, b.key),
    ]);
    const id = `c1_${tag}`;
    try {
      const synced = await asA.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account: aAccount,
        creatives: [banner(id, `A banner ${tag}`)],
      });
      expect(synced.creatives, JSON.stringify(synced)).toEqual([
        expect.objectContaining({ creative_id: id, status: 'approved' }),
      ]);
      const ours = (await creativesAtSeller()).filter((c) => c.name.endsWith(tag));
      expect(ours.map((c) => c.name)).toEqual([`A banner ${tag}`]);

      // B names A's account: its discovery leaves the source out, with an error it can act on.
      const found = await asB.call('get_products', {
        buying_mode: 'brief',
        brief: 'Outdoor display for a spring launch',
        account: aAccount,
      });
      expect(found.products).toEqual([]);
      expect(errorsFor(found, 'sdk')).toEqual([
        expect.objectContaining({
          code: 'ACCOUNT_NOT_FOUND',
          recovery: 'correctable',
          details: expect.objectContaining({ reason: 'operator_not_yours' }),
        }),
      ]);
      // B syncs the same creative id with other content, and one more: neither reaches the seller.
      const writes = await creativeWritesAtSeller();
      const bSynced = await asB.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account: aAccount,
        creatives: [banner(id, `B banner ${tag}`), banner(`c2_${tag}`, `B other ${tag}`)],
      });
      // B's storefront library keeps B's own copies; B is told the seller took neither.
      const refusal = expect.stringMatching(
        /^Inventory source "Source sdk" \(sdk\) is called with the storefront.s shared credential, so it is asked only with your own domain/,
      );
      expect(bSynced.creatives).toEqual([
        expect.objectContaining({ creative_id: id, status: 'approved', warnings: [refusal] }),
        expect.objectContaining({
          creative_id: `c2_${tag}`,
          status: 'approved',
          warnings: [refusal],
        }),
      ]);
      expect(await creativeWritesAtSeller()).toBe(writes);
      const after = (await creativesAtSeller()).filter((c) => c.name.endsWith(tag));
      expect(after.map((c) => c.name)).toEqual([`A banner ${tag}`]);
      // A's own library at the storefront still holds A's version.
      const listed = await asA.call('list_creatives', {});
      expect(listed.creatives).toEqual([
        expect.objectContaining({ creative_id: id, name: `A banner ${tag}` }),
      ]);
    } finally {
      await Promise.all([asA.close(), asB.close()]);
    }
  });

  it('refuses a buyer without a domain naming a brand, and never calls the source', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'src', url: demo.url }]);
    const buyer = await createBuyerWithoutDomain(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const from = demo.toolCalls().length;
      for (const named of [
        { brand: { domain: 'brand-a.example' } },
        { account: { brand: { domain: 'brand-a.example' }, operator: 'brand-a.example' } },
      ]) {
        const found = await agent.call('get_products', {
          buying_mode: 'brief',
          brief: 'video',
          ...named,
        });
        expect(found.products).toEqual([]);
        expect(errorsFor(found, 'src')).toEqual([
          expect.objectContaining({
            code: 'ACCOUNT_NOT_FOUND',
            details: expect.objectContaining({ reason: 'no_domain' }),
            // Registering an account id would not help: behind the shared credential it is unused.
            suggestion: expect.stringContaining('buyers’ own credentials'),
          }),
        ]);
      }
      expect(demoCallsSince(from).filter((c) => c.tool === 'get_products')).toEqual([]);
    } finally {
      await agent.close();
    }
  });

  it('lets an agency buy for a brand as its own operator, while the brand’s own account stays the brand’s', async () => {
    const tag = randomUUID().slice(0, 8);
    const brandDomain = `brand-${tag}.example`;
    const sf = await storefrontWith(h, [{ sourceId: 'src', url: demo.url }]);
    const brand = await createCustomer(h, { role: 'BUYER', domain: brandDomain });
    const agency = await createCustomer(h, { role: 'BUYER', domain: `agency-${tag}.example` });
    // Customer domains are claimed, not verified: a second customer may claim the brand's.
    const lookalike = await createCustomer(h, { role: 'BUYER', domain: brandDomain });
    const [asBrand, asAgency, asLookalike] = await Promise.all([
      agentClient(base, sf.platformId, brand.key),
      agentClient(base, sf.platformId, agency.key),
      agentClient(base, sf.platformId, lookalike.key),
    ]);
    const own = { brand: { domain: brandDomain }, operator: brandDomain };
    const forBrand = { brand: { domain: brandDomain }, operator: `agency-${tag}.example` };
    const discover = (agent: typeof asBrand, account?: object) =>
      agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'video',
        ...(account && { account }),
      });
    try {
      const from = demo.toolCalls().length;
      // The brand, with no account named, is asked as itself: first use binds the pair to it.
      expect((await discover(asBrand)).products.length).toBeGreaterThan(0);
      // The agency buys for the brand as its own operator.
      const found = await discover(asAgency, forBrand);
      expect(errorsFor(found, 'src')).toEqual([]);
      const bought = await asAgency.call('create_media_buy', buyOf(found.products[0], forBrand));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.errors ?? []).toEqual([]);
      // Neither the agency nor a customer claiming the brand's domain reaches the brand's own.
      const agencyAsBrand = await discover(asAgency, own);
      expect(errorsFor(agencyAsBrand, 'src')).toEqual([
        expect.objectContaining({
          code: 'ACCOUNT_NOT_FOUND',
          details: expect.objectContaining({ reason: 'operator_not_yours' }),
        }),
      ]);
      for (const account of [own, undefined]) {
        const taken = await discover(asLookalike, account);
        expect(taken.products).toEqual([]);
        expect(errorsFor(taken, 'src')).toEqual([
          expect.objectContaining({
            code: 'ACCOUNT_NOT_FOUND',
            // Reads as any account the buyer cannot use: not whose it is.
            message: expect.not.stringMatching(/another|bound|owned|taken/i),
            details: expect.objectContaining({ reason: 'account_not_found' }),
          }),
        ]);
      }
      const lookalikeBuy = await asLookalike.call(
        'create_media_buy',
        buyOf(found.products[0], own),
      );
      expect(lookalikeBuy.media_buy_id ?? null).toBeNull();
      // The brand still is.
      expect((await discover(asBrand, own)).products.length).toBeGreaterThan(0);

      const asked = demoCallsSince(from).map((c) => [c.tool, c.args['account']]);
      expect(asked).toEqual([
        ['get_products', own],
        ['get_products', forBrand],
        ['create_media_buy', forBrand],
        ['get_products', own],
      ]);
    } finally {
      await Promise.all([asBrand.close(), asAgency.close(), asLookalike.close()]);
    }
  });
});
