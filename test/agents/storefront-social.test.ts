import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { startSdkSeller, type SdkSeller } from '../fixtures/sdk-seller.js';
import {
  agencyBuying,
  agentClient,
  controllerBuyer,
  listen,
  storefrontWith,
} from './storefront-agent-support.js';

/**
 * A storefront whose only source is @adcp/sdk's social example seller (sales-social over the
 * SDK's walled-garden mock), called with the storefront operator's credential: the storefront
 * offers the seller's sales-social tools and forwards them under each buyer's own account.
 * What reached the seller is read from its mock platform's own traffic record.
 */
describe('storefront agent over a sales-social seller', () => {
  let h: Harness;
  let seller: SdkSeller;
  let base: string;
  let platformId: string;

  beforeAll(async () => {
    [h, seller] = await Promise.all([createHarness(), startSdkSeller('social')]);
    base = await listen(h);
    ({ platformId } = await storefrontWith(h, [
      { sourceId: 'social', url: seller.url, token: seller.token },
    ]));
  }, 90_000);

  afterAll(async () => {
    await Promise.all([h?.close(), seller?.close()]);
  });

  /**
   * A storefront of its own over the same seller, at an endpoint of its own (another agent id,
   * so bindings of its own): the seller knows two advertisers only, so cases that name one
   * brand for several agencies each start from a seller no agency has used yet.
   */
  let seats = 0;
  async function ownStorefront(): Promise<string> {
    const url = `${seller.url}?seat=${++seats}`;
    return (await storefrontWith(h, [{ sourceId: 'social', url, token: seller.token }])).platformId;
  }

  /** How often the seller called each endpoint of its platform. */
  async function sellerTraffic(): Promise<Record<string, number>> {
    const res = await fetch(`${seller.upstream.url}/_debug/traffic`);
    return ((await res.json()) as { traffic: Record<string, number> }).traffic;
  }
  const audienceCreates = async () =>
    (await sellerTraffic())['POST /v1.3/advertiser/{id}/custom_audience/create'] ?? 0;

  const audience = (id: string) => ({
    audience_id: id,
    name: `Audience ${id}`,
    add: [
      { external_id: 'm1', hashed_email: 'a'.repeat(64) },
      { external_id: 'm2', hashed_phone: 'b'.repeat(64) },
    ],
  });

  it('says it sells sales-social, with what its source matches', async () => {
    const { buyer } = await agencyBuying(h);
    const agent = await agentClient(base, platformId, buyer.key);
    try {
      const { tools } = await agent.client.listTools();
      const names = tools.map((t) => t.name);
      for (const tool of [
        'sync_audiences',
        'sync_catalogs',
        'sync_event_sources',
        'log_event',
        'get_account_financials',
        'list_accounts',
      ]) {
        expect(names).toContain(tool);
      }
      const caps = await agent.call('get_adcp_capabilities');
      expect(caps.specialisms).toContain('sales-social');
      expect(caps.media_buy.audience_targeting.supported_identifier_types).toEqual(
        expect.arrayContaining(['hashed_email', 'hashed_phone']),
      );
      expect(caps.media_buy.conversion_tracking).toBeDefined();
    } finally {
      await agent.close();
    }
  });

  it('offers no media-buy test scenarios, since it sells no products: a seed of one is UNKNOWN_SCENARIO', async () => {
    // AdCP 3.1.19 storyboard-schema.yaml: a seed_* scenario the seller does not implement is
    // UNKNOWN_SCENARIO, and the storyboard grades not_applicable. A storefront over a
    // sales-social seller alone offers no get_products or create_media_buy to sell one with.
    const { agent, control } = await controllerBuyer({ h, base, platformId });
    try {
      const listed = await agent.call('comply_test_controller', { scenario: 'list_scenarios' });
      // (Seeds are not listed at all in 3.0's list_scenarios; the creative and account ones stay.)
      expect(listed.scenarios).toEqual(
        expect.arrayContaining(['force_creative_status', 'seed_account']),
      );
      for (const scenario of [
        'force_media_buy_status',
        'force_create_media_buy_arm',
        'simulate_delivery',
        'simulate_budget_spend',
        'force_get_products_arm',
      ]) {
        expect(listed.scenarios).not.toContain(scenario);
      }
      const seeded = await control('seed_product', {
        product_id: 'social_fixture',
        fixture: { delivery_type: 'non_guaranteed', channels: ['social'] },
      });
      expect(seeded).toMatchObject({ success: false, error: 'UNKNOWN_SCENARIO' });
      expect(seeded.error_detail).toMatch(/sells no products/);
      const caps = await agent.call('get_adcp_capabilities', { adcp_version: '3.1' });
      expect(caps.compliance_testing.scenarios).not.toContain('seed_product');
      expect(caps.compliance_testing.scenarios).toContain('seed_creative');
      const caps30 = await agent.call('get_adcp_capabilities');
      expect(caps30.compliance_testing?.scenarios ?? []).not.toContain('simulate_delivery');
    } finally {
      await agent.close();
    }
  });

  it("sends a buyer's audiences to the seller under the buyer's account, and no other buyer reaches that account", async () => {
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, platformId, buyer.key);
    const before = await audienceCreates();
    try {
      const synced = await agent.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account,
        audiences: [audience('aud_loyal')],
      });
      expect(synced.isError).toBe(false);
      expect(synced.audiences).toHaveLength(1);
      expect(synced.audiences[0].audience_id).toBe('aud_loyal');
      // The seller created it on its platform (its own record).
      expect(await audienceCreates()).toBe(before + 1);

      const listed = await agent.call('list_accounts');
      expect(listed.accounts.map((a: { brand: { domain: string } }) => a.brand.domain)).toContain(
        'acmeoutdoor.example',
      );
    } finally {
      await agent.close();
    }

    // Another buyer naming that account is told there is none, and the seller is not asked.
    const other = await agencyBuying(h);
    const intruder = await agentClient(base, platformId, other.buyer.key);
    try {
      const refused = await intruder.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account,
        audiences: [audience('aud_loyal')],
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused)).toContain('ACCOUNT_NOT_FOUND');
      expect(await audienceCreates()).toBe(before + 1);
      const financials = await intruder.call('get_account_financials', { account });
      expect(financials.isError).toBe(true);
      expect(JSON.stringify(financials)).toContain('ACCOUNT_NOT_FOUND');
      const listed = await intruder.call('list_accounts');
      expect(listed.accounts).toEqual([]);
    } finally {
      await intruder.close();
    }
  });

  it("keeps two buyers' idempotency keys apart at the seller", async () => {
    // Both reach the seller with the storefront's one credential: the same key from two
    // buyers with different audiences must be two writes there, not a conflict or a replay.
    const key = randomUUID();
    const first = await agencyBuying(h, 'acmeoutdoor.example');
    const second = await agencyBuying(h, 'summit-media.example');
    const own = await ownStorefront();
    const before = await audienceCreates();
    for (const [buying, id] of [
      [first, 'aud_first'],
      [second, 'aud_second'],
    ] as const) {
      const agent = await agentClient(base, own, buying.buyer.key);
      try {
        const synced = await agent.call('sync_audiences', {
          idempotency_key: key,
          account: buying.account,
          audiences: [audience(id)],
        });
        expect(synced.isError, JSON.stringify(synced)).toBe(false);
        expect(synced.audiences[0].audience_id).toBe(id);
      } finally {
        await agent.close();
      }
    }
    expect(await audienceCreates()).toBe(before + 2);
  });

  it('registers event sources and logs events through to the seller', async () => {
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, await ownStorefront(), buyer.key);
    const tracked = async () =>
      (await sellerTraffic())['POST /v1.3/advertiser/{id}/event/track'] ?? 0;
    const before = await tracked();
    try {
      const sources = await agent.call('sync_event_sources', {
        idempotency_key: randomUUID(),
        account,
        event_sources: [{ event_source_id: 'es_web', name: 'Web', event_types: ['purchase'] }],
      });
      expect(sources.isError, JSON.stringify(sources)).toBe(false);
      expect(sources.event_sources[0].event_source_id).toBe('es_web');
      const logged = await agent.call('log_event', {
        idempotency_key: randomUUID(),
        account,
        event_source_id: 'es_web',
        events: [
          {
            event_id: 'ev_1',
            event_type: 'purchase',
            event_time: new Date().toISOString(),
            user_match: { hashed_email: 'c'.repeat(64) },
          },
        ],
      });
      expect(logged.isError, JSON.stringify(logged)).toBe(false);
      expect(logged.events_received).toBe(1);
      expect(await tracked()).toBe(before + 1);
    } finally {
      await agent.close();
    }
  });

  it('serves a 3.1 buyer the 3.1.19 sales_social steps the runner leaves ungraded: governance, event sources, events, financials', async () => {
    // The storyboard's own requests (specialisms/sales-social), pinned 3.1. The 6.11 runner
    // skips its sync_governance (it does not read the storyboard's context block) and, with no
    // preview_creative at the storefront or the seller, cascades event_setup, event_logging and
    // financials to skipped: so this is where a 3.1 buyer's social flow is checked.
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, await ownStorefront(), buyer.key);
    const pinned = (args: Record<string, unknown>) => ({ adcp_version: '3.1', ...args });
    const tracked = async () =>
      (await sellerTraffic())['POST /v1.3/advertiser/{id}/event/track'] ?? 0;
    const before = await tracked();
    try {
      const governance = await agent.call(
        'sync_governance',
        pinned({
          idempotency_key: randomUUID(),
          accounts: [
            {
              account,
              governance_agents: [
                {
                  url: 'https://test-agent.adcontextprotocol.org',
                  authentication: {
                    schemes: ['Bearer'],
                    credentials: 'gov-token-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
                  },
                },
              ],
            },
          ],
          context: { correlation_id: 'sales_social--sync_governance' },
        }),
      );
      expect(governance.isError, JSON.stringify(governance)).toBe(false);
      expect(governance.accounts[0].status).toBe('synced');
      expect(governance.context.correlation_id).toBe('sales_social--sync_governance');

      const sources = await agent.call(
        'sync_event_sources',
        pinned({
          idempotency_key: randomUUID(),
          account,
          event_sources: [
            {
              event_source_id: 'acmeoutdoor_website',
              name: 'Acme Outdoor Website',
              event_types: ['purchase', 'add_to_cart', 'page_view', 'lead'],
              allowed_domains: ['acmeoutdoor.example'],
            },
          ],
          context: { correlation_id: 'sales_social--sync_event_sources' },
        }),
      );
      expect(sources.isError, JSON.stringify(sources)).toBe(false);
      expect(sources.event_sources[0].event_source_id).toBe('acmeoutdoor_website');
      expect(sources.event_sources[0].setup.snippet).toBeTruthy();
      expect(sources.context.correlation_id).toBe('sales_social--sync_event_sources');

      const logged = await agent.call(
        'log_event',
        pinned({
          idempotency_key: randomUUID(),
          account,
          event_source_id: 'acmeoutdoor_website',
          events: [
            {
              event_type: 'purchase',
              event_id: 'evt_trail_pro_001',
              event_time: '2099-04-05T14:30:00Z',
              user_match: { hashed_email: `a${'0'.repeat(62)}1` },
              custom_data: { value: 149.99, currency: 'USD' },
            },
          ],
          context: { correlation_id: 'sales_social--log_event' },
        }),
      );
      expect(logged.isError, JSON.stringify(logged)).toBe(false);
      expect(logged.events_received).toBe(1);
      expect(logged.context.correlation_id).toBe('sales_social--log_event');
      expect(await tracked()).toBe(before + 1);

      const financials = await agent.call(
        'get_account_financials',
        pinned({ account, context: { correlation_id: 'sales_social--get_account_financials' } }),
      );
      expect(financials.isError, JSON.stringify(financials)).toBe(false);
      expect(financials.context.correlation_id).toBe('sales_social--get_account_financials');
    } finally {
      await agent.close();
    }
  });

  it('keeps a second agency naming the same brand from the advertiser the seller finds by brand alone, and tells it to bring its own credentials', async () => {
    // Two buyer customers (agencies, each its own operator domain) buying for one brand. The
    // seller answers sync_accounts with one advertiser for the brand whatever the operator, so
    // behind the storefront's one credential both would act in the same advertiser there.
    const own = await ownStorefront();
    const first = await agencyBuying(h, 'acmeoutdoor.example');
    const second = await agencyBuying(h, 'acmeoutdoor.example');
    expect(first.account.operator).not.toBe(second.account.operator);
    const before = await audienceCreates();
    const agent = await agentClient(base, own, first.buyer.key);
    try {
      const synced = await agent.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account: first.account,
        audiences: [audience('aud_first_agency')],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
    } finally {
      await agent.close();
    }
    expect(await audienceCreates()).toBe(before + 1);

    const other = await agentClient(base, own, second.buyer.key);
    try {
      const refused = await other.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account: second.account,
        audiences: [audience('aud_second_agency')],
      });
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      const text = JSON.stringify(refused);
      expect(text).toContain('ACCOUNT_NOT_FOUND');
      expect(text).toContain('brand_not_separable');
      expect(text).toMatch(/own credentials/);
      const financials = await other.call('get_account_financials', { account: second.account });
      expect(financials.isError).toBe(true);
      expect(JSON.stringify(financials)).toContain('brand_not_separable');
    } finally {
      await other.close();
    }
    // The seller never heard the second agency.
    expect(await audienceCreates()).toBe(before + 1);
    // The first agency keeps its advertiser there.
    const again = await agentClient(base, own, first.buyer.key);
    try {
      const synced = await again.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account: first.account,
        audiences: [audience('aud_first_again')],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
    } finally {
      await again.close();
    }
    expect(await audienceCreates()).toBe(before + 2);
  });
});
