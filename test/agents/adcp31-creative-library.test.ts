import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { controllerBuyer, storefrontOverSeller } from './storefront-agent-support.js';

/*
 * A buyer's creative library on a storefront over a real seller, through the official MCP
 * client, as 3.1's storyboards use it: the test controller forcing a creative a real source
 * holds (deterministic_testing/deterministic_creative, dependency_impairment's baselines).
 */
const at = storefrontOverSeller();

const acme = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

function creative(id: string) {
  return {
    creative_id: id,
    name: `Creative ${id}`,
    format_id: { agent_url: at.seller.url, id: 'display_300x250' },
    assets: {
      image: {
        asset_type: 'image',
        url: 'https://cdn.example/banner.png',
        width: 300,
        height: 250,
        mime_type: 'image/png',
      },
    },
  };
}

async function buyer() {
  const { agent, control } = await controllerBuyer(at);
  const sync = (account: Record<string, unknown>, ids: string[], pin = true) =>
    agent.call('sync_creatives', {
      ...(pin && { adcp_version: '3.1' }),
      idempotency_key: randomUUID(),
      account,
      creatives: ids.map(creative),
    });
  return { agent, sync, control };
}

describe('force_creative_status on a creative a real source holds', () => {
  it('confirms its status or takes it out of service, never approves it past a decision', async () => {
    const { agent, sync, control } = await buyer();
    try {
      const synced = await sync(acme, ['live_banner']);
      expect(synced.creatives[0], JSON.stringify(synced)).toMatchObject({
        action: 'created',
        status: 'approved',
      });
      // The storyboard's baseline: approved, which it already is.
      const approved = await control('force_creative_status', {
        creative_id: 'live_banner',
        status: 'approved',
      });
      expect(approved).toMatchObject({
        success: true,
        previous_state: 'approved',
        current_state: 'approved',
      });
      const rejected = await control('force_creative_status', {
        creative_id: 'live_banner',
        status: 'rejected',
        rejection_reason: 'Brand safety (test)',
      });
      expect(rejected).toMatchObject({ success: true, current_state: 'rejected' });
      const listed = await agent.call('list_creatives', {
        filters: { creative_ids: ['live_banner'] },
      });
      expect(listed.creatives[0].status).toBe('rejected');
      // Back to approved would override the rejection on a live creative: refused, unchanged.
      const reapproved = await control('force_creative_status', {
        creative_id: 'live_banner',
        status: 'approved',
      });
      expect(reapproved).toMatchObject({ success: false, error: 'FORBIDDEN' });
      const after = await agent.call('list_creatives', {
        filters: { creative_ids: ['live_banner'] },
      });
      expect(after.creatives[0].status).toBe('rejected');
    } finally {
      await agent.close();
    }
  }, 90_000);
});
