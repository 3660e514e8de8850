import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import {
  agentClient,
  buyOf,
  storyboardSandbox,
  syncSandboxAccount,
} from '../../agents/storefront-agent-support.js';
import {
  adServerHarness,
  approveQueued,
  connectAdServer,
  manifestOf,
  sportsProduct,
} from './support.js';

/*
 * An ad-server buy's creatives after it is placed (issue 70), over MCP with the official client
 * against the fake Ad Manager on a socket: a buy placed without creatives is pending_creatives
 * (media-buy-status.json: "approved but has no creatives assigned"); creatives assigned by
 * update_media_buy are uploaded and associated with the package's line item in the network
 * (its own record: a LineItemCreativeAssociation), and the buy moves on; a creative swapped out
 * is deactivated there. An unknown creative, another buyer's, or a package not in the buy is a
 * clear AdCP error and changes nothing in the network.
 */

let gam: FakeGam;
let h: Harness;
let base: string;
const networkCode = '21700093';

beforeAll(async () => {
  gam = await startFakeGam({ networkCode, adUnits: 20 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read

const network = () => gam.networks.get(networkCode)!;
/** The fake network's associations of one line item, as it records them. */
const licasOf = (lineItemId: string) =>
  network().associations.filter((a) => String(a['lineItemId']) === lineItemId);
const creativeName = (id: unknown) => network().creatives.get(String(id))?.['name'];

const connected = (approval: 'manual' | 'auto') =>
  connectAdServer(
    h,
    'gam',
    {
      type: 'google_ad_manager',
      networkCode,
      name: 'Our Ad Manager',
      publisherDomain: 'sportsnews.example',
      serviceAccountKey: gam.serviceAccount([networkCode]),
      products: [sportsProduct],
    },
    approval,
  );

const banner = (name: string) => ({ name, url: `${gam.url}/cdn/banner.png` });

async function sync(agent: Json, account: Json, creativeId: string, name: string) {
  const synced = await agent.call('sync_creatives', {
    idempotency_key: randomUUID(),
    account,
    creatives: [manifestOf(banner(name), creativeId)],
  });
  expect(synced.isError ?? false, JSON.stringify(synced)).toBe(false);
}

const assign = (agent: Json, account: Json, mediaBuyId: string, pkg: string, ids: string[]) =>
  agent.call('update_media_buy', {
    idempotency_key: randomUUID(),
    account,
    media_buy_id: mediaBuyId,
    packages: [
      { package_id: pkg, creative_assignments: ids.map((creative_id) => ({ creative_id })) },
    ],
  });

const statusOf = async (agent: Json, account: Json, mediaBuyId: string) => {
  const read = await agent.call('get_media_buys', { account, media_buy_ids: [mediaBuyId] });
  return (read.media_buys as Json[])?.[0];
};

describe("an Ad Manager buy's creatives after it is placed", () => {
  it('a live buy without creatives is pending_creatives until assigned ones reach its line item; swaps and bad input', async () => {
    const sf = await connected('manual');
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'acme-changes.example' });
    const other = await createCustomer(h, { role: 'BUYER', domain: 'other-changes.example' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const stranger = await agentClient(base, sf.platformId, other.key);
    const account = { account_id: 'acme_media' };
    try {
      const listed = await agent.call('get_products', { buying_mode: 'brief', brief: 'sports' });
      const product = (listed.products as Json[]).find((p) =>
        p.product_id.endsWith('sports_display'),
      );
      expect(product, JSON.stringify(listed)).toBeTruthy();
      const booked = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acme.example' },
        start_time: 'asap',
        end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 6_000,
          },
        ],
      });
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
      const decided = await approveQueued(h, sf.seller.key);
      expect(decided.body.data.forwardOutcome, decided.text).toBe('all_completed');
      const mediaBuyId = decided.body.data.mediaBuyId ?? booked.media_buy_id;

      // Written in the network with no creative on its line: the buyer's move.
      const lineItem = [...network().lineItems.values()].at(-1)!;
      const lineItemId = String(lineItem['id']);
      expect(licasOf(lineItemId)).toHaveLength(0);
      const placed = await statusOf(agent, account, mediaBuyId);
      expect(placed?.status, JSON.stringify(placed)).toBe('pending_creatives');
      const pkg = placed.packages[0].package_id as string;

      // Assigned: uploaded, associated with the line item, and the buy moves on.
      await sync(agent, account, 'cr_first', 'First banner');
      const assigned = await assign(agent, account, mediaBuyId, pkg, ['cr_first']);
      expect(assigned.isError, JSON.stringify(assigned)).toBe(false);
      expect(['active', 'pending_start']).toContain(assigned.status ?? assigned.media_buy_status);
      const first = licasOf(lineItemId);
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ status: 'ACTIVE' });
      expect(creativeName(first[0]!['creativeId'])).toBe('First banner');
      expect((await statusOf(agent, account, mediaBuyId))?.status).toBe('active');

      // Swapped: the new creative associated, the old one's association deactivated.
      await sync(agent, account, 'cr_second', 'Second banner');
      const swapped = await assign(agent, account, mediaBuyId, pkg, ['cr_second']);
      expect(swapped.isError, JSON.stringify(swapped)).toBe(false);
      const after = licasOf(lineItemId);
      const byName = (name: string) => after.find((a) => creativeName(a['creativeId']) === name);
      expect(byName('Second banner')).toMatchObject({ status: 'ACTIVE' });
      expect(byName('First banner')).toMatchObject({ status: 'INACTIVE' });
      expect((await statusOf(agent, account, mediaBuyId))?.status).toBe('active');

      // sync_creatives' assignments add one to the package the same way.
      const third = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [manifestOf(banner('Third banner'), 'cr_third')],
        assignments: [{ creative_id: 'cr_third', package_id: pkg }],
      });
      expect(third.creatives?.[0]?.assigned_to, JSON.stringify(third)).toEqual([pkg]);
      const both = licasOf(lineItemId).filter((a) => a['status'] === 'ACTIVE');
      expect(both.map((a) => creativeName(a['creativeId'])).sort()).toEqual([
        'Second banner',
        'Third banner',
      ]);

      // Bad input: each a clear AdCP error, and nothing more in the network.
      await sync(stranger, account, 'cr_theirs', 'Their banner');
      const held = JSON.stringify(network().associations);
      const creatives = network().creatives.size;
      for (const [ids, onPackage, code] of [
        [['cr_nowhere'], pkg, 'CREATIVE_NOT_FOUND'],
        [['cr_theirs'], pkg, 'CREATIVE_NOT_FOUND'],
        [['cr_second'], 'pkg_not_in_buy', 'PACKAGE_NOT_FOUND'],
      ] as const) {
        const refused = await assign(agent, account, mediaBuyId, onPackage, [...ids]);
        expect(refused.isError, JSON.stringify(refused)).toBe(true);
        expect(refused.adcp_error?.code, JSON.stringify(refused)).toBe(code);
      }
      expect(JSON.stringify(network().associations)).toBe(held);
      expect(network().creatives.size).toBe(creatives);
      expect((await statusOf(agent, account, mediaBuyId))?.status).toBe('active');
    } finally {
      await agent.close();
      await stranger.close();
    }
  }, 180_000);

  it('a sandbox buy as pending_creatives_to_start makes it: pending_creatives at once, then active with the creative on its line', async () => {
    const sf = await connected('auto');
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: { product_id: 'gam_pending_fixture', fixture: { channels: ['display'] } },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'gam',
      });
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = (listed.products as Json[]).find(
        (p) => p.product_id === 'gam_pending_fixture',
      );
      expect(product, JSON.stringify(listed)).toBeDefined();
      const bought = await agent.call('create_media_buy', {
        ...buyOf(product, storyboardSandbox, 10_000),
        adcp_version: '3.1',
      });
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.media_buy_status ?? bought.status, JSON.stringify(bought)).toBe(
        'pending_creatives',
      );
      const lineItemId = String([...network().lineItems.values()].at(-1)!['id']);
      expect(licasOf(lineItemId)).toHaveLength(0);

      await sync(agent, storyboardSandbox, 'acme-outdoor-display-q3', 'Acme Outdoor Q3 display');
      const assigned = await agent.call('update_media_buy', {
        adcp_version: '3.1',
        idempotency_key: randomUUID(),
        account: storyboardSandbox,
        media_buy_id: bought.media_buy_id,
        packages: [
          {
            package_id: bought.packages[0].package_id,
            creative_assignments: [{ creative_id: 'acme-outdoor-display-q3' }],
          },
        ],
      });
      expect(assigned.isError, JSON.stringify(assigned)).toBe(false);
      expect(['active', 'pending_start']).toContain(assigned.media_buy_status);
      expect(
        assigned.affected_packages?.[0]?.creative_assignments,
        JSON.stringify(assigned),
      ).toEqual([expect.objectContaining({ creative_id: 'acme-outdoor-display-q3' })]);
      expect(licasOf(lineItemId)).toEqual([expect.objectContaining({ status: 'ACTIVE' })]);
      const read = await statusOf(agent, storyboardSandbox, bought.media_buy_id);
      expect(['active', 'pending_start']).toContain(read?.status);
    } finally {
      await agent.close();
    }
  }, 180_000);
});
