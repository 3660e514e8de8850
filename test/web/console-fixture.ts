import { createDiscoveryRunsService } from '../../src/modules/discovery-runs/index.js';
import type { SubmittedBuy } from '../../src/modules/orders/index.js';
import { createCustomer, type Harness, type TestCustomer } from '../harness.js';

/**
 * A seller with something in every console page: a pending sponsored buyer (through a
 * manual-approval join link), pending media buys and a pending creative, discovery runs and
 * booked buys over two months; and a second seller with its own buyer, buy and runs, which
 * the first seller's console must never show.
 */
export interface ConsoleFixture {
  seller: TestCustomer;
  other: TestCustomer;
  buyer: TestCustomer;
  storefrontId: number;
  pendingBuyerId: number;
  otherBuyerId: number;
}

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
const ok = [{ sourceId: 's1', ok: true, productCount: 2, latencyMs: 5 }];

async function storefrontOf(h: Harness, customer: TestCustomer): Promise<number> {
  const res = await h.call('GET', '/api/v2/storefront', { key: customer.key });
  return res.body.data.id;
}

async function sponsoredBuyer(h: Harness, seller: TestCustomer, sf: number, name: string) {
  const link = await h.call('POST', '/api/v2/storefront/join-links', {
    key: seller.key,
    body: { storefrontId: sf, approvalPolicy: 'manual_approve' },
  });
  const slug = link.body.data.slug as string;
  await h.services.joinLinks.signup(slug, {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '-')}-${sf}@example.com`,
    brandDomain: `${name.toLowerCase().replace(/\W+/g, '')}.example`,
    acceptTerms: true,
  });
  const list = await h.call('GET', '/api/v2/storefront/sponsored-buyers', { key: seller.key });
  const found = (list.body.data.items as { buyerName: string; buyerCustomerId: number }[]).find(
    (b) => b.buyerName === name,
  );
  return found!.buyerCustomerId;
}

async function mediaBuy(
  h: Harness,
  sf: number,
  buyer: number,
  mediaBuyId: string,
  payload: Record<string, unknown>,
  state: Record<string, unknown>,
  events: string[],
) {
  const row = await h.services.mediaBuys.createRecord({
    storefrontId: sf,
    buyerCustomerId: buyer,
    mediaBuyId,
    accountId: 'acc',
    idempotencyKey: `idem-${mediaBuyId}`,
    // A partial payload, and a push config that stored rows never carry: what must never show.
    submittedPayload: {
      ...payload,
      push_notification_config: { url: 'https://hook.secret' },
    } as unknown as SubmittedBuy,
    approvalMode: 'manual',
    ...state,
  });
  for (const name of events) {
    await h.services.mediaBuys.event(row, name as Parameters<typeof h.services.mediaBuys.event>[1]);
  }
}

export async function seedConsole(h: Harness): Promise<ConsoleFixture> {
  const seller = await createCustomer(h, { role: 'SELLER', name: 'Northwind Media' });
  const other = await createCustomer(h, { role: 'SELLER', name: 'Southwind Press' });
  const buyer = await createCustomer(h, { role: 'BUYER', name: 'Agency Console' });
  const storefrontId = await storefrontOf(h, seller);
  const otherSf = await storefrontOf(h, other);
  const pendingBuyerId = await sponsoredBuyer(h, seller, storefrontId, 'Acme Outdoor');
  const otherBuyerId = await sponsoredBuyer(h, other, otherSf, 'Hidden Rival Brand');

  const runs = createDiscoveryRunsService({ db: h.database.db });
  const run = (sf: number, brand: string, productIds: string[], day: string, refine = false) =>
    runs.record({
      storefrontId: sf,
      durationMs: 30,
      sourceOutcomes: ok,
      operatorDomain: 'agency.example',
      brandDomain: brand,
      country: 'US',
      buyerCustomerId: buyer.id,
      buyingMode: refine ? 'refine' : 'brief',
      ...(refine ? { refine: [{ scope: 'request', ask: 'Too expensive, any discount?' }] } : {}),
      productIds,
      createdAt: at(day),
    });
  await run(storefrontId, 'acme.example', ['p-sports', 'p-news'], '2026-01-10');
  await run(storefrontId, 'acme.example', ['p-sports'], '2026-01-20', true);
  await run(storefrontId, 'beta.example', ['p-news'], '2026-02-05');
  await run(otherSf, 'secretbrand.example', ['p-hidden'], '2026-02-06');

  const forwarded = {
    approvalStatus: 'approved',
    forwardOutcome: 'all_completed',
    forwardResult: [{ sourceId: 's1', status: 'completed', upstreamMediaBuyId: 'u1' }],
    forwardedAt: at('2026-02-10'),
  };
  await mediaBuy(
    h,
    storefrontId,
    buyer.id,
    'MB-BOOKED',
    { packages: [{ product_id: 'p-sports', budget: 1200 }] },
    forwarded,
    ['media_buy_forwarded'],
  );
  await mediaBuy(
    h,
    storefrontId,
    buyer.id,
    'MB-PENDING',
    {
      start_time: '2026-03-01T00:00:00Z',
      end_time: '2026-03-31T00:00:00Z',
      total_budget: { amount: 5000, currency: 'EUR' },
      packages: [{ product_id: 'p-news', budget: 5000 }],
    },
    { approvalStatus: 'pending' },
    ['media_buy_submitted_for_approval'],
  );
  await mediaBuy(
    h,
    storefrontId,
    buyer.id,
    'MB-TO-APPROVE',
    { packages: [{ product_id: 'p-sports', budget: 800 }] },
    { approvalStatus: 'pending' },
    ['media_buy_submitted_for_approval'],
  );
  await mediaBuy(
    h,
    otherSf,
    buyer.id,
    'MB-RIVAL-SECRET',
    { packages: [{ product_id: 'p-hidden', budget: 99 }] },
    { approvalStatus: 'pending' },
    ['media_buy_submitted_for_approval'],
  );
  await h.services.creativeReviews.upsertCreative({
    storefrontId,
    buyerCustomerId: buyer.id,
    creativeId: 'cr-hero-banner',
    mediaBuyId: 'MB-PENDING',
    accountId: 'acc',
    submittedPayload: {
      creative_id: 'cr-hero-banner',
      name: 'Hero banner',
      assets: {},
      format_id: { agent_url: 'https://seller.example/mcp', id: 'display_300x250' },
    },
    status: 'pending',
  });
  return { seller, other, buyer, storefrontId, pendingBuyerId, otherBuyerId };
}
