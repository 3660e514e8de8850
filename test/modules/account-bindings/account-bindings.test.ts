import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountBindingsService } from '../../../src/modules/account-bindings/index.js';
import { createHarness, type Harness } from '../../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const keyOf = (agentId: string) => ({
  agentId,
  brandDomain: 'brand-a.example',
  operatorDomain: 'agency.example',
});

const ownersOf = async (agentId: string) =>
  (
    await h.database.queryable.query(
      'select customer_id from upstream_account_bindings where agent_id = $1',
      [agentId],
    )
  ).rows.map((row) => Number(row['customer_id']));

describe('binding a {brand, operator} account at a seller agent to one buyer', () => {
  it('gives a pair two buyers first use at once to exactly one of them, as two instances would', async () => {
    // Two services: two instances, with caches of their own, so only the database decides.
    const [one, two] = [
      createAccountBindingsService({ db: h.database.db }),
      createAccountBindingsService({ db: h.database.db }),
    ];
    for (let round = 0; round < 10; round++) {
      const agentId = `agt_race_${randomUUID()}`;
      const [first, second] = await Promise.all([
        one.claim(keyOf(agentId), 101),
        two.claim(keyOf(agentId), 202),
      ]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      const owners = await ownersOf(agentId);
      expect(owners).toEqual([first ? 101 : 202]);
      // Asked again, each instance answers the same: the binding holds.
      const [owner, loser] = first ? [101, 202] : [202, 101];
      expect(await one.claim(keyOf(agentId), owner)).toBe(true);
      expect(await two.claim(keyOf(agentId), loser)).toBe(false);
    }
  });

  it('compares domains as domains: case and a trailing dot name the same account', async () => {
    const bindings = createAccountBindingsService({ db: h.database.db });
    const agentId = `agt_case_${randomUUID()}`;
    expect(await bindings.claim(keyOf(agentId), 303)).toBe(true);
    const shouted = { agentId, brandDomain: 'Brand-A.Example.', operatorDomain: 'AGENCY.example' };
    expect(await createAccountBindingsService({ db: h.database.db }).claim(shouted, 404)).toBe(
      false,
    );
    expect(await ownersOf(agentId)).toEqual([303]);
  });

  it('keeps the same pair apart at two seller agents', async () => {
    const bindings = createAccountBindingsService({ db: h.database.db });
    const [x, y] = [`agt_x_${randomUUID()}`, `agt_y_${randomUUID()}`];
    expect(await bindings.claim(keyOf(x), 505)).toBe(true);
    expect(await bindings.claim(keyOf(y), 606)).toBe(true);
    expect(await bindings.claim(keyOf(x), 606)).toBe(false);
  });

  it('keeps a sandbox account apart from the live account of the same pair', async () => {
    const bindings = createAccountBindingsService({ db: h.database.db });
    const agentId = `agt_sandbox_${randomUUID()}`;
    expect(await bindings.claim({ ...keyOf(agentId), sandbox: true }, 909)).toBe(true);
    expect(await bindings.claim(keyOf(agentId), 910)).toBe(true);
    expect(await bindings.claim({ ...keyOf(agentId), sandbox: true }, 910)).toBe(false);
    expect((await ownersOf(agentId)).sort()).toEqual([909, 910]);
  });
});
