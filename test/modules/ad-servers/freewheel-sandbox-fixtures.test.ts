import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, type Harness } from '../../harness.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';
import {
  agentClient,
  buyOf,
  storyboardSandbox,
  syncSandboxAccount,
} from '../../agents/storefront-agent-support.js';
import { adServerHarness, connectAdServer, sportsProduct } from './support.js';

/*
 * A FreeWheel source holds a sandbox buyer's seeded product too (issue 70, item 2; the same kind
 * adapter as Ad Manager's, gam-sandbox-fixtures.test.ts), over MCP with the official client: the
 * seed is held by the source, listed to that sandbox account under its id, and a sandbox buy of
 * it on an auto storefront is an insertion order in the fake FreeWheel (its own record), marked
 * the sandbox buyer's.
 */

let fw: FakeFreeWheel;
let h: Harness;
let base: string;

beforeAll(async () => {
  fw = await startFakeFreeWheel({ siteSections: 10 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_FREEWHEEL_URL: fw.url,
    INTERCHANGE_FREEWHEEL_STAGING_URL: `${fw.url}/staging-is-not-used`,
  }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  await fw?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read

describe('a seeded product at a FreeWheel source', () => {
  it('is held and listed to the sandbox account, and a sandbox buy of it is an insertion order in FreeWheel', async () => {
    const sf = await connectAdServer(
      h,
      'freewheel',
      {
        type: 'freewheel',
        clientId: 'interchange-client',
        clientSecret: 'fw-client-secret',
        environment: 'production',
        executionCurrency: 'USD',
        name: 'Our FreeWheel',
        publisherDomain: 'sportsnews.example',
        products: [{ ...sportsProduct, keyValues: {} }],
      },
      'auto',
    );
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      await syncSandboxAccount(agent);
      const seeded = await agent.call('comply_test_controller', {
        account: storyboardSandbox,
        scenario: 'seed_product',
        params: { product_id: 'fw_video_fixture', fixture: { channels: ['olv'] } },
      });
      expect(seeded.ext?.interchange, JSON.stringify(seeded)).toMatchObject({
        fixture_held_by: 'freewheel',
      });
      const listed = await agent.call('get_products', {
        buying_mode: 'wholesale',
        account: storyboardSandbox,
      });
      const product = ((listed.products ?? []) as Json[]).find(
        (p) => p.product_id === 'fw_video_fixture',
      );
      expect(product, JSON.stringify(listed)).toBeDefined();
      expect(product.ext?.interchange?.source_id).toBe('freewheel');

      const ours = () =>
        [...fw.network.insertionOrders.values()].filter((o) =>
          String(o['name']).startsWith('Interchange sandbox '),
        );
      expect(ours()).toHaveLength(0);
      const bought = await agent.call('create_media_buy', buyOf(product, storyboardSandbox, 6_000));
      expect(bought.isError, JSON.stringify(bought)).toBe(false);
      expect(bought.media_buy_id, JSON.stringify(bought)).toBeTruthy();
      expect(ours(), JSON.stringify([...fw.network.insertionOrders.values()])).toHaveLength(1);
    } finally {
      await agent.close();
    }
  }, 180_000);
});
