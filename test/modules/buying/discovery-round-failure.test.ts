import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../../fixtures/sellers.js';
import { createHarness, type Harness } from '../../harness.js';
import { storefrontWith } from '../../agents/storefront-agent-support.js';
import { agentResultOf, buyerWithAdvertiser, discover } from './buying-support.js';

/**
 * A discovery round whose agent rows cannot all be written leaves nothing readable: the rows
 * it did write are deleted again (even when a new session's own delete fails too), a new
 * session disappears, a session asked again keeps its previous round. The failure is injected in the database itself (a trigger refusing the rows
 * of one storefront), so PostgreSQL refuses a real write mid-round, after the
 * other storefront's row is committed.
 */
let h: Harness;
let seller: RunningSeller;
let good: { id: number; platformId: string };
let refused: { id: number; platformId: string };

const sql = (text: string, params: unknown[] = []) => h.database.queryable.query(text, params);

beforeAll(async () => {
  h = await createHarness();
  seller = await startSeller('mcp');
  good = await storefrontWith(h, [{ sourceId: 'good', url: seller.url }]);
  refused = await storefrontWith(h, [{ sourceId: 'refused', url: seller.url }]);
  await sql(`create or replace function test_refuse_agent_row() returns trigger language plpgsql as $$
    begin
      if new.storefront_id = ${Number(refused.id)} then
        raise exception 'injected write failure';
      end if;
      return new;
    end $$`);
  await sql(`create trigger test_refuse_agent_row before insert on buyer_discovery_agents
    for each row execute function test_refuse_agent_row()`);
}, 60_000);
afterAll(async () => {
  await sql('drop trigger if exists test_refuse_agent_row on buyer_discovery_agents').catch(
    () => undefined,
  );
  await seller?.close();
  await h?.close();
});

const rowsOfStorefront = async (storefrontId: number) =>
  (
    await sql(
      'select discovery_id, round_id from buyer_discovery_agents where storefront_id = $1',
      [storefrontId],
    )
  ).rows as { discovery_id: string; round_id: string }[];

describe('a discovery round that cannot be written', () => {
  it('leaves no session and no rows when it was a new session', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const before = await rowsOfStorefront(good.id);
    const failed = await discover(h, buyer.key, {
      advertiserId,
      brief: 'Outdoor display',
      storefrontIds: [good.id, refused.id],
    });
    expect(failed.status, failed.text).toBe(500);
    expect(failed.body.error.code).toBe('INTERNAL_ERROR');
    expect(failed.text).not.toContain('injected');
    const sessions = await sql('select id from buyer_discoveries where customer_id = $1', [
      buyer.id,
    ]);
    expect(sessions.rows).toEqual([]);
    // The good storefront's row was committed before the other failed; it is gone again.
    expect(await rowsOfStorefront(good.id)).toEqual(before);
  }, 30_000);

  it('deletes the failed round of a new session even when the session itself cannot be deleted', async () => {
    // The case above passes through the session delete, which takes the session's rows with
    // it. Here that delete is refused too (a second trigger, for this buyer only), so what is
    // left to check is the round's own discard: without it the good storefront's row stays.
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    await sql(`create or replace function test_refuse_session_delete() returns trigger
      language plpgsql as $$
      begin
        if old.customer_id = ${Number(buyer.id)} then
          raise exception 'injected delete failure';
        end if;
        return old;
      end $$`);
    await sql(`create trigger test_refuse_session_delete before delete on buyer_discoveries
      for each row execute function test_refuse_session_delete()`);
    try {
      const failed = await discover(h, buyer.key, {
        advertiserId,
        brief: 'Outdoor display',
        storefrontIds: [good.id, refused.id],
      });
      expect(failed.status, failed.text).toBe(500);
      expect(failed.text).not.toContain('injected');
    } finally {
      await sql('drop trigger test_refuse_session_delete on buyer_discoveries');
    }
    const sessions = (
      await sql('select id, round_id from buyer_discoveries where customer_id = $1', [buyer.id])
    ).rows as { id: string; round_id: string }[];
    // The session row stayed (its delete was refused); the round's rows did not.
    expect(sessions).toHaveLength(1);
    const rows = await sql('select agent_id from buyer_discovery_agents where discovery_id = $1', [
      sessions[0]!.id,
    ]);
    expect(rows.rows).toEqual([]);
  }, 30_000);

  it('keeps the previous round, whole, when a session asked again fails', async () => {
    const { buyer, advertiserId } = await buyerWithAdvertiser(h);
    const first = await discover(h, buyer.key, {
      advertiserId,
      brief: 'Outdoor display',
      storefrontIds: [good.id],
    });
    expect(first.status, first.text).toBe(200);
    const { discoveryId } = first.body.data;
    const again = await discover(h, buyer.key, {
      advertiserId,
      discoveryId,
      brief: 'Outdoor display, bigger',
      storefrontIds: [good.id, refused.id],
    });
    expect(again.status, again.text).toBe(500);

    const browsed = await h.call(
      'GET',
      `/api/v2/buyer/discovery/${discoveryId}/discover-products`,
      {
        key: buyer.key,
      },
    );
    expect(browsed.status, browsed.text).toBe(200);
    expect(browsed.body.data.revision).toBe(1);
    expect(agentResultOf(browsed.body.data, good.platformId)).toBeTruthy();
    expect(agentResultOf(browsed.body.data, refused.platformId)).toBeUndefined();
    // Only the first round's rows are stored: the failed round left no orphans.
    const rounds = await sql(
      'select distinct round_id from buyer_discovery_agents where discovery_id = $1',
      [discoveryId],
    );
    const [current] = (
      await sql('select round_id from buyer_discoveries where id = $1', [discoveryId])
    ).rows as { round_id: string }[];
    expect(rounds.rows).toEqual([{ round_id: current!.round_id }]);
  }, 30_000);
});
