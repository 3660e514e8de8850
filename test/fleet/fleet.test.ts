import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../../scripts/fleet/fleet.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { crashEnv, heldFor, packagesOf } from '../crash/crash-support.js';
import { agentClient } from '../agents/storefront-agent-support.js';
import { eventually } from '../support/eventually.js';
import {
  buysOf,
  call,
  campaignOn,
  customer,
  type Json,
  storefrontOver,
} from '../support/spawned-server.js';

/*
 * The production topology, proven: two instances on loopback behind the fleet's load balancer
 * (scripts/fleet: nginx when installed, else the Node stand-in; round robin, no sticky sessions)
 * on one PostgreSQL of their own. The seller (the demo AdCP seller in this process) is the judge
 * of what was booked.
 */

const limit = 100;
let fleet: Fleet;
let seller: RunningSeller;
const hooks: Array<{ tool: string; match: (args: Json) => boolean; action: () => void }> = [];

beforeAll(async () => {
  seller = await startSeller('mcp', {
    answerDelayMs: { create_media_buy: 800 },
    onToolCall: (tool, args) => {
      const hook = hooks.find((h) => h.tool === tool && h.match(args));
      if (!hook) return;
      hooks.splice(hooks.indexOf(hook), 1);
      hook.action();
    },
  });
  fleet = await startFleet({
    instances: 2,
    // nginx when installed (CI installs it); FLEET_BALANCER=node runs the Node stand-in.
    balancer: process.env['FLEET_BALANCER'] === 'node' ? 'node' : 'auto',
    env: {
      ...crashEnv,
      INTERCHANGE_RATE_LIMIT: String(limit),
      INTERCHANGE_PUBLIC_RATE_LIMIT: '1000000',
      INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
      INTERCHANGE_IDEMPOTENCY_CLAIM_SECONDS: '3',
      // A fresh instance's first storefront agent call is slow on a loaded machine.
      INTERCHANGE_DISCOVERY_AGENT_BUDGET_MS: '90000',
      INTERCHANGE_DISCOVERY_TOTAL_BUDGET_MS: '120000',
    },
  });
}, 300_000);

afterAll(async () => {
  await fleet?.close();
  await seller?.close();
});

/** A GET through the balancer, with the instance that served it. */
async function viaBalancer(path: string, key: string) {
  const res = await fetch(`${fleet.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const body = (await res.json()) as Json;
  return { status: res.status, upstream: res.headers.get('x-upstream'), body };
}

describe('a fleet of two behind a load balancer', { timeout: 240_000 }, () => {
  it('spreads consecutive requests over both instances and counts one budget per key', async () => {
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    const answers: Array<Awaited<ReturnType<typeof viaBalancer>>> = [];
    for (let i = 0; i < limit + 20; i++) {
      answers.push(await viaBalancer('/api/v2/accounts/current', buyer.key));
    }
    // Round robin: consecutive requests on different instances, both serving.
    expect(new Set(answers.map((a) => a.upstream)).size).toBe(2);
    expect(answers.every((a, i) => i === 0 || a.upstream !== answers[i - 1]!.upstream)).toBe(true);
    // One budget for the fleet: the key's terms acceptance counted once, so limit - 1 pass.
    const passed = answers.filter((a) => a.status === 200).length;
    expect(passed).toBe(limit - 1);
    expect(answers.slice(passed).every((a) => a.status === 429)).toBe(true);
    expect(answers.at(-1)!.body.error.code).toBe('RATE_LIMITED');
  });

  it('answers 503 with Retry-After while PostgreSQL is down, and recovers by itself', async () => {
    const buyer = await customer(fleet.url, fleet.adminKey, 'BUYER');
    // Load on both instances throughout: every answer is a 200 or a clean 503, never a 500.
    const statuses: number[] = [];
    let loading = true;
    const load = (async () => {
      while (loading) {
        const answers = await Promise.all(
          fleet.instances.map((i) =>
            fetch(`${i.url}/api/v2/accounts/current`, {
              headers: { authorization: `Bearer ${buyer.key}` },
            }).then((r) => r.status),
          ),
        );
        statuses.push(...answers);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await fleet.database.stop();
    for (const instance of fleet.instances) {
      const res = await fetch(`${instance.url}/api/v2/accounts/current`, {
        headers: { authorization: `Bearer ${buyer.key}` },
      });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as Json;
      expect(body.error).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        details: { retryAfter: Number(res.headers.get('retry-after')) },
      });
      expect(body.meta.requestId).toBe(res.headers.get('x-request-id'));
      expect((await fetch(`${instance.url}/ready`)).status).toBe(503);
    }
    await fleet.database.start();
    // No restart of ours: both instances answer again on their own.
    for (const instance of fleet.instances) {
      await eventually(
        () => fetch(`${instance.url}/ready`).then((r) => r.status),
        (status) => status === 200,
        30_000,
      );
      await eventually(
        () =>
          fetch(`${instance.url}/api/v2/accounts/current`, {
            headers: { authorization: `Bearer ${buyer.key}` },
          }).then((r) => r.status),
        (status) => status === 200,
        30_000,
      );
    }
    loading = false;
    await load;
    expect(statuses).toContain(503);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  });

  it('books a buy exactly once when the instance executing it is killed -9 mid-call', async () => {
    // Seller, storefront and buyer set up through the balancer, request after request on
    // alternating instances.
    const storefront = await storefrontOver(fleet.url, fleet.adminKey, seller.url);
    const c = await campaignOn(fleet.url, fleet.adminKey, storefront, 'Fleet');
    // The execute goes to instance 0, which dies while the seller holds its create_media_buy.
    hooks.push({
      tool: 'create_media_buy',
      match: (args) => args.brand?.domain === c.brand,
      action: () => void fleet.kill(0),
    });
    const executed = await call(
      fleet.instances[0]!.url,
      'POST',
      `/api/v2/buyer/campaigns/${c.campaignId}/execute`,
      { key: c.key, body: {} },
    ).catch((error: unknown) => error);
    expect(executed).toBeInstanceOf(Error);
    await fleet.instances[0]!.server.exited;

    // The surviving instance alone, through the balancer: the buy recovered, booked once. Polled
    // every 2 s: the buyer's key has `limit` calls a minute, and its agent calls come after.
    const [buy] = await eventually(
      () => buysOf(fleet.url, c.key, c.campaignId),
      (buys) => buys.length === 1 && !buys[0].outcomePending && buys[0].status !== 'DRAFT',
      90_000,
      2_000,
    );
    const held = await heldFor(seller, c.brand);
    expect(held).toHaveLength(1);
    expect(held[0].status).toBe('pending_creatives');
    expect(buy).toMatchObject({ status: 'ACTIVE', pendingReason: 'no_creatives_attached' });
    const again = await call(fleet.url, 'POST', `/api/v2/buyer/campaigns/${c.campaignId}/execute`, {
      key: c.key,
      body: {},
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.data).toMatchObject({ mediaBuysExecuted: 0, errors: [] });

    // The dead instance back: the buyer's agent, on either instance, sees the seller's packages.
    await fleet.restart(0);
    const agent = await agentClient(fleet.url, storefront.platformId, c.key);
    try {
      for (let i = 0; i < 2; i++) {
        const answer = await agent.call('get_media_buys', {
          media_buy_ids: [buy.sellerMediaBuyId],
        });
        const packages = ((answer.media_buys?.[0]?.packages ?? []) as Json[]).map((p) =>
          String(p.package_id).replace(/^seller__/, ''),
        );
        expect(packages).toEqual(packagesOf(held[0]));
      }
    } finally {
      await agent.close();
    }
    expect(await heldFor(seller, c.brand)).toHaveLength(1);
  });
});
