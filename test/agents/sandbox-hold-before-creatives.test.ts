import { randomUUID } from 'node:crypto';
import { isLegalMediaBuyTransition } from '@adcp/sdk/server';
import { describe, expect, it } from 'vitest';
import { controllerBuyer, storefrontOverSeller } from './storefront-agent-support.js';

/**
 * A 3.0 buyer pausing a sandbox buy that still waits for its creatives, as the 3.0.6
 * media_buy_state_machine storyboard does (it buys `test-product` with no creative, then pauses
 * and resumes): the hold is kept, and the status stays `pending_creatives` (3.1.19
 * create-media-buy-request.json `paused`: "Setup blockers still take precedence: a buy with no
 * creatives remains 'pending_creatives'"), so no answer moves paused → pending_creatives, which
 * AdCP's lifecycle graph does not allow. Once creatives arrive the hold shows as `paused`.
 */
const at = storefrontOverSeller();
const account = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'acme.example',
  sandbox: true,
};

describe('a sandbox buy held before its creatives arrive', () => {
  it('keeps pending_creatives through pause and resume, moves only on the lifecycle graph, and refuses a resume once canceled', async () => {
    const { agent, control } = await controllerBuyer(at);
    try {
      const seeded = await control('seed_product', {
        product_id: 'test-product',
        fixture: { delivery_type: 'non_guaranteed', channels: ['display'] },
      });
      expect(seeded.success).toBe(true);
      const priced = await control('seed_pricing_option', {
        product_id: 'test-product',
        pricing_option_id: 'test-pricing',
        fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 10 },
      });
      expect(priced.success).toBe(true);
      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: '2099-06-30T23:59:59Z',
        packages: [
          { product_id: 'test-product', pricing_option_id: 'test-pricing', budget: 10_000 },
        ],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const id = created.media_buy_id as string;
      const statuses = [created.status as string];
      const update = async (change: Record<string, unknown>) => {
        const answer = await agent.call('update_media_buy', {
          idempotency_key: randomUUID(),
          account,
          media_buy_id: id,
          ...change,
        });
        expect(answer.isError, JSON.stringify(answer)).toBe(false);
        statuses.push(answer.status as string);
        return answer;
      };
      const read = async () =>
        (await agent.call('get_media_buys', { account, media_buy_ids: [id] })).media_buys[0];

      await update({ paused: true });
      await update({ paused: false });
      expect(statuses).toEqual(['pending_creatives', 'pending_creatives', 'pending_creatives']);

      // Held again, then a creative arrives: the hold shows, and resuming runs the buy.
      await update({ paused: true });
      const packageId = created.packages[0].package_id as string;
      const synced = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [
          {
            creative_id: 'hold-banner',
            name: 'Held banner',
            format_id: {
              agent_url: 'https://creative.adcontextprotocol.org',
              id: 'display_300x250',
            },
            assets: {
              image: {
                asset_type: 'image',
                url: 'https://cdn.acmeoutdoor.example/b.png',
                width: 300,
                height: 250,
              },
            },
          },
        ],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      await update({
        packages: [
          { package_id: packageId, creative_assignments: [{ creative_id: 'hold-banner' }] },
        ],
      });
      expect((await read()).status).toBe('paused');
      expect((await read()).packages[0].paused).toBe(true);
      await update({ paused: false });
      expect(statuses.slice(3)).toEqual(['pending_creatives', 'paused', 'active']);

      const moves = statuses.slice(1).map((to, i) => [statuses[i]!, to] as const);
      for (const [from, to] of moves) {
        if (from !== to)
          expect(isLegalMediaBuyTransition(from as never, to as never), `${from} → ${to}`).toBe(
            true,
          );
      }

      // Canceled is final: a pause or a resume is refused INVALID_STATE, nothing moves.
      await update({ canceled: true });
      for (const paused of [true, false]) {
        const refused = await agent.call('update_media_buy', {
          idempotency_key: randomUUID(),
          account,
          media_buy_id: id,
          paused,
        });
        expect(refused.isError, JSON.stringify(refused)).toBe(true);
        expect(refused.adcp_error?.code).toBe('INVALID_STATE');
      }
      expect((await read()).status).toBe('canceled');
    } finally {
      await agent.close();
    }
  }, 90_000);
});
