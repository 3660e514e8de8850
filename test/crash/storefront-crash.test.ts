import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClient } from '../agents/storefront-agent-support.js';
import { eventually } from '../support/eventually.js';
import { sellerBuys } from '../support/seller-records.js';
import {
  call,
  campaignOn,
  customer,
  type Json,
  storefrontOver,
} from '../support/spawned-server.js';
import {
  type CrashBed,
  crashBed,
  heldFor,
  packagesOf,
  sellerPackagesSeenBy,
  settledBuy,
} from './crash-support.js';

let bed: CrashBed;

// A claim outlives a restart here, so the buyer's retry at once meets the dead request's claim.
beforeAll(async () => {
  bed = await crashBed({ INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS: '15' });
}, 180_000);
afterAll(async () => {
  await bed?.close();
});

const adcpCode = (answer: Json) => answer.adcp_error?.code ?? answer.errors?.[0]?.code;

describe('a storefront agent killed with SIGKILL', { timeout: 240_000 }, () => {
  it('while a buyer’s create_media_buy is at the seller: the same key gets that buy, a fresh key a second', async () => {
    const buyer = await customer(bed.server.url, bed.deployment.adminKey, 'BUYER');
    const brand = `brand-${randomUUID().slice(0, 8)}.example`;
    const first = await agentClient(bed.server.url, bed.storefront.platformId, buyer.key);
    const { products } = await first.call('get_products', { buying_mode: 'wholesale' });
    await first.close();
    const request = {
      idempotency_key: randomUUID(),
      account: { brand: { domain: brand }, operator: buyer.domain },
      brand: { domain: brand },
      start_time: 'asap',
      end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      packages: [
        {
          product_id: products[0].product_id,
          pricing_option_id: products[0].pricing_options[0].pricing_option_id,
          budget: 20_000,
        },
      ],
    };
    bed.onSellerCall(
      'create_media_buy',
      (args) => args.brand?.domain === brand,
      () => bed.kill(),
    );
    await bed.crashDuring(async (base) => {
      const client = await agentClient(base, bed.storefront.platformId, buyer.key);
      await client.call('create_media_buy', request);
    });
    const client = await agentClient(bed.server.url, bed.storefront.platformId, buyer.key);
    try {
      // At once: still in flight (the dead request's claim), or already established; never
      // IDEMPOTENCY_EXPIRED, never a second buy.
      const atOnce = await client.call('create_media_buy', request);
      if (atOnce.isError) {
        expect(adcpCode(atOnce)).toBe('SERVICE_UNAVAILABLE');
        expect(atOnce.adcp_error?.recovery ?? 'transient').toBe('transient');
      }
      // Once the claim lapsed: the buy the seller booked, replayed from then on.
      const answered = await eventually(
        () => client.call('create_media_buy', request),
        (answer) => !answer.isError || !['SERVICE_UNAVAILABLE'].includes(adcpCode(answer)),
        60_000,
      );
      expect(answered.isError, JSON.stringify(answered)).toBe(false);
      const again = await client.call('create_media_buy', request);
      expect(again.media_buy_id).toBe(answered.media_buy_id);
      const held = await heldFor(bed.seller, brand);
      expect(held).toHaveLength(1);

      // A fresh key is a second intent: a second buy, and the buyer sees both.
      const fresh = await client.call('create_media_buy', {
        ...request,
        idempotency_key: randomUUID(),
      });
      expect(fresh.isError, JSON.stringify(fresh)).toBe(false);
      expect(fresh.media_buy_id).not.toBe(answered.media_buy_id);
      const both = await heldFor(bed.seller, brand);
      expect(both).toHaveLength(2);
      const seen = await sellerPackagesSeenBy(bed, buyer.key, [
        answered.media_buy_id,
        fresh.media_buy_id,
      ]);
      expect([...seen.values()].map((p) => p.join()).sort()).toEqual(
        both.map((b) => packagesOf(b).join()).sort(),
      );
    } finally {
      await client.close();
    }
  });

  it('after the seller took a budget change, and while it takes a cancellation: each applied once, and shown', async () => {
    const c = await campaignOn(bed.server.url, bed.deployment.adminKey, bed.storefront, 'Change');
    const executed = await call(
      bed.server.url,
      'POST',
      `/api/v2/buyer/campaigns/${c.campaignId}/execute`,
      {
        key: c.key,
        body: {},
      },
    );
    expect(executed.body.data.errors, executed.text).toEqual([]);
    const placed = await settledBuy(bed, c);
    const [held] = await heldFor(bed.seller, c.brand);
    const account = bed.seller
      .toolCalls()
      .find((x) => x.tool === 'create_media_buy' && (x.args['brand'] as Json)?.domain === c.brand)!
      .args['account'];
    const atSeller = async () => (await sellerBuys(bed.seller.url, account))[0];

    // The seller applied the new budget; the storefront died before recording its answer.
    bed.deployment.crashAt('storefront.update_media_buy:after-answer');
    await bed.crashDuring((base) =>
      call(base, 'PATCH', `/api/v2/buyer/media-buys/${placed.mediaBuyId}`, {
        key: c.key,
        body: { packages: [{ packageId: placed.packages[0].packageId, budget: 17_000 }] },
      }),
    );
    const changed = await eventually(
      () =>
        call(bed.server.url, 'GET', `/api/v2/buyer/media-buys/${placed.mediaBuyId}`, {
          key: c.key,
        }),
      (r) => r.body?.data?.mediaBuy && !r.body.data.mediaBuy.outcomePending,
      90_000,
    );
    expect(changed.body.data.mediaBuy).toMatchObject({ budget: 17_000, status: 'ACTIVE' });
    expect(changed.body.data.mediaBuy.pendingChange).toBeUndefined();
    const afterUpdate = await atSeller();
    expect(afterUpdate.packages[0].budget).toBe(17_000);
    // Applied once: the seller counts a revision per change it applies (a replay adds none).
    expect(afterUpdate.revision).toBe(held.revision + 1);

    // The seller is taking the cancellation when the server dies.
    bed.onSellerCall(
      'update_media_buy',
      (args) => args.canceled === true,
      () => bed.kill(),
    );
    await bed.crashDuring((base) =>
      call(base, 'PUT', `/api/v2/buyer/campaigns/${c.campaignId}`, {
        key: c.key,
        body: { mediaBuys: [{ action: 'cancel', mediaBuyId: placed.mediaBuyId }] },
      }),
    );
    const canceled = await eventually(
      () =>
        call(bed.server.url, 'GET', `/api/v2/buyer/media-buys/${placed.mediaBuyId}`, {
          key: c.key,
        }),
      (r) => r.body?.data?.mediaBuy && !r.body.data.mediaBuy.outcomePending,
      90_000,
    );
    expect(canceled.body.data.mediaBuy.status).toBe('CANCELED');
    const afterCancel = await atSeller();
    expect(afterCancel.status).toBe('canceled');
    expect(afterCancel.revision).toBe(held.revision + 2);
  });

  it('after the operator’s approval was recorded, before any source was asked: recovery forwards it once and the buyer’s task completes', async () => {
    const sf = await storefrontOver(bed.server.url, bed.deployment.adminKey, bed.seller.url, {
      mediaBuyApproval: 'manual',
    });
    const buyer = await customer(bed.server.url, bed.deployment.adminKey, 'BUYER');
    const brand = `brand-${randomUUID().slice(0, 8)}.example`;
    const client = await agentClient(bed.server.url, sf.platformId, buyer.key);
    const { products } = await client.call('get_products', { buying_mode: 'wholesale' });
    const submitted = await client.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account: { brand: { domain: brand }, operator: buyer.domain },
      brand: { domain: brand },
      start_time: 'asap',
      end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      packages: [
        {
          product_id: products[0].product_id,
          pricing_option_id: products[0].pricing_options[0].pricing_option_id,
          budget: 12_000,
        },
      ],
    });
    await client.close();
    expect(submitted, JSON.stringify(submitted)).toMatchObject({ status: 'submitted' });
    const approvals = '/api/v2/storefront/media-buy-approvals';
    const [pending] = (await call(bed.server.url, 'GET', approvals, { key: sf.sellerKey })).body
      .data.items as Json[];
    bed.deployment.crashAt('storefront.approved_forward:after-answer');
    await bed.crashDuring((base) =>
      call(base, 'POST', `${approvals}/${pending.mediaBuyId}/decide`, {
        key: sf.sellerKey,
        body: { status: 'approved' },
      }),
    );
    expect(
      bed.callsAtDeath.filter(
        (x) => x.tool === 'create_media_buy' && (x.args['brand'] as Json)?.domain === brand,
      ),
    ).toEqual([]);
    // Nobody retries: recovery alone forwards it, and the operator sees it forwarded.
    const forwarded = await eventually(
      async () =>
        (
          await call(bed.server.url, 'GET', `${approvals}/${pending.mediaBuyId}`, {
            key: sf.sellerKey,
          })
        ).body.data as Json,
      (entry) => entry?.forwardOutcome === 'all_completed',
      90_000,
    );
    expect(forwarded.status).toBe('approved');
    const held = await heldFor(bed.seller, brand);
    expect(held).toHaveLength(1);
    expect(forwarded.forwardResult[0].upstreamMediaBuyId).toBe(held[0].media_buy_id);
    // The buyer's task, by its id alone, completed with the buy.
    const again = await agentClient(bed.server.url, sf.platformId, buyer.key);
    try {
      const task = await eventually(
        () => again.call('tasks_get', { task_id: submitted.task_id }),
        (t) => t.status === 'completed',
        30_000,
      );
      expect(JSON.stringify(task)).toContain(pending.mediaBuyId);
    } finally {
      await again.close();
    }
  });
  it('after the operator’s rejection was recorded, before the buyer’s task settled: recovery settles it as rejected, and nothing is booked', async () => {
    const sf = await storefrontOver(bed.server.url, bed.deployment.adminKey, bed.seller.url, {
      mediaBuyApproval: 'manual',
    });
    const buyer = await customer(bed.server.url, bed.deployment.adminKey, 'BUYER');
    const brand = `brand-${randomUUID().slice(0, 8)}.example`;
    const client = await agentClient(bed.server.url, sf.platformId, buyer.key);
    const { products } = await client.call('get_products', { buying_mode: 'wholesale' });
    const submitted = await client.call('create_media_buy', {
      idempotency_key: randomUUID(),
      account: { brand: { domain: brand }, operator: buyer.domain },
      brand: { domain: brand },
      start_time: 'asap',
      end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      packages: [
        {
          product_id: products[0].product_id,
          pricing_option_id: products[0].pricing_options[0].pricing_option_id,
          budget: 9_000,
        },
      ],
    });
    await client.close();
    expect(submitted, JSON.stringify(submitted)).toMatchObject({ status: 'submitted' });
    const approvals = '/api/v2/storefront/media-buy-approvals';
    const [pending] = (await call(bed.server.url, 'GET', approvals, { key: sf.sellerKey })).body
      .data.items as Json[];
    bed.deployment.crashAt('storefront.rejected_decision:after-answer');
    await bed.crashDuring((base) =>
      call(base, 'POST', `${approvals}/${pending.mediaBuyId}/decide`, {
        key: sf.sellerKey,
        body: { status: 'rejected', reviewerNotes: 'Not for this brand' },
      }),
    );
    // The decision committed before the kill: the operator sees it rejected.
    const entry = (
      await call(bed.server.url, 'GET', `${approvals}/${pending.mediaBuyId}`, {
        key: sf.sellerKey,
      })
    ).body.data as Json;
    expect(entry.status).toBe('rejected');
    // Nobody retries: recovery alone settles the buyer's task, by its id alone, as rejected.
    const again = await agentClient(bed.server.url, sf.platformId, buyer.key);
    try {
      const task = await eventually(
        () => again.call('tasks_get', { task_id: submitted.task_id }),
        (t) => t.status !== 'submitted' && t.status !== 'working',
        60_000,
        500,
      );
      expect(task.status, JSON.stringify(task)).toBe('failed');
      expect(JSON.stringify(task)).toContain('Not for this brand');
    } finally {
      await again.close();
    }
    expect(await heldFor(bed.seller, brand)).toEqual([]);
  });
});
