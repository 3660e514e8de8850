import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { controllerBuyer, storefrontOverSeller } from './storefront-agent-support.js';
import { violations } from './adcp31-spec-schemas.js';

/*
 * The test controller (comply_test_controller) answers a 3.1 caller in 3.1's envelope: `status`
 * on every answer (core/protocol-envelope.json: "REQUIRED on every task response envelope"),
 * whether the scenario is the SDK's (list_scenarios, seed_*, force_media_buy_status) or the
 * storefront's own (force_creative_purge, force_upstream_unavailable), served or refused; a 3.0
 * caller's answer is as before, without it. Official MCP client.
 */
const at = storefrontOverSeller();
const v31 = { adcp_version: '3.1' };
const controllerAnswers = 'compliance/comply-test-controller-response.json';

describe('comply_test_controller in 3.1’s envelope', () => {
  it('answers a 3.1 caller with the envelope status, every scenario alike; a 3.0 caller as before', async () => {
    const { agent } = await controllerBuyer(at);
    const call = (scenario: string, params: Record<string, unknown>, pinned = true) =>
      agent.call('comply_test_controller', {
        ...(pinned && v31),
        account: { sandbox: true },
        scenario,
        params,
      });
    try {
      const answers = {
        listed: await call('list_scenarios', {}),
        seeded: await call('seed_product', {
          product_id: `p_${randomUUID().slice(0, 8)}`,
          fixture: { name: 'Envelope probe', delivery_type: 'non_guaranteed' },
        }),
        forcedUnknown: await call('force_media_buy_status', {
          media_buy_id: 'mb_none',
          status: 'active',
        }),
        purgedUnknown: await call('force_creative_purge', { creative_id: 'cr_none' }),
        outage: await call('force_upstream_unavailable', { tool: 'get_products' }),
      };
      // A scenario served completed; one refused (ControllerError: "the scenario failed") failed.
      const refused = new Set(['forcedUnknown', 'purgedUnknown']);
      for (const [name, answer] of Object.entries(answers)) {
        const status = refused.has(name) ? 'failed' : 'completed';
        expect(answer.status, `${name}: ${JSON.stringify(answer)}`).toBe(status);
        expect(answer.adcp_version, name).toBe('3.1');
        const { isError: _flag, ...content } = answer;
        expect(violations(controllerAnswers, content), name).toEqual([]);
      }
      expect(answers.listed.success).toBe(true);
      expect(answers.seeded.success).toBe(true);
      expect(answers.outage.success, JSON.stringify(answers.outage)).toBe(true);
      expect(answers.forcedUnknown).toMatchObject({ success: false, error: 'NOT_FOUND' });
      expect(answers.purgedUnknown).toMatchObject({ success: false, error: 'NOT_FOUND' });

      // A 3.0 caller's answers are as they were: no envelope status.
      const listed30 = await call('list_scenarios', {}, false);
      expect(listed30.success).toBe(true);
      expect(listed30).not.toHaveProperty('status');
      const refused30 = await call('force_creative_purge', { creative_id: 'cr_none' }, false);
      expect(refused30).toMatchObject({ success: false, error: 'NOT_FOUND' });
      expect(refused30).not.toHaveProperty('status');
    } finally {
      await agent.close();
    }
  }, 90_000);
});
