import { describe, expect, it } from 'vitest';
import { createFlow } from '../../src/wiring/flows/flow.js';
import { assertOwned, createFlows } from '../../src/wiring/flows/index.js';

describe('flows between modules', () => {
  it('answers through its owner once the owner is built, and names itself when asked before', async () => {
    const flow = createFlow<{ verdict(id: number): Promise<string> }>(
      'storefront go-live',
      'modules',
    );
    expect(() => flow.owner()).toThrow('flow "storefront go-live" asked before its owner');
    const owner = { verdict: async (id: number) => `ready ${id}`, other: 1 };
    expect(flow.ownedBy(owner)).toBe(owner);
    await expect(flow.owner().verdict(7)).resolves.toBe('ready 7');
  });

  it('refuses a second owner', () => {
    const flow = createFlow<object>('source activation', 'modules');
    flow.ownedBy({});
    expect(() => flow.ownedBy({})).toThrow('flow "source activation" already has its owner');
  });

  it('fails the composition while any flow is left without its owner, naming each', () => {
    const flows = createFlows();
    expect(() => assertOwned(flows)).toThrow(/storefront availability.*status sync/);
    for (const { flow } of Object.values(flows)) {
      if (flow.name !== 'status sync') (flow.ownedBy as (owner: object) => object)({});
    }
    expect(() => assertOwned(flows)).toThrow('flows without an owner: status sync');
  });

  it('asks the owner on each call through the caller side, not a copy taken at construction', async () => {
    const { storefrontAvailability } = createFlows();
    const availability = storefrontAvailability.availability;
    const live = { canTransact: true, effectiveStatus: 'live' as const, blockerIds: [] };
    storefrontAvailability.flow.ownedBy({ availability: async () => live });
    await expect(availability({} as never)).resolves.toEqual(live);
  });
});
