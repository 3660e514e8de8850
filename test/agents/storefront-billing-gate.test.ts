import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';

/*
 * sync_accounts' seller-wide billing gate on a storefront (3.1.19 billing_gate_dispatch), over
 * MCP with the official client: a storefront bills the operator only (supported_billing), so
 * `billing: "agent"` fails that account with BILLING_NOT_SUPPORTED, scope "capability" and the
 * supported list, for 3.1 and 3.0 callers alike, and nothing is recorded; `operator` provisions.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let platformId: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
  ({ platformId } = await storefrontWith(h, [{ sourceId: 'src', url: seller.url }]));
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const acme = (billing: string) => ({
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'pinnacle-agency.example',
  billing,
});

describe('the billing gate of sync_accounts', () => {
  it('advertises operator billing and refuses agent billing per account, for 3.1 and 3.0 callers', async () => {
    const customer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, platformId, customer.key);
    try {
      const caps = await agent.call('get_adcp_capabilities', { adcp_version: '3.1' });
      expect(caps.account.supported_billing).toEqual(['operator']);

      for (const pin of [{ adcp_version: '3.1' }, {}]) {
        const refused = await agent.call('sync_accounts', {
          ...pin,
          idempotency_key: randomUUID(),
          accounts: [acme('agent')],
          context: { correlation_id: 'billing_gate' },
        });
        expect(refused.isError, JSON.stringify(refused)).toBe(false);
        expect(refused.context).toEqual({ correlation_id: 'billing_gate' });
        expect(refused.accounts).toHaveLength(1);
        expect(refused.accounts[0]).toMatchObject({ action: 'failed', status: 'rejected' });
        expect(refused.accounts[0].errors[0]).toMatchObject({
          code: 'BILLING_NOT_SUPPORTED',
          recovery: 'correctable',
          details: { scope: 'capability', supported_billing: ['operator'] },
        });
      }
      expect((await agent.call('list_accounts')).accounts).toEqual([]);

      const accepted = await agent.call('sync_accounts', {
        adcp_version: '3.1',
        idempotency_key: randomUUID(),
        accounts: [acme('operator')],
      });
      expect(accepted.accounts[0]).toMatchObject({
        action: 'created',
        status: 'active',
        billing: 'operator',
      });
      expect((await agent.call('list_accounts')).accounts).toHaveLength(1);
    } finally {
      await agent.close();
    }
  }, 120_000);
});
