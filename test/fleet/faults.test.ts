import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../../scripts/fleet/fleet.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { crashEnv, heldFor } from '../crash/crash-support.js';
import { eventually } from '../support/eventually.js';
import {
  buysOf,
  call,
  campaignOn,
  customer,
  type Json,
  storefrontOver,
} from '../support/spawned-server.js';
import { approveAll, queryFleetDatabase, storefrontOfSources } from './fleet-support.js';
import { type Misbehaviour, startMisbehavingSource } from '../fakes/misbehaving-source.js';
import { agentClient } from '../agents/storefront-agent-support.js';

/*
 * Faults on a fleet of two behind the load balancer (scripts/fleet), one PostgreSQL: an
 * instance stopped by SIGTERM while it serves a request and while it runs a status-sync look,
 * and one killed -9 in the middle of a look. The seller (the demo AdCP seller in this process)
 * is the judge of what was booked; what the buyer sees must converge on it.
 */

let fleet: Fleet;
let seller: RunningSeller;
const hooks: Array<{ tool: string; match: (args: Json) => boolean; action: () => void }> = [];
const onSellerCall = (tool: string, match: (args: Json) => boolean, action: () => void) =>
  void hooks.push({ tool, match, action });

beforeAll(async () => {
  seller = await startSeller('mcp', {
    // Slow answers keep a request, or a look, in flight while the test signals its instance.
    answerDelayMs: { create_media_buy: 800, get_media_buys: 1500 },
    onToolCall: (tool, args) => {
      const hook = hooks.find((h) => h.tool === tool && h.match(args));
      if (!hook) return;
      hooks.splice(hooks.indexOf(hook), 1);
      hook.action();
    },
  });
  fleet = await startFleet({
    instances: 2,
    balancer: process.env['FLEET_BALANCER'] === 'node' ? 'node' : 'auto',
    env: {
      ...crashEnv,
      INTERCHANGE_RATE_LIMIT: '1000000',
      INTERCHANGE_PUBLIC_RATE_LIMIT: '1000000',
      INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
      INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: '2',
      // A killed instance's look is retried once its lease lapses: 10 s instead of a minute, so
      // the kill -9 test waits 10 s + maintenance + the first retry delay, not 60 s + the rest.
      INTERCHANGE_JOBS_LEASE_SECONDS: '10',
      // Status sync looks every second or two, so a look is under way when the test acts.
      INTERCHANGE_STATUS_SYNC_MIN_SECONDS: '1',
      INTERCHANGE_STATUS_SYNC_MAX_SECONDS: '2',
      // Room for a loaded machine: a call cut by its budget would look like a call cut by the fault.
      INTERCHANGE_EXECUTE_AGENT_BUDGET_MS: '30000',
      INTERCHANGE_TRANSACT_BUDGET_MS: '20000',
      INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '90000',
      INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '120000',
    },
  });
}, 300_000);

afterAll(async () => {
  await fleet?.close();
  await seller?.close();
});

/** Buyers with one campaign each on the storefront, executed through the balancer. */
async function executedCampaigns(storefront: { id: number; platformId: string }, count: number) {
  const campaigns = [];
  for (let i = 0; i < count; i++) {
    const c = await campaignOn(fleet.url, fleet.adminKey, storefront, `Fault ${i}`);
    const executed = await call(
      fleet.url,
      'POST',
      `/api/v2/buyer/campaigns/${c.campaignId}/execute`,
      { key: c.key, body: {} },
    );
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data).toMatchObject({ mediaBuysExecuted: 1, errors: [] });
    campaigns.push(c);
  }
  return campaigns;
}

/** Each campaign's one buy as its buyer sees it (REST, through the balancer). */
const buysNow = async (campaigns: Array<{ key: string; campaignId: string }>) =>
  (await Promise.all(campaigns.map((c) => buysOf(fleet.url, c.key, c.campaignId)))).flat();

/**
 * The buyer's buys have converged on the seller's records: each campaign holds one buy, the
 * seller holds exactly one under its brand, and the buyer's status is the seller's.
 */
async function expectConverged(
  campaigns: Array<{ key: string; campaignId: string; brand: string }>,
) {
  const buys = await eventually(
    () => buysNow(campaigns),
    (all) => all.length === campaigns.length && all.every((b) => b.status === 'ACTIVE'),
    120_000,
  );
  for (const [i, c] of campaigns.entries()) {
    const held = await heldFor(seller, c.brand);
    expect(held).toHaveLength(1);
    expect(held[0].status).toBe('pending_creatives');
    expect(buys[i]).toMatchObject({ status: 'ACTIVE', adcpStatus: 'pending_creatives' });
  }
}

/** Both instances running (a test that failed half-way leaves the next one a whole fleet). */
async function bothUp() {
  for (const instance of fleet.instances) {
    const { child } = instance.server;
    if (child.exitCode !== null || child.signalCode !== null) await fleet.restart(instance.index);
  }
}

describe('faults on a fleet of two', { timeout: 300_000 }, () => {
  beforeEach(bothUp, 240_000);

  it('SIGTERM: a request in flight finishes, the balancer sends the rest elsewhere', async () => {
    const storefront = await storefrontOver(fleet.url, fleet.adminKey, seller.url);
    const c = await campaignOn(fleet.url, fleet.adminKey, storefront, 'Drain');
    // Load through the balancer throughout: no request is lost while instance 0 drains.
    const statuses: number[] = [];
    let loading = true;
    const load = (async () => {
      while (loading) {
        const res = await fetch(`${fleet.url}/api/v2/buyer/campaigns/${c.campaignId}`, {
          headers: { authorization: `Bearer ${c.key}` },
        }).catch(() => undefined);
        statuses.push(res?.status ?? 0);
        await res?.arrayBuffer();
      }
    })();
    const stopped = new Promise<void>((resolve) =>
      onSellerCall(
        'create_media_buy',
        (args) => args.brand?.domain === c.brand,
        () => void fleet.kill(0, 'SIGTERM').then(() => resolve()),
      ),
    );
    // The execute is sent to instance 0 itself; it is told to stop while the seller holds the buy.
    const executed = await call(
      fleet.instances[0]!.url,
      'POST',
      `/api/v2/buyer/campaigns/${c.campaignId}/execute`,
      { key: c.key, body: {} },
    );
    await stopped;
    expect(executed.status, executed.text).toBe(200);
    expect(executed.body.data).toMatchObject({ mediaBuysExecuted: 1, errors: [] });
    expect(await fleet.instances[0]!.server.exited).toEqual({ code: 0, signal: null });
    loading = false;
    await load;
    // Every request through the balancer was answered, by one instance or the other.
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(await heldFor(seller, c.brand)).toHaveLength(1);
    const [buy] = await buysOf(fleet.url, c.key, c.campaignId);
    expect(buy).toMatchObject({ status: 'ACTIVE', pendingReason: 'no_creatives_attached' });
    await fleet.restart(0);
  });

  it('SIGTERM during a status-sync look: the look finishes before the instance exits', async () => {
    const storefront = await storefrontOver(fleet.url, fleet.adminKey, seller.url, {
      mediaBuyApproval: 'manual',
    });
    // One buyer: a look follows one buyer's buys at one seller, so the look under way when the
    // instance is told to stop is this buyer's (another buyer's look may not have begun).
    const campaigns = await executedCampaigns(storefront, 1);
    // Instance 0 alone follows the buys from here (1 stops cleanly: its own looks finish).
    expect(await fleet.kill(1, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await approveAll(fleet.url, storefront.sellerKey)).toBe(1);
    // The next look asks the seller; instance 0 is told to stop while the seller holds the call.
    const signalled = new Promise<void>((resolve) =>
      onSellerCall(
        'get_media_buys',
        () => true,
        () => {
          void fleet.kill(0, 'SIGTERM');
          resolve();
        },
      ),
    );
    await signalled;
    expect(await fleet.instances[0]!.server.exited).toEqual({ code: 0, signal: null });
    // No instance runs now: the look that was under way wrote what the seller answered.
    const rows = await queryFleetDatabase(
      fleet,
      'select status, adcp_status from campaign_media_buys where campaign_id = any($1)',
      [campaigns.map((c) => c.campaignId)],
    );
    expect(rows).toEqual(
      campaigns.map(() => ({ status: 'ACTIVE', adcp_status: 'pending_creatives' })),
    );
    // And no look was left running in the queue, to be found only when its timeout runs out.
    const active = await queryFleetDatabase(
      fleet,
      "select id from pgboss.job where name like 'buyer.media-buy-sync%' and state = 'active'",
    );
    expect(active).toEqual([]);
    await Promise.all([fleet.restart(0), fleet.restart(1)]);
    await expectConverged(campaigns);
  });

  it('kill -9 during a status-sync look: the other instance takes the look over, no restart', async () => {
    const storefront = await storefrontOver(fleet.url, fleet.adminKey, seller.url, {
      mediaBuyApproval: 'manual',
    });
    const campaigns = await executedCampaigns(storefront, 3);
    // Instance 1 is frozen (SIGSTOP), so instance 0 takes the looks; it is killed in one.
    const frozen = fleet.instances[1]!.server.child;
    frozen.kill('SIGSTOP');
    let cutShort: string[] = [];
    let callsAtDeath = 0;
    try {
      expect(await approveAll(fleet.instances[0]!.url, storefront.sellerKey)).toBe(3);
      const killed = new Promise<void>((resolve) =>
        onSellerCall(
          'get_media_buys',
          (args) => {
            cutShort = (args.media_buy_ids ?? []) as string[];
            return true;
          },
          () => {
            void fleet.kill(0, 'SIGKILL');
            resolve();
          },
        ),
      );
      await killed;
      await fleet.instances[0]!.server.exited;
      callsAtDeath = seller.toolCalls().length;
      expect(cutShort.length).toBeGreaterThan(0);
    } finally {
      frozen.kill('SIGCONT');
    }
    // Instance 1 carries on where it was (no restart: nothing of its start runs again) and takes
    // over the buys of the look that died, once that look's lease runs out.
    await eventually(
      async () => seller.toolCalls().slice(callsAtDeath),
      (calls) =>
        calls.some(
          (c) =>
            c.tool === 'get_media_buys' &&
            ((c.args['media_buy_ids'] ?? []) as string[]).some((id) => cutShort.includes(id)),
        ),
      150_000,
    );
    await expectConverged(campaigns);
    expect(frozen.exitCode).toBeNull();
  });

  it('a source that hangs, answers 500, garbage or 10 MB degrades only its own part', async () => {
    const bad = await startMisbehavingSource(seller.url);
    try {
      const storefront = await storefrontOfSources(fleet.url, fleet.adminKey, [
        { sourceId: 'good', url: seller.url },
        { sourceId: 'bad', url: bad.url },
      ]);
      const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
      const agent = await agentClient(fleet.url, storefront.platformId, buyer.key);
      const sourcesOf = (ids: string[]) => [...new Set(ids.map((id) => id.split('__')[0]))].sort();
      try {
        const modes: Misbehaviour[] = ['hang', 'http-500', 'garbage', 'huge'];
        for (const mode of modes) {
          bad.set(mode);
          // A brand of its own each round, so no answer is reused from an earlier round.
          const brand = `${mode}.degraded.example`;
          const asked = bad.productCalls();
          const answer = await agent.call('get_products', {
            buying_mode: 'wholesale',
            brand: { domain: brand },
          });
          expect(answer.isError, mode).toBe(false);
          const ids = (answer.products as Json[]).map((p) => String(p.product_id));
          const expected = ['good'];
          expect(sourcesOf(ids), mode).toEqual(expected);
          const failing = ((answer.errors ?? []) as Json[]).map((e) => e.details?.source_id);
          expect(failing, mode).toEqual(['bad']);
          expect(bad.productCalls(), mode).toBeGreaterThan(asked);

          // The buyer's discovery (REST) over the same storefront: the good part, a 200.
          const advertiser = await call(fleet.url, 'POST', '/api/v2/buyer/advertisers', {
            key: buyer.key,
            body: { name: `Degraded ${mode}`, brand: `d-${brand}`, primaryCurrency: 'USD' },
          });
          expect(advertiser.status, advertiser.text).toBe(201);
          const found = await call(fleet.url, 'POST', '/api/v2/buyer/discovery/discover-products', {
            key: buyer.key,
            body: {
              advertiserId: Number(advertiser.body.data.id),
              brief: 'Outdoor display for a spring launch',
              storefrontIds: [storefront.id],
            },
          });
          expect(found.status, `${mode}: ${found.text.slice(0, 500)}`).toBe(200);
          const group = (found.body.data.productGroups as Json[]).find(
            (g) => g.groupId === `storefront-${storefront.platformId}`,
          );
          const groupIds = ((group?.products ?? []) as Json[]).map((p) => String(p.productId));
          expect(sourcesOf(groupIds), mode).toEqual(expected);
        }
      } finally {
        await agent.close();
      }
    } finally {
      await bad.close();
    }
  });
});
