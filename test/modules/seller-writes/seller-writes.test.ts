import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSellerWrites, type WriteIntent } from '../../../src/modules/seller-writes/index.js';
import { sellerWriteIntents } from '../../../src/modules/seller-writes/tables.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { buyerWithAdvertiser, executedCampaign, type Json } from '../buying/buying-support.js';

let h: Harness;
let seller: RunningSeller;

const budgetMs = 1500;
beforeAll(async () => {
  h = await createHarness({ INTERCHANGE_EXECUTE_AGENT_BUDGET_MS: String(budgetMs) });
  // The seller books at once and answers long after the execute's budget, within the storefront's.
  seller = await startSeller('mcp', { answerDelayMs: { create_media_buy: 3 * budgetMs } });
});
afterAll(async () => {
  await seller?.close();
  await h.close();
});

const spec = (key: string) => ({
  kind: 'test.write',
  subjectId: `subject-${key}`,
  customerId: 1,
  target: 'agent-x',
  tool: 'create_media_buy',
  idempotencyKey: key,
  request: { idempotency_key: key, po_number: 'po-1' },
});

describe('seller write intents', () => {
  it('are held by one caller, established by recovery once its lease lapses, and reopened when settled', async () => {
    const established: WriteIntent[] = [];
    // The service's clock, moved by the test: a lease of 300 ms is not left to the machine's
    // speed (under load, 300 ms of wall time passed between the two begins and the second took
    // the write over).
    let clock = Date.now();
    const writes = createSellerWrites({
      db: h.database.db,
      recoverySeconds: 0.5,
      now: () => new Date(clock),
    });
    let answer: { settled: 'found' } | { unknown: string } = { unknown: 'seller busy' };
    writes.register({
      kind: 'test.write',
      leaseMs: 5_000,
      establish: async (intent) => {
        established.push(intent);
        return answer;
      },
    });
    const key = `k-${Date.now()}`;
    const first = await writes.begin(spec(key), 300);
    expect(first.held).toBe(true);
    // While it is held, nobody else sends under the key, and recovery leaves it alone.
    const second = await writes.begin(spec(key), 300);
    expect(second).toMatchObject({ held: false, intent: { id: first.intent.id } });
    expect(await writes.resume(second.intent)).toBeUndefined();
    // Its holder died: once the lease lapsed, recovery establishes it.
    clock += 400;
    expect(await writes.nextDueAt()).not.toBeNull();
    await writes.recoverDue();
    expect(established.map((i) => i.id)).toEqual([first.intent.id]);
    // Still unknown: looked at again later (not at once), and then settled.
    const [open] = await writes.openOf([`subject-${key}`]);
    expect(open).toMatchObject({ state: 'open', lastError: 'seller busy' });
    expect((await writes.nextDueAt())!.getTime()).toBeGreaterThan(clock);
    answer = { settled: 'found' };
    clock += 1100;
    await writes.recoverDue();
    expect(await writes.openOf([`subject-${key}`])).toEqual([]);
    // A write of the same key after it settled (a refused buy executed again) is held anew.
    const again = await writes.begin({ ...spec(key), request: { changed: true } }, 300);
    expect(again).toMatchObject({ held: true, intent: { id: first.intent.id, attempts: 1 } });
  });

  it('are pruned once settled past the retention; open ones never are, however old', async () => {
    const day = 86_400_000;
    let clock = Date.now() - 40 * day;
    const writes = createSellerWrites({
      db: h.database.db,
      recoverySeconds: 0.5,
      now: () => new Date(clock),
    });
    const run = `sweep-${Date.now()}`;
    const begun = async (name: string) =>
      (await writes.begin(spec(`${run}-${name}`), 60_000)).intent;
    const stillOpen = await begun('open'); // 40 days old, never settled
    clock += 9 * day;
    const old = await begun('old');
    await writes.settle(old, 'answered'); // settled 31 days ago
    clock += 30 * day;
    const recent = await begun('recent');
    await writes.settle(recent, 'answered'); // settled a day ago
    clock += day;
    const ids = [stillOpen.id, old.id, recent.id];
    const left = async () =>
      (
        await h.database.db
          .select({ id: sellerWriteIntents.id })
          .from(sellerWriteIntents)
          .where(inArray(sellerWriteIntents.id, ids))
      ).map((r) => r.id);
    expect((await left()).sort()).toEqual([...ids].sort());

    // What the retention job (src/jobs/retention.ts) asks, with 30 days' retention.
    expect(await writes.pruneSettled(new Date(clock - 30 * day), 1000)).toBeGreaterThanOrEqual(1);
    expect((await left()).sort()).toEqual([stillOpen.id, recent.id].sort());
    // A write of the swept key is recorded anew, as reopening a settled one would be.
    expect(await writes.begin(spec(`${run}-old`), 60_000)).toMatchObject({ held: true });
  });

  it('an execute whose agent answers after its budget leaves the buy being established, not FAILED, and recovery finds it placed once', async () => {
    const sf = await storefrontWith(h, [{ sourceId: 'seller', url: seller.url }]);
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const { campaignId, executed } = await executedCampaign(h, buyer.key, advertiserId, [sf]);
    expect(executed).toMatchObject({ success: true, errors: [], mediaBuysExecuted: 0 });
    expect(executed.warnings).toEqual([
      expect.objectContaining({ type: 'outcome_being_established' }),
    ]);
    const buysOf = async () =>
      (await h.call('GET', `/api/v2/buyer/campaigns/${campaignId}`, { key: buyer.key })).body.data
        .campaign.mediaBuys as Json[];
    const [pending] = await buysOf();
    expect(pending).toMatchObject({
      status: 'PENDING_APPROVAL',
      pendingAt: 'unknown',
      pendingReason: 'forward_failed_retrying',
      outcomePending: { operation: 'create' },
    });
    // Recovery (the job's work, run here by hand) looks the buy up at the storefront by its
    // po_number once the storefront recorded its seller's answer.
    const [placed] = await eventually(
      async () => {
        await h.services.sellerWrites.recoverDue();
        return buysOf();
      },
      (buys) => buys[0]?.status === 'ACTIVE',
      30_000,
    );
    expect(placed.outcomePending).toBeUndefined();
    expect(placed.sellerMediaBuyId).toMatch(/^mb_/);
    expect(seller.toolCalls().filter((c) => c.tool === 'create_media_buy')).toHaveLength(1);
  });
});
