import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { availRow, commitCsv, day, header, modularStorefront, sources } from './support.js';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('module credentials', () => {
  it('are sealed at rest, never returned, rotated and revoked', async () => {
    const sf = await modularStorefront(h, {
      execution: { mode: 'upstream_system', systemName: 'GAM' },
    });
    const path = `${sources}/${sf.sourceId}/modular/modules/execution/credentials`;
    const secret = `gam-key-${randomUUID()}`;
    const created = await h.call('POST', path, {
      key: sf.seller.key,
      body: { name: 'GAM service account', secret },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain(secret);
    const stored = (await h.database.db.execute(
      sql`select sealed from modular_module_credentials where id = ${created.body.data.id}`,
    )) as unknown as { rows: Array<{ sealed: string }> };
    expect(stored.rows[0]!.sealed).not.toContain(secret);
    // A config key that looks like a secret is refused: secrets go to credentials.
    const leaked = await h.call(
      'PATCH',
      `${sources}/${sf.sourceId}/modular/modules/execution/config`,
      {
        key: sf.seller.key,
        body: { config: { apiToken: secret } },
      },
    );
    expect(leaked.status).toBe(400);
    expect(leaked.body.error.field).toBe('config.apiToken');

    const rotated = await h.call('PUT', `${path}/${created.body.data.id}`, {
      key: sf.seller.key,
      body: { secret: `${secret}-2` },
    });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.data.rotatedAt).not.toBeNull();
    const projection = await h.call('GET', `${sources}/${sf.sourceId}/modular`, {
      key: sf.seller.key,
    });
    expect(projection.text).not.toContain(secret);
    const revoked = await h.call('DELETE', `${path}/${created.body.data.id}`, {
      key: sf.seller.key,
    });
    expect(revoked.body.data.status).toBe('REVOKED');
    const erased = (await h.database.db.execute(
      sql`select sealed from modular_module_credentials where id = ${created.body.data.id}`,
    )) as unknown as { rows: Array<{ sealed: string | null }> };
    expect(erased.rows[0]!.sealed).toBeNull();
  });
});

describe('holds and refusals', () => {
  it('an expired hold gives its capacity back and closes the work waiting on it; a declined booking too', async () => {
    const sf = await modularStorefront(h, { booking: { mode: 'manual' } });
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('hold', 100_000)}`);
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    const capacity = async () =>
      (
        await h.call('GET', `${sources}/${sf.sourceId}/modular/inventory/capabilities`, {
          key: sf.seller.key,
        })
      ).body.data.availableImpressions;
    try {
      const { products } = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'homepage',
        account,
      });
      const buy = () =>
        agent.call('create_media_buy', {
          idempotency_key: randomUUID(),
          account,
          brand: { domain: 'acmeoutdoor.example' },
          start_time: 'asap',
          end_time: day(7),
          packages: [
            {
              product_id: products[0].product_id,
              pricing_option_id: products[0].pricing_options[0].pricing_option_id,
              budget: 200,
            },
          ],
        });
      expect((await buy()).status).toBe('submitted');
      expect(await capacity()).toBe(90_000);
      // Its hold runs out before anyone confirms it.
      await h.database.db.execute(
        sql`update modular_bookings set hold_expires_at = now() - interval '1 minute' where avail_id = 'hold'`,
      );
      expect(await h.services.modularSources.expireHolds()).toBe(1);
      expect(await capacity()).toBe(100_000);
      const items = await h.call('GET', `${sources}/${sf.sourceId}/modular/work-items`, {
        key: sf.seller.key,
      });
      expect(items.body.data.items).toEqual([]);

      // The operator declines the next one: capacity back, the item's effects applied once.
      expect((await buy()).status).toBe('submitted');
      const confirm = (
        await h.call('GET', `${sources}/${sf.sourceId}/modular/work-items?kind=CONFIRM_AVAILS`, {
          key: sf.seller.key,
        })
      ).body.data.items[0];
      const declined = await h.call(
        'POST',
        `${sources}/${sf.sourceId}/modular/work-items/${confirm.id}/complete`,
        { key: sf.seller.key, body: { result: { decision: 'reject', reason: 'Sold by phone' } } },
      );
      expect(declined.status, declined.text).toBe(200);
      expect(await capacity()).toBe(100_000);
    } finally {
      await agent.close();
    }
  }, 60_000);
});
