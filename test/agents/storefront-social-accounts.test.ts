import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { startSdkSeller, type SdkSeller } from '../fixtures/sdk-seller.js';
import { sdkSchemaValidator } from '../../src/agents/hosting/sdk-schema-validator.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/**
 * A 3.1 buyer registering its sandbox account with an account-level webhook subscriber through a
 * storefront over @adcp/sdk's social example seller: 3.1.19's creative_lifecycle_webhooks
 * register_account_lifecycle_subscriber step, its request as the storyboard writes it.
 */
describe('sync_accounts through a storefront over a sales-social seller', () => {
  let h: Harness;
  let seller: SdkSeller;
  let base: string;
  let platformId: string;

  beforeAll(async () => {
    [h, seller] = await Promise.all([createHarness(), startSdkSeller('social')]);
    base = await listen(h);
    ({ platformId } = await storefrontWith(h, [
      { sourceId: 'social', url: seller.url, token: seller.token },
    ]));
  }, 90_000);

  afterAll(async () => {
    await Promise.all([h?.close(), seller?.close()]);
  });

  /** The storyboard's sync_accounts, pinned 3.1, the subscriber at `url`. */
  const storyboardRequest = (url: string) => ({
    adcp_version: '3.1',
    brand: { domain: 'acmeoutdoor.example' },
    accounts: [
      {
        brand: { domain: 'acmeoutdoor.example' },
        operator: 'pinnacle-agency.example',
        billing: 'operator',
        sandbox: true,
        notification_configs: [
          {
            subscriber_id: 'buyer-primary',
            url,
            event_types: ['creative.status_changed', 'creative.purged'],
            active: true,
          },
        ],
      },
    ],
    idempotency_key: randomUUID(),
    context: { correlation_id: 'creative_lifecycle_webhooks--sync_accounts' },
  });

  /** The step's checks, and the response schema a 3.0 buyer's SDK holds it to. */
  function expectRegistered(answer: Record<string, unknown>) {
    const { isError: _isError, state: _state, ...wire } = answer;
    const [row] = wire['accounts'] as Array<Record<string, unknown>>;
    expect(row, JSON.stringify(wire)).toMatchObject({
      action: 'created',
      status: 'active',
      sandbox: true,
      operator: 'pinnacle-agency.example',
    });
    expect(row!['notification_configs']).toEqual([
      {
        subscriber_id: 'buyer-primary',
        url: expect.any(String),
        event_types: ['creative.status_changed', 'creative.purged'],
        active: true,
      },
    ]);
    expect(wire['context']).toEqual({
      correlation_id: 'creative_lifecycle_webhooks--sync_accounts',
    });
    const verdict = sdkSchemaValidator().validateResponse('sync_accounts', wire);
    expect(verdict.valid, JSON.stringify(verdict.issues)).toBe(true);
  }

  it('registers the sandbox account active and echoes its subscriber, over MCP', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, platformId, buyer.key);
    const receiver = await startWebhookReceiver({ answerChallenges: true });
    try {
      const synced = await agent.call('sync_accounts', storyboardRequest(receiver.url));
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      expectRegistered(synced);
      // The buyer reads it back the same.
      const listed = await agent.call('list_accounts', { adcp_version: '3.1', sandbox: true });
      expect(listed.accounts).toHaveLength(1);
      expect(listed.accounts[0].status).toBe('active');
      expect(listed.accounts[0].notification_configs[0].subscriber_id).toBe('buyer-primary');
    } finally {
      await Promise.all([agent.close(), receiver.close()]);
    }
  });

  it('refuses the account at the subscriber URL when the receiver does not prove control, and keeps nothing', async () => {
    // What @adcp/sdk 6.11's storyboard receiver does: 204 to every POST, the challenge unechoed.
    // 3.1 (sync-accounts-request.json, "Activation proof"): the entry fails, VALIDATION_ERROR at
    // notification_configs[j].url, and no subscriber is kept active.
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, platformId, buyer.key);
    const receiver = await startWebhookReceiver();
    try {
      const synced = await agent.call('sync_accounts', storyboardRequest(receiver.url));
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      const [row] = synced.accounts;
      expect(row).toMatchObject({ action: 'failed', status: 'rejected' });
      expect(row.errors[0]).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'notification_configs[0].url',
      });
      expect(row.errors[0].message).toMatch(/did not echo the webhook\.challenge/);
      expect(receiver.received.map((w) => w.body.type)).toEqual(['webhook.challenge']);
      const listed = await agent.call('list_accounts', { adcp_version: '3.1' });
      expect(listed.accounts).toEqual([]);
    } finally {
      await Promise.all([agent.close(), receiver.close()]);
    }
  });

  it('registers the sandbox account active and echoes its subscriber, over A2A', async () => {
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const agent = await a2aBuyer(base, platformId, buyer.key);
    const receiver = await startWebhookReceiver({ answerChallenges: true });
    try {
      const synced = await agent.call('sync_accounts', storyboardRequest(receiver.url));
      expect(synced.state, JSON.stringify(synced)).toBe('completed');
      expectRegistered(synced);
    } finally {
      await receiver.close();
    }
  });
});
