import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/web/console/responses.js';
import { storefrontWith } from '../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { buyerWithAdvertiser, executedCampaign } from '../modules/buying/buying-support.js';
import { png } from '../support/images.js';
import { type Browserish, consoleClient } from './console-client.js';

/**
 * Every console action added for the setup and buying pages, over HTTP (app.inject): a form
 * without its token is refused (403) and changes nothing; another customer's ids answer 404
 * and change nothing; the pages carry the strict CSP and load nothing from elsewhere; and the
 * forms are the API's (its limits in the markup, its refusals at the field).
 */
let h: Harness;
let seller: RunningSeller;
/** Seller A and buyer A own everything; B is the other customer of each kind. */
let sellerA: TestCustomer;
let sellerB: TestCustomer;
let buyerA: TestCustomer;
let buyerB: TestCustomer;
const ids: Record<string, string> = {};

const { get, post, signIn } = consoleClient(() => h.app);
const call = (key: string, method: string, url: string, body?: unknown) =>
  h.call(method, url, { key, ...(body !== undefined && { body }) });

beforeAll(async () => {
  h = await createHarness();
  seller = await startSeller('mcp');
  // Seller A: a live storefront over the demo seller, with a join link, an operating
  // instructions version, a buyer instruction and a product rule.
  const sf = await storefrontWith(h, [{ sourceId: 'demo', url: seller.url }]);
  sellerA = sf.seller as TestCustomer;
  const link = await call(sellerA.key, 'POST', '/api/v2/storefront/join-links', {
    storefrontId: sf.id,
  });
  ids.linkId = link.body.data.id;
  await call(sellerA.key, 'POST', '/api/v2/storefront/operating-instructions', {
    content: 'Version one',
  });
  const instruction = await call(sellerA.key, 'POST', '/api/v2/storefront/buyer-instructions', {
    operatorDomain: null,
    brandDomain: 'acme.example',
    discountPercent: 5,
    notes: null,
    countries: null,
  });
  ids.instructionId = instruction.body.data.id;
  const rule = await call(sellerA.key, 'POST', '/api/v2/storefront/product-rules', {
    name: 'No takeovers',
    kind: 'exclude',
    match: { productIds: ['demo__no_such_product'] },
  });
  ids.ruleId = rule.body.data.id;
  sellerB = await createCustomer(h, { role: 'SELLER' });

  // Buyer A: an advertiser with an event source, an executed campaign (a media buy), a creative
  // and a discovery; buyer B another organisation.
  const a = await buyerWithAdvertiser(h);
  buyerA = a.buyer;
  ids.advertiserId = a.advertiserId;
  await call(buyerA.key, 'POST', `/api/v2/buyer/advertisers/${a.advertiserId}/event-sources/sync`, {
    event_sources: [{ event_source_id: 'web', name: 'Web pixel' }],
  });
  const { campaignId } = await executedCampaign(h, buyerA.key, a.advertiserId, [sf]);
  ids.campaignId = campaignId;
  const campaign = await call(buyerA.key, 'GET', `/api/v2/buyer/campaigns/${campaignId}`);
  ids.mediaBuyId = campaign.body.data.campaign.mediaBuys[0].mediaBuyId;
  ids.discoveryId = campaign.body.data.campaign.discoveryId;
  const creative = await call(
    buyerA.key,
    'POST',
    `/api/v2/buyer/campaigns/${campaignId}/creatives/create`,
    { name: 'Banner', format_kind: 'image' },
  );
  ids.creativeId = creative.body.data.creative_id;
  buyerB = (await buyerWithAdvertiser(h, 'other-brand.example')).buyer;
}, 90_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

/** What A's objects look like through the API: an action that changed nothing leaves it equal. */
async function stateOfA() {
  const read = async (key: string, url: string) => (await call(key, 'GET', url)).body.data;
  const strip = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value, (k, v) => (k === 'health' || k === 'lastProbeAt' ? undefined : v)),
    );
  return strip({
    storefront: await read(sellerA.key, '/api/v2/storefront'),
    sources: await read(sellerA.key, '/api/v2/storefront/inventory-sources'),
    links: await read(sellerA.key, '/api/v2/storefront/join-links'),
    versions: await read(sellerA.key, '/api/v2/storefront/operating-instructions'),
    instructions: await read(sellerA.key, '/api/v2/storefront/buyer-instructions'),
    rules: await read(sellerA.key, '/api/v2/storefront/product-rules'),
    advertiser: await read(buyerA.key, `/api/v2/buyer/advertisers/${ids.advertiserId}`),
    campaign: await read(buyerA.key, `/api/v2/buyer/campaigns/${ids.campaignId}`),
    selections: await read(buyerA.key, `/api/v2/buyer/discovery/${ids.discoveryId}/products`),
    creatives: await read(buyerA.key, `/api/v2/buyer/campaigns/${ids.campaignId}/creatives`),
    credentials: await read(buyerA.key, '/api/v2/buyer/storefronts/credentials'),
  });
}

type Persona = 'seller' | 'buyer';
/** Each action with the form values a browser would send (A's ids in its URL). */
const actions: Array<{
  persona: Persona;
  url: () => string;
  values?: Record<string, string>;
  foreignIds?: boolean;
}> = [
  { persona: 'seller', url: () => '/console/storefront/profile', values: { name: 'Changed' } },
  { persona: 'seller', url: () => '/console/storefront/branding', values: { brandName: 'X' } },
  {
    persona: 'seller',
    url: () => '/console/storefront/business',
    values: { 'businessProfile.agentPersonality': 'Loud' },
  },
  {
    persona: 'seller',
    url: () => '/console/storefront/currency',
    values: { defaultCurrency: 'EUR', supportedLanguages: 'en' },
  },
  { persona: 'seller', url: () => '/console/storefront/deactivate' },
  { persona: 'seller', url: () => '/console/storefront/pause' },
  { persona: 'seller', url: () => '/console/terms/accept' },
  {
    persona: 'seller',
    url: () => '/console/sources/new',
    values: { name: 'New', endpointUrl: 'http://127.0.0.1:9/mcp', authenticationType: 'NO_AUTH' },
  },
  {
    persona: 'seller',
    url: () => '/console/sources/demo/edit',
    values: { name: 'Renamed' },
    foreignIds: true,
  },
  {
    persona: 'seller',
    url: () => '/console/sources/demo/credential',
    values: { authenticationType: 'API_KEY', 'auth.token': 'stolen' },
    foreignIds: true,
  },
  { persona: 'seller', url: () => '/console/sources/demo/test', foreignIds: true },
  { persona: 'seller', url: () => '/console/sources/demo/disable', foreignIds: true },
  { persona: 'seller', url: () => '/console/sources/demo/remove', foreignIds: true },
  // Ad-server sources: connect (Ad Manager's form is multipart: a plain post has no token),
  // test, sync and change the connection.
  {
    persona: 'seller',
    url: () => '/console/sources/new-ad-server/gam',
    values: { type: 'google_ad_manager', sourceId: 'gam', networkCode: '1234' },
  },
  {
    persona: 'seller',
    url: () => '/console/sources/new-ad-server/springserve',
    values: { type: 'springserve', sourceId: 'ss', email: 'a@b.example', apiToken: 't' },
  },
  {
    persona: 'seller',
    url: () => '/console/sources/new-ad-server/freewheel',
    values: { type: 'freewheel', sourceId: 'fw', apiToken: 't' },
  },
  { persona: 'seller', url: () => '/console/sources/demo/ad-server-test', foreignIds: true },
  { persona: 'seller', url: () => '/console/sources/demo/ad-server-sync', foreignIds: true },
  {
    persona: 'seller',
    url: () => '/console/sources/demo/ad-server-springserve',
    values: { type: 'springserve', apiToken: 'stolen' },
    foreignIds: true,
  },
  {
    persona: 'seller',
    url: () => '/console/sources/demo/ad-server-freewheel',
    values: { type: 'freewheel', apiToken: 'stolen' },
    foreignIds: true,
  },
  { persona: 'seller', url: () => '/console/sources/demo/ad-server-gam' },
  { persona: 'seller', url: () => '/console/join-links/new', values: { approvalPolicy: 'closed' } },
  { persona: 'seller', url: () => `/console/join-links/${ids.linkId}/disable`, foreignIds: true },
  {
    persona: 'seller',
    url: () => '/console/instructions/operating',
    values: { content: 'Version two', activate: 'true' },
  },
  // Version numbers count per storefront: B's "version 1" is B's own (the API's 400 when none).
  { persona: 'seller', url: () => '/console/instructions/operating/1/activate' },
  {
    persona: 'seller',
    url: () => '/console/instructions/buyers',
    values: { brandDomain: 'other.example' },
  },
  {
    persona: 'seller',
    url: () => `/console/instructions/buyers/${ids.instructionId}/delete`,
    foreignIds: true,
  },
  {
    persona: 'seller',
    url: () => '/console/product-rules/new',
    values: { name: 'R', kind: 'exclude' },
  },
  { persona: 'seller', url: () => `/console/product-rules/${ids.ruleId}/delete`, foreignIds: true },
  {
    persona: 'seller',
    url: () => '/console/product-rules/preview',
    values: { form: 'rule', name: 'R', kind: 'exclude' },
  },
  {
    persona: 'buyer',
    url: () => '/console/advertisers/new',
    values: { name: 'N', brand: 'n.example', primaryCurrency: 'USD' },
  },
  {
    persona: 'buyer',
    url: () => `/console/advertisers/${ids.advertiserId}/accounts`,
    values: { storefrontId: '1', sourceId: 'demo', accountId: 'seat-1' },
    foreignIds: true,
  },
  {
    persona: 'buyer',
    url: () => `/console/advertisers/${ids.advertiserId}/event-sources`,
    values: { 'event_sources.0.event_source_id': 'web', 'event_sources.0.name': 'Hijacked' },
    foreignIds: true,
  },
  {
    persona: 'buyer',
    url: () => '/console/discover',
    values: { advertiserId: '1', brief: 'Anything' },
  },
  {
    persona: 'buyer',
    url: () => `/console/discover/${ids.discoveryId}/remove`,
    values: { productId: 'x' },
    foreignIds: true,
  },
  {
    persona: 'buyer',
    url: () => `/console/discover/${ids.discoveryId}/select`,
    values: { pick: 'x' },
    foreignIds: true,
  },
  {
    persona: 'buyer',
    url: () => '/console/campaigns/new',
    values: { advertiserId: '1', name: 'C' },
  },
  { persona: 'buyer', url: () => `/console/campaigns/${ids.campaignId}/pause`, foreignIds: true },
  { persona: 'buyer', url: () => `/console/campaigns/${ids.campaignId}/execute`, foreignIds: true },
  {
    persona: 'buyer',
    url: () => `/console/campaigns/${ids.campaignId}/creatives/new`,
    values: { name: 'Other' },
    foreignIds: true,
  },
  {
    persona: 'buyer',
    url: () => `/console/campaigns/${ids.campaignId}/creatives/${ids.creativeId}/delete`,
    foreignIds: true,
  },
  { persona: 'buyer', url: () => `/console/media-buys/${ids.mediaBuyId}/pause`, foreignIds: true },
];

describe('console actions', () => {
  let sessions: Record<'sellerA' | 'sellerB' | 'buyerA' | 'buyerB', Browserish>;
  beforeAll(async () => {
    sessions = {
      sellerA: await signIn(sellerA.key),
      sellerB: await signIn(sellerB.key),
      buyerA: await signIn(buyerA.key),
      buyerB: await signIn(buyerB.key),
    };
  });

  it('refuses every new action without the form token (403) and changes nothing', async () => {
    const before = await stateOfA();
    for (const action of actions) {
      const own = action.persona === 'seller' ? sessions.sellerA : sessions.buyerA;
      const other = action.persona === 'seller' ? sessions.sellerB : sessions.buyerB;
      const missing = await post(action.url(), action.values ?? {}, own.cookie);
      expect(missing.statusCode, action.url()).toBe(403);
      // Another session's token is no better.
      const wrong = await post(action.url(), { ...action.values, csrf: other.csrf }, own.cookie);
      expect(wrong.statusCode, action.url()).toBe(403);
    }
    expect(await stateOfA()).toEqual(before);
  });

  it("answers 404 to another customer's ids and changes nothing", async () => {
    const before = await stateOfA();
    for (const action of actions.filter((a) => a.foreignIds)) {
      const other = action.persona === 'seller' ? sessions.sellerB : sessions.buyerB;
      const res = await post(action.url(), { ...action.values, csrf: other.csrf }, other.cookie);
      expect(res.statusCode, action.url()).toBe(404);
    }
    // Pages of A's objects are 404 to B as well.
    for (const url of [
      '/console/sources/demo',
      `/console/advertisers/${ids.advertiserId}`,
      `/console/campaigns/${ids.campaignId}`,
      `/console/campaigns/${ids.campaignId}/creatives`,
      `/console/media-buys/${ids.mediaBuyId}`,
      `/console/discover/${ids.discoveryId}`,
    ]) {
      const b = url.startsWith('/console/sources') ? sessions.sellerB : sessions.buyerB;
      expect((await get(url, b.cookie)).statusCode, url).toBe(404);
    }
    expect(await stateOfA()).toEqual(before);
  });

  it('previews a draft rule through the API: a refused draft comes back at its field, unsaved', async () => {
    const before = await stateOfA();
    const own = sessions.sellerA;
    const bad = await post(
      '/console/product-rules/preview',
      {
        csrf: own.csrf,
        form: 'rule',
        name: 'Too much',
        kind: 'price',
        'action.markupPercent': '900',
      },
      own.cookie,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(
      /<p class="field-error" id="rule-action-markupPercent-error">Must be between 0 and 500<\/p>/,
    );
    // What was typed is kept for the next try.
    expect(bad.body).toContain('value="Too much"');
    expect(await stateOfA()).toEqual(before);
  });

  it('refuses an upload without the token, and answers one with it through the API', async () => {
    const upload = (headers: Record<string, string>, cookie: string) =>
      h.app.inject({
        method: 'POST',
        url: '/console/creative-assets?filename=banner.png',
        headers: { 'content-type': 'image/png', cookie, ...headers },
        payload: png(300, 250),
      });
    const refused = await upload({}, sessions.buyerA.cookie);
    expect(refused.statusCode).toBe(403);
    const wrong = await upload({ 'x-csrf-token': sessions.buyerB.csrf }, sessions.buyerA.cookie);
    expect(wrong.statusCode).toBe(403);
    const done = await upload({ 'x-csrf-token': sessions.buyerA.csrf }, sessions.buyerA.cookie);
    expect(done.statusCode, done.body).toBe(200);
    const asset = done.json();
    expect(asset).toMatchObject({ filename: 'banner.png', type: 'IMAGE' });
    expect(asset.previewUrl).toMatch(/^\/assets\/ast_/);
    // The asset is A's: B cannot read it through the API.
    const other = await call(buyerB.key, 'GET', `/api/v2/buyer/creative-assets/${asset.assetId}`);
    expect(other.status).toBe(404);
  });

  it('serves every new page under the strict CSP, with nothing from another origin', async () => {
    const pages: Array<[Browserish, string]> = [
      [sessions.sellerA, '/console/storefront'],
      [sessions.sellerA, '/console/sources'],
      [sessions.sellerA, '/console/sources/new'],
      [sessions.sellerA, '/console/sources/demo'],
      [sessions.sellerA, '/console/buyers'],
      [sessions.sellerA, '/console/instructions'],
      [sessions.sellerA, '/console/product-rules'],
      [sessions.buyerA, '/console'],
      [sessions.buyerA, '/console/advertisers'],
      [sessions.buyerA, `/console/advertisers/${ids.advertiserId}`],
      [sessions.buyerA, '/console/storefronts'],
      [sessions.buyerA, '/console/discover'],
      [sessions.buyerA, `/console/discover/${ids.discoveryId}`],
      [sessions.buyerA, '/console/campaigns'],
      [sessions.buyerA, `/console/campaigns/${ids.campaignId}`],
      [sessions.buyerA, `/console/campaigns/${ids.campaignId}/creatives`],
      [sessions.buyerA, `/console/media-buys/${ids.mediaBuyId}`],
      [sessions.buyerA, '/console/reporting'],
    ];
    for (const [session, url] of pages) {
      const res = await get(url, session.cookie);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-security-policy'], url).toBe(contentSecurityPolicy);
      expect(res.headers['cache-control'], url).toBe('no-store');
      // Every resource the markup loads is a path on this server.
      for (const [, attr, value] of res.body.matchAll(
        /<(?:script|link|img|iframe)[^>]*\s(src|href)="([^"]*)"/g,
      )) {
        expect(value, `${url} ${attr}`).toMatch(/^\/(?!\/)/);
      }
      for (const [, attrs] of res.body.matchAll(/<script([^>]*)>/g)) {
        expect(attrs, url).toMatch(/src="\/console\/assets\/|type="application\/json"/);
      }
    }
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).not.toMatch(/https?:|\*/);
  });

  it("takes each form's limits from the API route's schema and shows its refusals at the field", async () => {
    const page = await get('/console/storefront', sessions.sellerA.cookie);
    // businessProfile.agentPersonality: max 1000 (seed 003), publisherDomains: at most 128.
    expect(page.body).toMatch(/name="businessProfile.agentPersonality"[^>]*maxlength="1000"/);
    expect(page.body).toContain('data-max="128" data-unit="entries"');
    const refused = await post(
      '/console/storefront/business',
      {
        csrf: sessions.sellerA.csrf,
        'businessProfile.publisherDomains': 'fine.example\nNot A Domain',
      },
      sessions.sellerA.cookie,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(
      /id="business-businessProfile-publisherDomains"[^>]*aria-invalid="true"/,
    );
    expect(refused.body).toContain('id="business-businessProfile-publisherDomains-error"');
    // What was typed comes back, so nothing is lost.
    expect(refused.body).toContain('Not A Domain');
  });
});
