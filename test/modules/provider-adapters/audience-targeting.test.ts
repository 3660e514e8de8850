import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agentClient, listen, sponsoredBuyerKey } from '../../agents/storefront-agent-support.js';
import { startImageHost, type ImageHost } from '../../fakes/image-host.js';
import { startFakeMeta, type FakeMeta } from '../../../src/sandbox/fakes/meta/server.js';
import {
  startFakePinterest,
  type FakePinterest,
} from '../../../src/sandbox/fakes/pinterest/server.js';
import { startFakeReddit, type FakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import { startFakeSnap, type FakeSnap } from '../../../src/sandbox/fakes/snap/server.js';
import { startFakeSpotify, type FakeSpotify } from '../../../src/sandbox/fakes/spotify/server.js';
import { startFakeTikTok, type FakeTikTok } from '../../../src/sandbox/fakes/tiktok/server.js';
import {
  metaCase,
  pinterestCase,
  redditCase,
  snapCase,
  tiktokCase,
  type TargetingCase,
} from './audience-targeting-support.js';
import { pinterestEnv } from './pinterest-support.js';
import { redditEnv } from './reddit-support.js';
import { snapEnv } from './snap-support.js';
import { spotifyCreative, spotifyEnv } from './spotify-support.js';
import { adapterStorefront, connectSource, liveBuyerAgent, metaEnv } from './support.js';
import { tiktokEnv } from './tiktok-support.js';

/*
 * A buyer's synced audiences reach the provider's targeting when it books through a storefront
 * selling through Meta, TikTok, Pinterest, Snap or Reddit: a package's audience_include and
 * audience_exclude become exactly that buyer's audiences on the ad set (ad group, ad squad), as
 * the fake provider holds it.
 * An audience the buyer does not own there (unknown, another buyer's, deleted) refuses the buy
 * before the provider hears of it, alike; one the provider cannot target yet refuses it too; a
 * provider without audiences (Spotify) refuses a package naming one rather than buying broader.
 */

let h: Harness;
let base: string;
let meta: FakeMeta;
let tiktok: FakeTikTok;
let pinterest: FakePinterest;
let spotify: FakeSpotify;
let snap: FakeSnap;
let reddit: FakeReddit;
let images: ImageHost;
const callback = () => `${base}/api/v2/storefront/adapters/oauth/callback`;
const account = { brand: { domain: 'acmeoutdoor.example' }, operator: 'acmeoutdoor.example' };
const sha = (value: string) => createHash('sha256').update(value).digest('hex');
type Agent = Awaited<ReturnType<typeof agentClient>>;

beforeAll(async () => {
  [meta, tiktok, pinterest, spotify, snap, reddit, images] = await Promise.all([
    startFakeMeta({ clientId: 'app-123', clientSecret: 'app-secret-xyz' }),
    startFakeTikTok({ appId: 'tt-app-1', secret: 'tt-secret-123456' }),
    startFakePinterest({ clientId: '1484362', clientSecret: 'pin-secret-abc123' }),
    startFakeSpotify({ clientId: 'spotify-client-1', clientSecret: 'spot-secret-42' }),
    startFakeSnap({ clientId: 'snap-client-1', clientSecret: 'snap-secret-xyz789' }),
    startFakeReddit({ clientId: 'reddit-client-1', clientSecret: 'reddit-secret-42' }),
    startImageHost(),
  ]);
  h = await createHarness({
    ...metaEnv(meta),
    ...tiktokEnv(tiktok),
    ...pinterestEnv(pinterest),
    ...spotifyEnv(spotify),
    ...snapEnv(snap),
    ...redditEnv(reddit),
  });
  base = await listen(h);
  h.services.trustOwnOrigin(base);
  for (const fake of [meta, tiktok, pinterest, spotify, snap, reddit]) {
    fake.state.options.redirectUris = [callback()];
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
  await Promise.all(
    [meta, tiktok, pinterest, spotify, snap, reddit, images].map((fake) => fake?.close()),
  );
});

/** A live storefront selling through `provider`, and two of its buyers' agent clients. */
async function storefrontOf(provider: string, currency: string) {
  const sf = await adapterStorefront(h, provider, currency);
  await connectSource(h, sf.seller.key, provider);
  const first = await liveBuyerAgent(h, base, sf);
  const second = await agentClient(
    base,
    sf.platformId,
    await sponsoredBuyerKey(h, sf.seller, sf.id),
  );
  return { first, second };
}

/**
 * Syncs `id` with `count` hashed members (none: an empty audience); answers the provider's id
 * for it (seller_id).
 */
async function syncAudience(agent: Agent, id: string, count: number): Promise<string> {
  const members = Array.from({ length: count }, (_, i) => ({
    external_id: `${id}-${i}`,
    hashed_email: sha(`${id}${i}@example.com`),
  }));
  const synced = await agent.call('sync_audiences', {
    idempotency_key: randomUUID(),
    account,
    audiences: [{ audience_id: id, name: `Audience ${id}`, ...(count > 0 && { add: members }) }],
  });
  expect(synced.isError, JSON.stringify(synced)).toBe(false);
  expect(synced.audiences[0].action, JSON.stringify(synced)).toBe('created');
  return synced.audiences[0].seller_id as string;
}

type Product = {
  product_id: string;
  name: string;
  pricing_options: Array<{ pricing_option_id: string }>;
};

/** The case's two products as the buyer finds them. */
async function productsOf(agent: Agent, c: TargetingCase): Promise<Product[]> {
  const found = await agent.call('get_products', {
    buying_mode: 'brief',
    brief: 'people who already know the brand',
    brand: { domain: 'acmeoutdoor.example' },
  });
  expect(found.isError, JSON.stringify(found)).toBe(false);
  return c.products.map((name) => {
    const product = (found.products as Product[]).find((p) => p.name === name);
    expect(product, `${name} in ${JSON.stringify(found.products)}`).toBeDefined();
    return product!;
  });
}

/** A buy of one package per overlay, on the products in turn. */
function book(
  agent: Agent,
  c: TargetingCase,
  products: Product[],
  overlays: Array<Record<string, unknown>>,
) {
  return agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: overlays.map((overlay, i) => ({
      product_id: products[i % 2]!.product_id,
      pricing_option_id: products[i % 2]!.pricing_options[0]!.pricing_option_id,
      budget: 600,
      targeting_overlay: { geo_countries: c.countries, ...overlay },
      creatives: [{ ...c.creative, creative_id: `creative-${i + 1}` }],
    })),
  });
}

/** A refused create_media_buy after which the provider heard nothing at all. */
async function refusedUnheard(
  c: TargetingCase,
  ask: () => Promise<Record<string, unknown>>,
): Promise<{ code: string; message: string; field?: string }> {
  const before = c.calls().length;
  const answer = await ask();
  expect(answer.isError, JSON.stringify(answer)).toBe(true);
  expect(c.calls().slice(before)).toEqual([]);
  return answer.adcp_error as { code: string; message: string; field?: string };
}

const cases: Array<[string, string, () => TargetingCase]> = [
  ['Meta', 'USD', () => metaCase(meta)],
  ['TikTok', 'EUR', () => tiktokCase(tiktok)],
  ['Pinterest', 'USD', () => pinterestCase(pinterest)],
  ['Snap', 'GBP', () => snapCase(snap, images.url)],
  ['Reddit', 'USD', () => redditCase(reddit)],
];

describe.each(cases)('a storefront selling through %s', (_name, currency, caseOf) => {
  it("targets exactly the buyer's own audiences, and refuses any other before the provider hears of it", async () => {
    const c = caseOf();
    const { first, second } = await storefrontOf(c.provider, currency);
    try {
      const caps = await first.call('get_adcp_capabilities');
      expect(caps.media_buy.audience_targeting).toMatchObject({
        supported_identifier_types: expect.arrayContaining(['hashed_email']),
        minimum_audience_size: c.minimumSize,
      });

      const [mine, theirs] = [await productsOf(first, c), await productsOf(second, c)];
      const loyal = await syncAudience(first, 'loyal', c.members);
      const recent = await syncAudience(first, 'recent', c.members);
      const adSetsBefore = c.adSets().length;
      const bought = await book(first, c, mine, [
        { audience_include: ['loyal'] },
        { audience_exclude: ['recent'] },
      ]);
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      const made = c.adSets().slice(adSetsBefore);
      const one = made.find((s) => s.name.includes('pkg_1'));
      const two = made.find((s) => s.name.includes('pkg_2'));
      expect(one, JSON.stringify(made)).toMatchObject({ include: [loyal], exclude: [] });
      expect(two, JSON.stringify(made)).toMatchObject({ include: [], exclude: [recent] });
      // Audience expansion (Meta's Advantage+ audience, Snap's auto-expansion, Reddit's
      // expand_targeting) would take an included audience as a mere suggestion.
      if (c.noExpansion) expect(one!.targeting).toMatchObject(c.noExpansion);

      // Another buyer naming the first one's audience_id, and an id nobody has: refused alike.
      const stolen = await refusedUnheard(c, () =>
        book(second, c, theirs, [{ audience_include: ['loyal'] }]),
      );
      const unknown = await refusedUnheard(c, () =>
        book(second, c, theirs, [{ audience_include: ['nobody'] }]),
      );
      expect(stolen).toMatchObject({
        code: 'REFERENCE_NOT_FOUND',
        field: 'packages[0].targeting_overlay.audience_include',
      });
      expect(unknown.code).toBe(stolen.code);
      expect(unknown.field).toBe(stolen.field);
      expect(unknown.message.replace('nobody', 'loyal')).toBe(stolen.message);

      // The second buyer's own "loyal" is its own audience at the provider, never the first's.
      const secondLoyal = await syncAudience(second, 'loyal', c.members);
      expect(secondLoyal).not.toBe(loyal);
      const before = c.adSets().length;
      const own = await book(second, c, theirs, [{ audience_include: ['loyal'] }]);
      expect(own.isError, JSON.stringify(own)).toBe(false);
      expect(c.adSets().slice(before)).toEqual([
        expect.objectContaining({ include: [secondLoyal], exclude: [] }),
      ]);

      // A deleted audience is gone for targeting too.
      const deleted = await first.call('sync_audiences', {
        idempotency_key: randomUUID(),
        account,
        audiences: [{ audience_id: 'recent', delete: true }],
      });
      expect(deleted.audiences[0].action, JSON.stringify(deleted)).toBe('deleted');
      const gone = await refusedUnheard(c, () =>
        book(first, c, mine, [{ audience_include: ['loyal'] }, { audience_exclude: ['recent'] }]),
      );
      expect(gone).toMatchObject({
        code: 'REFERENCE_NOT_FOUND',
        field: 'packages[1].targeting_overlay.audience_exclude',
      });
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses an audience the provider cannot target yet rather than buying broader', async () => {
    const c = caseOf();
    const { first, second } = await storefrontOf(c.provider, currency);
    try {
      await syncAudience(first, 'few', 10);
      const products = await productsOf(first, c);
      const before = c.calls().length;
      const refused = await book(first, c, products, [{ audience_include: ['few'] }]);
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(refused.adcp_error).toMatchObject({
        code: 'AUDIENCE_TOO_SMALL',
        field: 'packages[0].targeting_overlay.audience_include',
        message: expect.stringContaining('few'),
      });
      // The provider was asked how the audience stands, and heard nothing of the buy.
      const reached = c.calls().slice(before);
      expect(reached.length).toBeGreaterThan(0);
      expect(reached.filter((call) => call.method !== 'GET')).toEqual([]);

      // One made empty is still being matched: book again once it is ready.
      if (!c.emptyIsProcessing) return;
      await syncAudience(first, 'later', 0);
      const since = c.calls().length;
      const early = await book(first, c, products, [{ audience_exclude: ['later'] }]);
      expect(early.isError, JSON.stringify(early)).toBe(true);
      expect(early.adcp_error).toMatchObject({
        code: 'INVALID_STATE',
        field: 'packages[0].targeting_overlay.audience_exclude',
      });
      expect(
        c
          .calls()
          .slice(since)
          .filter((call) => call.method !== 'GET'),
      ).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('a storefront selling through a provider without audiences (Spotify)', () => {
  it('refuses a package naming audiences, by name, before Spotify hears of it', async () => {
    const { first, second } = await storefrontOf('spotify', 'EUR');
    try {
      const caps = await first.call('get_adcp_capabilities');
      expect(caps.media_buy?.audience_targeting).toBeUndefined();
      const found = await first.call('get_products', {
        buying_mode: 'brief',
        brief: 'Spotify audio ads in podcasts',
        brand: { domain: 'acmeoutdoor.example' },
      });
      const [product] = found.products as Product[];
      const before = spotify.state.calls.length;
      const refused = await first.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product!.product_id,
            pricing_option_id: product!.pricing_options[0]!.pricing_option_id,
            budget: 250,
            targeting_overlay: { geo_countries: ['DE'], audience_exclude: ['recent-buyers'] },
            creatives: [spotifyCreative('https://cdn.acmeoutdoor.example')],
          },
        ],
      });
      expect(refused.isError, JSON.stringify(refused)).toBe(true);
      expect(refused.adcp_error).toMatchObject({
        code: 'UNSUPPORTED_FEATURE',
        field: 'packages[0].targeting_overlay.audience_exclude',
        message: expect.stringContaining('audience_exclude'),
      });
      // Nothing but token upkeep reached Spotify: no campaign, no ad set, no file read.
      const reached = spotify.state.calls.slice(before).filter((call) => !/token/.test(call.path));
      expect(reached).toEqual([]);
      expect(spotify.state.ofKind('campaign')).toHaveLength(0);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
