import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { adcp31Schemas } from '../../src/agents/adcp31/index.js';
import { buyOf, controllerBuyer, storefrontOverSeller } from './storefront-agent-support.js';
import { account, creative, newCreativeId } from './storefront-creatives-support.js';
import { specViolations, violations } from './adcp31-spec-schemas.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/*
 * AdCP 3.1's `suspended` creative status (enums/creative-status.json) in a storefront's library,
 * through the official MCP client: the test controller suspends an approved creative (a
 * recoverable dependency loss) and restores or rejects it, as creative_lifecycle_webhooks does.
 * A 3.1 call reads `suspended` and an impairment on the buy carrying it; a 3.0 call by the same
 * buyer reads its nearest 3.0 status, pending_review. @adcp/sdk checks every answer against
 * 3.0.6 here (NODE_ENV is not production), and the 3.1 answers are checked against 3.1.19.
 */
const at = storefrontOverSeller();
const v31 = { adcp_version: '3.1' };
// The delivery jobs of account-level webhooks run on the job queue.
beforeAll(() => at.h.services.jobs.start(), 60_000);

async function buyerWithBuy() {
  const { agent, control } = await controllerBuyer(at);
  const id = newCreativeId();
  const synced = await agent.call('sync_creatives', {
    ...v31,
    idempotency_key: randomUUID(),
    account,
    creatives: [creative(id)],
  });
  expect(synced.creatives?.[0], JSON.stringify(synced)).toMatchObject({ status: 'approved' });
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  const order = buyOf(products[0], account);
  order.packages[0] = {
    ...order.packages[0]!,
    creative_assignments: [{ creative_id: id }],
  } as (typeof order.packages)[number];
  const created = await agent.call('create_media_buy', order);
  expect(created.isError, JSON.stringify(created)).toBe(false);
  const force = (status: string, extra: Record<string, unknown> = {}) =>
    control('force_creative_status', { creative_id: id, status, ...extra });
  const listed = async (pin: boolean) => {
    const answer = await agent.call('list_creatives', {
      ...(pin && v31),
      filters: { creative_ids: [id] },
    });
    if (pin) expect(specViolations('list_creatives', answer)).toEqual([]);
    return answer.creatives[0];
  };
  const buy = async (pin: boolean) => {
    const answer = await agent.call('get_media_buys', {
      ...(pin && v31),
      media_buy_ids: [created.media_buy_id],
    });
    return answer.media_buys[0];
  };
  return { agent, id, force, listed, buy };
}

describe('a suspended creative', () => {
  it('reads suspended to 3.1 and pending_review to 3.0, impairs its buy, and recovers', async () => {
    const { agent, id, force, listed, buy } = await buyerWithBuy();
    try {
      expect((await buy(true)).impairments).toEqual([]);
      const suspended = await force('suspended', {
        reason_code: 'identity_authorization_expired',
        reason_detail: 'The post’s authorization expired',
      });
      expect(suspended).toMatchObject({
        success: true,
        previous_state: 'approved',
        current_state: 'suspended',
      });
      expect((await listed(true)).status).toBe('suspended');
      const old = await listed(false);
      expect(old.status).toBe('pending_review');
      expect(JSON.stringify(old)).not.toContain('suspended');
      const bySuspended = await agent.call('list_creatives', {
        ...v31,
        filters: { creative_ids: [id], statuses: ['suspended'] },
      });
      expect(bySuspended.creatives?.[0], JSON.stringify(bySuspended)).toMatchObject({
        creative_id: id,
        status: 'suspended',
      });
      const byApproved = await agent.call('list_creatives', {
        ...v31,
        filters: { creative_ids: [id], statuses: ['approved'] },
      });
      expect(byApproved.creatives).toEqual([]);
      // A 3.0 filter by the status it reads finds it.
      const pending = await agent.call('list_creatives', {
        filters: { creative_ids: [id], statuses: ['pending_review'] },
      });
      expect(pending.creatives.map((c: { creative_id: string }) => c.creative_id)).toEqual([id]);

      const impaired = await buy(true);
      expect(impaired.health).toBe('impaired');
      expect(impaired.impairments).toHaveLength(1);
      const [impairment] = impaired.impairments;
      expect(adcp31Schemas.impairment.parse(impairment)).toEqual(impairment);
      expect(impairment).toMatchObject({
        resource_type: 'creative',
        resource_id: id,
        package_ids: [impaired.packages[0].package_id],
        transition: { from: 'approved', to: 'suspended' },
        reason_code: 'identity_authorization_expired',
        reason: 'The post’s authorization expired',
      });
      // 3.1's creative-approval-status has no suspended: its nearest, beside the impairment.
      expect(impaired.packages[0].creative_approvals).toEqual([
        { creative_id: id, approval_status: 'pending_review' },
      ]);
      expect(await buy(false)).not.toHaveProperty('impairments');

      // A buyer's re-sync keeps it suspended, as a rejected one stays rejected.
      const resync = (pin: boolean) =>
        agent.call('sync_creatives', {
          ...(pin && v31),
          idempotency_key: randomUUID(),
          account,
          creatives: [creative(id)],
        });
      const again31 = await resync(true);
      expect(again31.creatives[0]).toMatchObject({ action: 'updated', status: 'suspended' });
      expect(specViolations('sync_creatives', again31)).toEqual([]);
      expect((await resync(false)).creatives[0]).toMatchObject({ status: 'pending_review' });

      // Only approved or rejected follow a suspension.
      const refused = await force('pending_review');
      expect(refused).toMatchObject({ success: false, error: 'INVALID_TRANSITION' });

      const restored = await force('approved', { reason_detail: 'Authorization renewed' });
      expect(restored).toMatchObject({ success: true, previous_state: 'suspended' });
      expect((await listed(true)).status).toBe('approved');
      expect(await buy(true)).toMatchObject({ health: 'ok', impairments: [] });
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('opens a new impairment when suspended again, and goes on to rejected', async () => {
    const { agent, force, listed, buy } = await buyerWithBuy();
    try {
      await force('suspended', { reason_code: 'source_private' });
      const first = (await buy(true)).impairments[0];
      expect(first).toMatchObject({ reason_code: 'source_private' });
      await force('approved');
      await force('suspended', { reason_code: 'seller_rereview' });
      const second = (await buy(true)).impairments[0];
      expect(second.impairment_id).not.toBe(first.impairment_id);
      // A reason that is no impairment reason: the dependency is offline.
      expect(second.reason_code).toBe('source_offline');

      const rejected = await force('rejected', {
        reason_code: 'identity_authorization_revoked',
        rejection_reason: 'Authorization revoked for good',
      });
      expect(rejected).toMatchObject({
        success: true,
        previous_state: 'suspended',
        current_state: 'rejected',
      });
      expect((await listed(true)).status).toBe('rejected');
      expect((await buy(true)).impairments[0]).toMatchObject({ transition: { to: 'rejected' } });
      // A rejected creative is not suspended: only an approved one is.
      expect(await force('suspended')).toMatchObject({
        success: false,
        error: 'INVALID_TRANSITION',
      });
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('is another buyer’s to suspend only as NOT_FOUND', async () => {
    const { agent, id } = await buyerWithBuy();
    const other = await controllerBuyer(at);
    try {
      const answer = await other.control('force_creative_status', {
        creative_id: id,
        status: 'suspended',
      });
      expect(answer).toMatchObject({ success: false, error: 'NOT_FOUND' });
    } finally {
      await Promise.all([agent.close(), other.agent.close()]);
    }
  }, 120_000);

  it('fires creative.status_changed to the account’s subscriber, and list_creatives shows the fire', async () => {
    const { agent, control } = await controllerBuyer(at);
    const receiver = await startWebhookReceiver({ answerChallenges: true });
    const acme = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };
    try {
      // The storyboard's registration: a sandbox account, creative lifecycle events only.
      const registered = await agent.call('sync_accounts', {
        ...v31,
        idempotency_key: randomUUID(),
        accounts: [
          {
            ...acme,
            billing: 'operator',
            sandbox: true,
            notification_configs: [
              {
                subscriber_id: 'buyer-primary',
                url: receiver.url,
                event_types: ['creative.status_changed', 'creative.purged'],
                active: true,
              },
            ],
          },
        ],
      });
      expect(registered.accounts?.[0], JSON.stringify(registered)).toMatchObject({
        status: 'active',
      });
      // Both lifecycle events are emitted (creative.purged: adcp31-creative-purged.test.ts).
      expect(registered.accounts[0]).not.toHaveProperty('warnings');
      const id = newCreativeId();
      await agent.call('sync_creatives', {
        ...v31,
        idempotency_key: randomUUID(),
        account: acme,
        creatives: [creative(id)],
      });
      const force = (status: string, extra: Record<string, unknown> = {}) =>
        control('force_creative_status', { creative_id: id, status, ...extra });
      expect(await force('approved')).toMatchObject({ success: true });
      expect(
        await force('suspended', { reason_code: 'identity_authorization_expired' }),
      ).toMatchObject({
        success: true,
      });
      const fired = await receiver.next(
        (w) => w.body?.notification_type === 'creative.status_changed',
        30_000,
      );
      expect(violations('creative/creative-status-changed-webhook.json', fired.body)).toEqual([]);
      expect(fired.body).toMatchObject({
        subscriber_id: 'buyer-primary',
        creative_id: id,
        transition: { from: 'approved', to: 'suspended', observed_at: expect.any(String) },
        reason_code: 'identity_authorization_expired',
        initiator: 'seller',
        notification_id: expect.any(String),
        idempotency_key: expect.any(String),
        fired_at: expect.any(String),
      });
      const listed = await agent.call('list_creatives', {
        ...v31,
        account: acme,
        filters: { creative_ids: [id] },
        include_webhook_activity: true,
      });
      expect(specViolations('list_creatives', listed)).toEqual([]);
      const [entry] = listed.creatives;
      expect(entry.status).toBe('suspended');
      expect(entry.webhook_activity[0]).toMatchObject({
        notification_type: 'creative.status_changed',
        subscriber_id: 'buyer-primary',
        idempotency_key: fired.body.idempotency_key,
        url: receiver.url,
      });
      // Recovered, then rejected for good: each move fires once more.
      await force('approved');
      await force('suspended', { reason_code: 'identity_authorization_revoked' });
      await force('rejected', { reason_code: 'identity_authorization_revoked' });
      const rejected = await receiver.next(
        (w) => w.body?.transition?.from === 'suspended' && w.body?.transition?.to === 'rejected',
        30_000,
      );
      expect(rejected.body.reason_code).toBe('identity_authorization_revoked');
      expect(violations('creative/creative-status-changed-webhook.json', rejected.body)).toEqual(
        [],
      );
      // A 3.0 call reads no activity (a 3.1 field).
      const old = await agent.call('list_creatives', {
        filters: { creative_ids: [id] },
        include_webhook_activity: true,
      });
      expect(old.creatives[0]).not.toHaveProperty('webhook_activity');
    } finally {
      await Promise.all([agent.close(), receiver.close()]);
    }
  }, 120_000);
});
