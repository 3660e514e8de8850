import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkSchemaValidator } from '../../src/agents/hosting/sdk-schema-validator.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { specViolations } from './adcp31-spec-schemas.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { account, callsOf } from './storefront-creatives-support.js';

/*
 * update_media_buy of a buy whose packages sit at two sellers (two built-in demo sellers, which
 * apply budget changes), through the official MCP client. When one seller takes the update and
 * the other refuses it, the buyer is told per package what did not take and why, and each
 * package is shown as its seller holds it, never as asked; what the one seller applied stays
 * applied. Every seller refusing is an error answer. A 3.1 update naming packages reads each
 * seller at most once before it and once after it.
 */

let h: Harness;
let base: string;
let east: RunningSeller;
let west: RunningSeller;
let platformId: string;
beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  [east, west] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
  const sf = await storefrontWith(h, [
    { sourceId: 'east', url: east.url },
    { sourceId: 'west', url: west.url },
  ]);
  platformId = sf.platformId;
}, 120_000);
afterAll(async () => {
  await Promise.all([east?.close(), west?.close()]);
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const frozen = {
  error: { code: 'POLICY_VIOLATION', message: 'Budget changes are frozen for this quarter' },
};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON

/** A buyer's buy of 5,000 at each seller (3.1 or 3.0 caller), and its update and read. */
async function boughtAtBoth(version: Record<string, unknown> = v31) {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, platformId, buyer.key);
  const { products } = await agent.call('get_products', { ...v31, buying_mode: 'wholesale' });
  const at = (source: string) => products.find((p: Json) => p.product_id.startsWith(`${source}__`));
  const packageOf = (p: Json) => ({
    product_id: p.product_id,
    pricing_option_id: p.pricing_options[0].pricing_option_id,
    budget: 5_000,
  });
  const bought = await agent.call('create_media_buy', {
    ...version,
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acme.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: [packageOf(at('east')), packageOf(at('west'))],
  });
  expect(bought.isError, JSON.stringify(bought)).toBe(false);
  const idAt = (source: string) =>
    bought.packages.find((p: Json) => p.package_id.startsWith(`${source}__`)).package_id as string;
  const update = (fields: Record<string, unknown>) =>
    agent.call('update_media_buy', {
      ...version,
      idempotency_key: randomUUID(),
      account,
      media_buy_id: bought.media_buy_id,
      ...fields,
    });
  const read = () =>
    agent.call('get_media_buys', { ...version, media_buy_ids: [bought.media_buy_id] });
  return { agent, update, read, eastId: idAt('east'), westId: idAt('west') };
}

const budgetOf = (buy: Json, packageId: string) =>
  buy.packages.find((p: Json) => p.package_id === packageId)?.budget;

describe('an update one seller takes and the other refuses', () => {
  it('tells a 3.1 buyer which packages did not take and why, each as its seller holds it', async () => {
    const { agent, update, read, eastId, westId } = await boughtAtBoth();
    west.answerInstead!('update_media_buy', frozen, 1);
    try {
      const answer = await update({
        packages: [
          { package_id: eastId, budget: 6_000 },
          { package_id: westId, budget: 7_000, targeting_overlay: { geo_countries: ['FR'] } },
        ],
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      expect(specViolations('update_media_buy', answer)).toEqual([]);
      const shown = (id: string) => answer.affected_packages.find((p: Json) => p.package_id === id);
      expect(shown(eastId)).toMatchObject({ budget: 6_000 });
      // The refused package as its seller holds it: the budget and overlay it had, not as asked.
      expect(shown(westId)).toMatchObject({ budget: 5_000 });
      expect(shown(westId).targeting_overlay?.geo_countries).toBeUndefined();
      expect(answer.ext.interchange.advisories).toEqual([
        expect.objectContaining({
          code: 'UPDATE_PARTIAL',
          field: 'packages[1]',
          message: expect.stringContaining('frozen for this quarter'),
          details: expect.objectContaining({
            source_id: 'west',
            package_ids: [westId],
            source_error: expect.objectContaining({ code: 'POLICY_VIOLATION' }),
          }),
        }),
      ]);
      // What east applied holds; west's package stands as it was.
      const after = (await read()).media_buys[0];
      expect(budgetOf(after, eastId)).toBe(6_000);
      expect(budgetOf(after, westId)).toBe(5_000);
      const westRead = after.packages.find((p: Json) => p.package_id === westId);
      expect(westRead.targeting_overlay?.geo_countries).toBeUndefined();
    } finally {
      await agent.close();
    }
  });

  it('tells a 3.0 buyer too, in an answer valid for 3.0.6', async () => {
    const { agent, update, eastId, westId } = await boughtAtBoth({});
    west.answerInstead!('update_media_buy', frozen, 1);
    try {
      const answer = await update({
        packages: [
          { package_id: eastId, budget: 6_000 },
          { package_id: westId, budget: 7_000 },
        ],
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const { isError: _flag, ...wire } = answer;
      const verdict = sdkSchemaValidator().validateResponse('update_media_buy', wire);
      expect(verdict.issues).toEqual([]);
      expect(answer).not.toHaveProperty('errors');
      expect(answer.ext.interchange.advisories).toEqual([
        expect.objectContaining({
          code: 'UPDATE_PARTIAL',
          field: 'packages[1]',
          details: expect.objectContaining({ source_id: 'west', package_ids: [westId] }),
        }),
      ]);
    } finally {
      await agent.close();
    }
  });
});

describe('a change of the whole buy one seller refuses', () => {
  it('names every package at that seller as missing it', async () => {
    const { agent, update, westId } = await boughtAtBoth();
    west.answerInstead!('update_media_buy', frozen, 1);
    try {
      const end_time = new Date(Date.now() + 21 * 86_400_000).toISOString();
      const answer = await update({ end_time });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const [advisory] = answer.ext.interchange.advisories;
      expect(advisory).toMatchObject({
        code: 'UPDATE_PARTIAL',
        details: { source_id: 'west', package_ids: [westId], outcome: 'refused' },
      });
      expect(advisory).not.toHaveProperty('field');
    } finally {
      await agent.close();
    }
  });
});

describe('an update every seller refuses', () => {
  it('is an error answer naming the refusal, and nothing changed', async () => {
    const { agent, update, read, eastId, westId } = await boughtAtBoth();
    east.answerInstead!('update_media_buy', frozen, 1);
    west.answerInstead!('update_media_buy', frozen, 1);
    try {
      const answer = await update({
        packages: [
          { package_id: eastId, budget: 6_000 },
          { package_id: westId, budget: 7_000 },
        ],
      });
      expect(answer.isError).toBe(true);
      expect(answer.adcp_error).toMatchObject({
        code: 'POLICY_VIOLATION',
        message: expect.stringContaining('frozen'),
      });
      expect(answer).not.toHaveProperty('affected_packages');
      const after = (await read()).media_buys[0];
      expect([budgetOf(after, eastId), budgetOf(after, westId)]).toEqual([5_000, 5_000]);
    } finally {
      await agent.close();
    }
  });
});

describe('a 3.1 update naming packages', () => {
  it('reads each seller at most once before it and once after it', async () => {
    const { agent, update, eastId, westId } = await boughtAtBoth();
    const from = { east: east.toolCalls().length, west: west.toolCalls().length };
    try {
      const answer = await update({
        packages: [
          { package_id: eastId, budget: 6_000 },
          { package_id: westId, budget: 6_500 },
        ],
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const reads = (seller: RunningSeller, at: number) =>
        callsOf(seller, 'get_media_buys', at).length;
      expect({ east: reads(east, from.east), west: reads(west, from.west) }).toEqual({
        east: 2,
        west: 2,
      });
      expect(callsOf(east, 'update_media_buy', from.east)).toHaveLength(1);
    } finally {
      await agent.close();
    }
  });
});
