import { expect } from 'vitest';
import { createCustomer, type Harness, type TestCustomer } from '../../harness.js';
import type { FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import { agentClient, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';

export const sources = '/api/v2/storefront/inventory-sources';

/** The instance configuration that points the Meta adapter at the fake. */
export function metaEnv(fake: FakeMeta): Record<string, string> {
  return {
    INTERCHANGE_META_CLIENT_ID: fake.state.options.clientId,
    INTERCHANGE_META_CLIENT_SECRET: fake.state.options.clientSecret,
    INTERCHANGE_META_AUTHORIZE_URL: fake.authorizeUrl,
    INTERCHANGE_META_API_URL: fake.apiUrl,
  };
}

const unescaped = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * Follows the consent the way a browser would, with a real HTTP client: the provider's dialog,
 * its redirect to our callback, and the callback page. A browser that did not start the consent
 * from the console is asked to confirm which source gets the account: it confirms (the form's
 * POST) unless `confirm: false`. Answers the last page's status and text, and the confirmation
 * page's text when there was one.
 */
export async function consentInBrowser(
  authorizationUrl: string,
  options: { confirm?: boolean } = {},
) {
  const dialog = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(dialog.status).toBe(302);
  const callback = dialog.headers.get('location')!;
  const page = await fetch(callback, { redirect: 'manual' });
  const text = await page.text();
  const form = /<form method="post" action="([^"]+)">/.exec(text);
  if (!form || options.confirm === false) {
    return { status: page.status, text, callback, confirmation: form ? text : undefined };
  }
  const fields = new URLSearchParams(
    [...text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(
      (m) => [m[1]!, unescaped(m[2]!)] as [string, string],
    ),
  );
  const confirmed = await fetch(new URL(unescaped(form[1]!), callback), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  return { status: confirmed.status, text: await confirmed.text(), callback, confirmation: text };
}

/** A seller whose storefront has a Meta adapter source `meta`, not yet connected (nor live). */
export const metaStorefront = (h: Harness) => adapterStorefront(h, 'meta', 'USD', 'Meta Ads');

/** Connects the seller's `meta` source through the consent flow; answers the connection view. */
export const connectMeta = (h: Harness, sellerKey: string) => connectSource(h, sellerKey, 'meta');

/** Takes the storefront live and lists it (readiness must be ready: its source connected). */
export async function goLive(h: Harness, sf: { seller: TestCustomer; id: number }) {
  const activated = await h.call('POST', '/api/v2/storefront/activate', { key: sf.seller.key });
  expect(activated.status, activated.text).toBe(200);
  await h.call('POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
    key: h.adminKey,
    body: { action: 'list' },
  });
}

type Storefront = { seller: TestCustomer; id: number; platformId: string };

/** Takes the storefront live and answers a sponsored buyer's agent client on it (close it). */
export async function liveBuyerAgent(h: Harness, base: string, sf: Storefront) {
  await goLive(h, sf);
  return agentClient(base, sf.platformId, await sponsoredBuyerKey(h, sf.seller, sf.id));
}

/**
 * A live storefront whose adapter source `connect` connected, a buyer's agent client on it, and
 * `products()`: that buyer's get_products for `brief`.
 */
export async function liveStorefront<C>(
  h: Harness,
  base: string,
  storefront: (h: Harness) => Promise<Storefront>,
  connect: (h: Harness, sellerKey: string) => Promise<C>,
  brief: string,
) {
  const sf = await storefront(h);
  const connection = await connect(h, sf.seller.key);
  const agent = await liveBuyerAgent(h, base, sf);
  const products = () =>
    agent.call('get_products', {
      buying_mode: 'brief',
      brief,
      brand: { domain: 'acmeoutdoor.example' },
    });
  return { sf, connection, agent, products };
}

/**
 * A seller whose storefront (in `currency`) has an adapter source of `provider` named `name`,
 * its source id `sourceId` (the provider's name by default), not yet connected.
 */
export async function adapterStorefront(
  h: Harness,
  provider: string,
  currency: string,
  name = `${provider} ads`,
  sourceId = provider,
): Promise<Storefront> {
  const seller = await createCustomer(h, { role: 'SELLER' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: { defaultCurrency: currency, mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  expect(sf.status, sf.text).toBe(200);
  const created = await h.call('POST', `${sources}/adapter`, {
    key: seller.key,
    body: { provider, name, sourceId },
  });
  expect(created.status, created.text).toBe(201);
  return { seller, id: sf.body.data.id, platformId: sf.body.data.platformId };
}

/** Starts connecting the seller's adapter source `sourceId` and consents in a browser. */
export async function consentToSource(h: Harness, sellerKey: string, sourceId: string) {
  const started = await h.call('POST', `${sources}/${sourceId}/adapter/connect`, {
    key: sellerKey,
  });
  expect(started.status, started.text).toBe(200);
  const page = await consentInBrowser(started.body.data.authorizationUrl);
  expect(page.status, page.text).toBe(200);
}

/** Connects the seller's adapter source `sourceId` through the consent flow in a browser. */
export async function connectSource(h: Harness, sellerKey: string, sourceId: string) {
  await consentToSource(h, sellerKey, sourceId);
  const view = await h.call('GET', `${sources}/${sourceId}/adapter`, { key: sellerKey });
  expect(view.body.data.status).toBe('CONNECTED');
  return view.body.data;
}

/**
 * Waits until a grant's access token (its connection's `expiresAt`) has ended: timed from when
 * the provider issued it, not from when the test began, so a slow set-up cannot shorten the wait.
 */
export const pastTokenEnd = (expiresAt: string, marginMs = 300) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, Date.parse(expiresAt) + marginMs - Date.now())),
  );
