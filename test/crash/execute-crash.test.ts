import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buysOf, call, campaignOn, type Json } from '../support/spawned-server.js';
import {
  type CrashBed,
  crashBed,
  heldFor,
  packagesOf,
  sellerPackagesSeenBy,
  settledBuy,
} from './crash-support.js';

let bed: CrashBed;

beforeAll(async () => {
  bed = await crashBed({ INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS: '3' });
}, 180_000);
afterAll(async () => {
  await bed?.close();
});

const execute = (base: string, c: { key: string; campaignId: string }) =>
  call(base, 'POST', `/api/v2/buyer/campaigns/${c.campaignId}/execute`, { key: c.key, body: {} });

/**
 * The seller holds exactly one buy for the campaign, and its buyer sees it with its true status:
 * the demo seller's pending_creatives (no creative yet) is ACTIVE waiting for creatives, and the
 * storefront's own agent shows the buyer the seller's packages.
 */
async function oneBuyVisible(c: { key: string; campaignId: string; brand: string }) {
  const buy = await settledBuy(bed, c);
  const held = await heldFor(bed.seller, c.brand);
  expect(held).toHaveLength(1);
  expect(held[0].status).toBe('pending_creatives');
  expect(buy).toMatchObject({ status: 'ACTIVE', pendingReason: 'no_creatives_attached' });
  const seen = await sellerPackagesSeenBy(bed, c.key, [buy.sellerMediaBuyId]);
  expect(seen.get(buy.sellerMediaBuyId)).toEqual(packagesOf(held[0]));
}

// Each test kills the server once and starts it again (seconds each): three kills in all.
describe('a campaign execute killed with SIGKILL', { timeout: 240_000 }, () => {
  it('before the seller is called: the execute at once after the restart places it, once', async () => {
    const c = await campaignOn(bed.server.url, bed.deployment.adminKey, bed.storefront, 'Before');
    bed.deployment.crashAt('storefront.create_media_buy:before-call');
    await bed.crashDuring((base) => execute(base, c));
    // Nothing reached the seller before the server died (recovery may place it at once after).
    expect(
      bed.callsAtDeath.filter(
        (x) => x.tool === 'create_media_buy' && (x.args['brand'] as Json)?.domain === c.brand,
      ),
    ).toEqual([]);
    // Never FAILED: being established (or placed already by recovery).
    const [meanwhile] = await buysOf(bed.server.url, c.key, c.campaignId);
    expect(meanwhile.status).not.toBe('FAILED');
    const again = await execute(bed.server.url, c);
    expect(again.status, again.text).toBe(200);
    expect(again.body.data.errors).toEqual([]);
    await oneBuyVisible(c);
  });

  it('while the seller holds the call: recovery alone shows the buyer the buy the seller booked', async () => {
    const c = await campaignOn(bed.server.url, bed.deployment.adminKey, bed.storefront, 'Flight');
    bed.onSellerCall(
      'create_media_buy',
      (args) => args.brand?.domain === c.brand,
      () => bed.kill(),
    );
    await bed.crashDuring((base) => execute(base, c));
    await oneBuyVisible(c);
  });

  it('after the seller answered, before Interchange recorded it: recovery alone records it', async () => {
    const c = await campaignOn(bed.server.url, bed.deployment.adminKey, bed.storefront, 'After');
    bed.deployment.crashAt('storefront.create_media_buy:after-answer');
    await bed.crashDuring((base) => execute(base, c));
    expect(await heldFor(bed.seller, c.brand)).toHaveLength(1);
    await oneBuyVisible(c);
    // Executing again books nothing more.
    const again = await execute(bed.server.url, c);
    expect(again.body.data).toMatchObject({ mediaBuysExecuted: 0, errors: [] });
    expect(await heldFor(bed.seller, c.brand)).toHaveLength(1);
  });
});
