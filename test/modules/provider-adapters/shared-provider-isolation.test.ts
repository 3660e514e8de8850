import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { adapterStorefront, connectSource, liveStorefront, sources } from './support.js';
import { account, packagedBuy } from './adoption-support.js';
import {
  salesProviders,
  startSalesProviders,
  type Made,
  type ProviderCase,
  type SalesProviders,
} from './shared-provider-support.js';

/*
 * Two storefronts selling through the same provider, each through its own seller's ad account
 * connected by OAuth, for every sales provider: each buyer's buy is made in its own seller's
 * account and nowhere else, neither buyer reads, reports or changes the other's buy through its
 * storefront's agent, and neither seller sees the other's account, tokens or source.
 */

let h: Harness;
let base: string;
let providers: SalesProviders;

beforeAll(async () => {
  providers = await startSalesProviders();
  h = await createHarness(providers.env);
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  providers.allowCallback(`${base}/api/v2/storefront/adapters/oauth/callback`);
}, 120_000);
afterAll(async () => {
  await h?.close();
  await providers?.close();
});

/** Whether `text` names `id` as a whole (not as a piece of a longer id, a UUID or a number). */
const names = (text: string, id: string) =>
  new RegExp(`(?<![\\w-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text);

type Connection = Awaited<ReturnType<typeof connectSource>>;
type Live = Awaited<ReturnType<typeof liveStorefront<Connection>>> & { sourceId: string };

/** A seller's live storefront whose source `sourceId` its person connected to `accountId` only. */
async function sellerOf(c: ProviderCase, accountId: string, sourceId: string): Promise<Live> {
  c.consentTo(accountId);
  const live = await liveStorefront(
    h,
    base,
    (hh) => adapterStorefront(hh, c.provider, c.currency, `${c.provider} ads`, sourceId),
    (hh, key) => connectSource(hh, key, sourceId),
    c.brief,
  );
  return { ...live, sourceId };
}

/** The buyer books one package; answers its media_buy_id and what the fake made meanwhile. */
async function book(c: ProviderCase, live: Live) {
  const known = new Set(c.made().map((o) => o.id));
  const found = await live.products();
  expect(found.isError, JSON.stringify(found)).toBe(false);
  const request = packagedBuy([found.products[0]], () => c.creative(), c.countries);
  const bought = await live.agent.call('create_media_buy', request);
  expect(bought.isError, JSON.stringify(bought)).toBe(false);
  const made = c.made().filter((o) => !known.has(o.id));
  return { id: bought.media_buy_id as string, made };
}

/**
 * The buyer on `live` reads and reports its own buy `own` only, and `other` (a buy at the other
 * storefront) is not found to it: not listed, not reported, not changed at the provider.
 */
async function buyerSeesOwnOnly(c: ProviderCase, live: Live, own: string, other: string) {
  const { agent } = live;
  const listed = await agent.call('get_media_buys', { account });
  expect(listed.isError, JSON.stringify(listed)).toBe(false);
  expect(listed.media_buys.map((b: { media_buy_id: string }) => b.media_buy_id)).toEqual([own]);
  const delivery = await agent.call('get_media_buy_delivery', { account });
  expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
  const reported = delivery.media_buy_deliveries.map(
    (d: { media_buy_id: string }) => d.media_buy_id,
  );
  expect(reported).toEqual([own]);

  const before = JSON.stringify(c.made());
  const named = await agent.call('get_media_buys', { account, media_buy_ids: [other] });
  expect(named.media_buys ?? []).toHaveLength(0);
  const report = await agent.call('get_media_buy_delivery', { account, media_buy_ids: [other] });
  expect(report.adcp_error?.code, JSON.stringify(report)).toBe('MEDIA_BUY_NOT_FOUND');
  const paused = await agent.call('update_media_buy', {
    account,
    media_buy_id: other,
    idempotency_key: randomUUID(),
    paused: true,
  });
  expect(paused.adcp_error?.code, JSON.stringify(paused)).toBe('MEDIA_BUY_NOT_FOUND');
  expect(JSON.stringify(c.made())).toBe(before);
  return JSON.stringify([listed, delivery, named, report, paused]);
}

/**
 * The seller of `own` sees its source connected to `ownAccount` alone, and the other seller's
 * source `other` is NOT_FOUND to it, read or written; answers what it was shown.
 */
async function sellerSeesOwnOnly(own: Live, ownAccount: string, other: Live) {
  const key = own.sf.seller.key;
  const view = await h.call('GET', `${sources}/${own.sourceId}/adapter`, { key });
  expect(view.status, view.text).toBe(200);
  expect(view.body.data).toMatchObject({ status: 'CONNECTED', action: null });
  expect(view.body.data.selectedAccount.id).toBe(ownAccount);
  expect(view.body.data.accounts.map((a: { id: string }) => a.id)).toEqual([ownAccount]);
  const otherAccount = other.connection.selectedAccount.id as string;
  const chosen = await h.call('PATCH', `${sources}/${own.sourceId}/adapter`, {
    key,
    body: { accountId: otherAccount },
  });
  expect(chosen.status, chosen.text).toBe(400);

  const shown = [view.text, chosen.text];
  for (const [method, path] of [
    ['GET', `${sources}/${other.sourceId}/adapter`],
    ['PATCH', `${sources}/${other.sourceId}/adapter`],
    ['POST', `${sources}/${other.sourceId}/adapter/connect`],
    ['DELETE', `${sources}/${other.sourceId}/adapter/connection`],
  ] as const) {
    const body = method === 'PATCH' ? { accountId: ownAccount } : undefined;
    const refused = await h.call(method, path, { key, ...(body && { body }) });
    expect(refused.status, `${method} ${path}: ${refused.text}`).toBe(404);
    expect(refused.body.error.code).toBe('NOT_FOUND');
    shown.push(refused.text);
  }
  return shown.join('\n');
}

describe('two storefronts selling through the same provider', () => {
  it.each(salesProviders)(
    '%s: each buys in its own seller’s ad account, and neither buyer nor seller sees the other’s',
    async (provider) => {
      const c = providers.cases[provider];
      const [accountA, accountB] = c.accounts;
      const a = await sellerOf(c, accountA, c.provider);
      const b = await sellerOf(c, accountB, `${c.provider}-b`);
      try {
        expect(a.connection.selectedAccount.id).toBe(accountA);
        expect(b.connection.selectedAccount.id).toBe(accountB);

        // What the provider's own records show: each buy made in its seller's account only.
        const fromA = await book(c, a);
        const fromB = await book(c, b);
        expect(fromA.made.map((o) => o.kind)).toContain('campaign');
        expect(fromB.made.map((o) => o.kind)).toContain('campaign');
        expect(new Set(fromA.made.map((o) => o.account))).toEqual(new Set([accountA]));
        expect(new Set(fromB.made.map((o) => o.account))).toEqual(new Set([accountB]));

        const readByA = await buyerSeesOwnOnly(c, a, fromA.id, fromB.id);
        const readByB = await buyerSeesOwnOnly(c, b, fromB.id, fromA.id);
        const ids = (made: Made[]) => made.map((o) => o.id);
        for (const id of [accountB, ...ids(fromB.made)]) expect(names(readByA, id), id).toBe(false);
        for (const id of [accountA, ...ids(fromA.made)]) expect(names(readByB, id), id).toBe(false);

        // Seller B's source is still connected to B's account after seller A's attempts on it.
        const shownToA = await sellerSeesOwnOnly(a, accountA, b);
        const shownToB = await sellerSeesOwnOnly(b, accountB, a);
        for (const id of [accountB, b.connection.selectedAccount.name as string]) {
          expect(names(shownToA, id), id).toBe(false);
        }
        for (const id of [accountA, a.connection.selectedAccount.name as string]) {
          expect(names(shownToB, id), id).toBe(false);
        }
        const logs = h.rawLogs();
        for (const secret of c.secrets()) {
          expect(shownToA).not.toContain(secret);
          expect(shownToB).not.toContain(secret);
          expect(logs).not.toContain(secret);
        }
      } finally {
        await a.agent.close();
        await b.agent.close();
      }
    },
    30_000,
  );
});
