import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { adcp31Schemas } from '../../src/agents/adcp31/index.js';
import { buyOf, controllerBuyer, storefrontOverSeller } from './storefront-agent-support.js';
import { account, creative, newCreativeId } from './storefront-creatives-support.js';
import { specViolations, violations } from './adcp31-spec-schemas.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/*
 * AdCP 3.1's creative purge (creative_lifecycle_webhooks' purged_event_optional), through the
 * official MCP client: the test controller's force_creative_purge destroys a creative of the
 * caller's library, soft (a tombstone list_creatives shows with include_purged) or hard (nothing
 * kept), fires creative.purged to the account's subscribers, and takes the creative out of
 * service (an impairment on its buy). A 3.0 caller never sees a purged creative.
 */
const at = storefrontOverSeller();
const v31 = { adcp_version: '3.1' };
beforeAll(() => at.h.services.jobs.start(), 60_000);

const acme = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

/** A buyer with the storyboard's subscriber registered at a receiver of its own. */
async function subscribedBuyer() {
  const { agent, control } = await controllerBuyer(at);
  const receiver = await startWebhookReceiver({ answerChallenges: true });
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
  const [entry] = registered.accounts;
  expect(entry, JSON.stringify(registered)).toMatchObject({ status: 'active' });
  // Both event types are emitted now: nothing is kept unfired.
  expect(entry).not.toHaveProperty('warnings');
  const sync = async (id: string) =>
    agent.call('sync_creatives', {
      ...v31,
      idempotency_key: randomUUID(),
      account: acme,
      creatives: [creative(id)],
    });
  const list = (pin: boolean, id: string, extra: Record<string, unknown> = {}) =>
    agent.call('list_creatives', {
      ...(pin && v31),
      account: acme,
      filters: { creative_ids: [id] },
      ...extra,
    });
  const purge = (id: string, params: Record<string, unknown>) =>
    control('force_creative_purge', { creative_id: id, ...params });
  return { agent, control, receiver, sync, list, purge };
}

describe('a purged creative', () => {
  it('soft: fires creative.purged, leaves a tombstone to include_purged, nothing to 3.0', async () => {
    const { agent, control, receiver, sync, list, purge } = await subscribedBuyer();
    try {
      const id = newCreativeId();
      await sync(id);
      expect(
        await control('force_creative_status', { creative_id: id, status: 'approved' }),
      ).toMatchObject({ success: true });
      // The storyboard's call, pinned to 3.1 as its runner pins it.
      const purged = await agent.call('comply_test_controller', {
        ...v31,
        account: { sandbox: true },
        scenario: 'force_creative_purge',
        params: {
          creative_id: id,
          purge_kind: 'soft',
          reason_code: 'retention_expired',
          reason_detail: 'Soft purge for account-level notification coverage.',
        },
      });
      expect(purged, JSON.stringify(purged)).toMatchObject({
        success: true,
        previous_state: 'approved',
        current_state: 'purged',
      });

      const fired = await receiver.next(
        (w) => w.body?.notification_type === 'creative.purged',
        30_000,
      );
      expect(violations('creative/creative-purged-webhook.json', fired.body)).toEqual([]);
      expect(fired.body).toMatchObject({
        subscriber_id: 'buyer-primary',
        creative_id: id,
        purge_kind: 'soft',
        reason_code: 'retention_expired',
        reason_detail: 'Soft purge for account-level notification coverage.',
        initiator: 'seller',
        notification_id: expect.any(String),
        idempotency_key: expect.any(String),
        purged_at: expect.any(String),
      });

      // Gone from the default read, 3.1 and 3.0 alike.
      expect((await list(true, id)).creatives).toEqual([]);
      expect((await list(false, id)).creatives).toEqual([]);
      // The tombstone: its last status, frozen, and the purge.
      const tomb = await list(true, id, { include_purged: true, include_webhook_activity: true });
      expect(specViolations('list_creatives', tomb)).toEqual([]);
      expect(tomb.creatives[0]).toMatchObject({
        creative_id: id,
        status: 'approved',
        purge: { kind: 'soft', at: fired.body.purged_at, reason_code: 'retention_expired' },
      });
      expect(tomb.creatives[0].webhook_activity[0]).toMatchObject({
        notification_type: 'creative.purged',
        idempotency_key: fired.body.idempotency_key,
      });
      // A 3.0 caller asking the same reads no tombstone (purge is 3.1's).
      expect((await list(false, id, { include_purged: true })).creatives).toEqual([]);

      // Purged is gone: the controller no longer finds it, and it is purged only once.
      expect(await purge(id, { purge_kind: 'soft' })).toMatchObject({
        success: false,
        error: 'NOT_FOUND',
      });
      expect(
        await control('force_creative_status', { creative_id: id, status: 'approved' }),
      ).toMatchObject({ success: false, error: 'NOT_FOUND' });

      // Synced again, it is a creative anew, and the tombstone is gone.
      const again = await sync(id);
      expect(again.creatives[0]).toMatchObject({ creative_id: id, status: 'approved' });
      const back = await list(true, id, { include_purged: true });
      expect(back.creatives[0]).not.toHaveProperty('purge');
    } finally {
      await Promise.all([agent.close(), receiver.close()]);
    }
  }, 120_000);

  it('hard: fires creative.purged and keeps no tombstone, not even to include_purged', async () => {
    const { agent, receiver, sync, list, purge } = await subscribedBuyer();
    try {
      const id = newCreativeId();
      await sync(id);
      expect(await purge(id, { purge_kind: 'hard', reason_code: 'legal_erasure' })).toMatchObject({
        success: true,
      });
      const fired = await receiver.next(
        (w) => w.body?.notification_type === 'creative.purged',
        30_000,
      );
      expect(violations('creative/creative-purged-webhook.json', fired.body)).toEqual([]);
      expect(fired.body).toMatchObject({ creative_id: id, purge_kind: 'hard' });
      const tomb = await list(true, id, { include_purged: true });
      expect(tomb.creatives).toEqual([]);
      // Nothing of the asset is echoed anywhere.
      expect(JSON.stringify(fired.body)).not.toContain('png');
    } finally {
      await Promise.all([agent.close(), receiver.close()]);
    }
  }, 120_000);

  it('refuses a purge kind or reason it does not know, and another buyer’s creative is NOT_FOUND', async () => {
    const { agent, sync, purge } = await subscribedBuyer();
    const other = await controllerBuyer(at);
    try {
      const id = newCreativeId();
      await sync(id);
      expect(await purge(id, { purge_kind: 'shredded' })).toMatchObject({
        success: false,
        error: 'INVALID_PARAMS',
      });
      expect(await purge(id, { reason_code: 'Not A Code' })).toMatchObject({
        success: false,
        error: 'INVALID_PARAMS',
      });
      expect(
        await other.control('force_creative_purge', { creative_id: id, purge_kind: 'soft' }),
      ).toMatchObject({ success: false, error: 'NOT_FOUND' });
    } finally {
      await Promise.all([agent.close(), other.agent.close()]);
    }
  }, 120_000);

  it('stops serving: an impairment on its buy (3.1), none for 3.0, and it is not assignable', async () => {
    const { agent, control } = await controllerBuyer(at);
    try {
      const id = newCreativeId();
      await agent.call('sync_creatives', {
        ...v31,
        idempotency_key: randomUUID(),
        account,
        creatives: [creative(id)],
      });
      const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
      const order = buyOf(products[0], account);
      order.packages[0] = {
        ...order.packages[0]!,
        creative_assignments: [{ creative_id: id }],
      } as (typeof order.packages)[number];
      const created = await agent.call('create_media_buy', order);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const buy = async (pin: boolean) =>
        (
          await agent.call('get_media_buys', {
            ...(pin && v31),
            media_buy_ids: [created.media_buy_id],
          })
        ).media_buys[0];
      expect((await buy(true)).impairments).toEqual([]);

      const purged = await control('force_creative_purge', {
        creative_id: id,
        purge_kind: 'soft',
        reason_code: 'takedown_request',
      });
      expect(purged).toMatchObject({ success: true });
      const impaired = await buy(true);
      expect(impaired.health).toBe('impaired');
      const [impairment] = impaired.impairments;
      expect(adcp31Schemas.impairment.parse(impairment)).toEqual(impairment);
      expect(impairment).toMatchObject({
        resource_type: 'creative',
        resource_id: id,
        package_ids: [impaired.packages[0].package_id],
        transition: { from: 'approved', to: 'rejected' },
        reason_code: 'seller_removed',
      });
      expect(impaired.packages[0].creative_approvals).toEqual([
        { creative_id: id, approval_status: 'rejected', rejection_reason: expect.any(String) },
      ]);
      expect(await buy(false)).not.toHaveProperty('impairments');

      // A purged creative is not the buyer's to assign any more.
      const update = await agent.call('update_media_buy', {
        ...v31,
        idempotency_key: randomUUID(),
        account,
        media_buy_id: created.media_buy_id,
        packages: [
          {
            package_id: impaired.packages[0].package_id,
            creative_assignments: [{ creative_id: id }],
          },
        ],
      });
      expect(update.adcp_error, JSON.stringify(update)).toMatchObject({
        code: 'INVALID_STATE',
        message: expect.stringContaining('purged'),
      });
    } finally {
      await agent.close();
    }
  }, 120_000);
});
