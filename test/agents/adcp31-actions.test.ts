import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adcp31Schemas } from '../../src/agents/adcp31/index.js';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { a2aBuyer } from './a2a-buyer.js';
import { agentClient, buyOf, listen, storefrontWith } from './storefront-agent-support.js';
import { creative, reviews } from './storefront-creatives-support.js';

/*
 * AdCP 3.1's "what can be done, what is wrong" on a storefront agent, for buyers that pin 3.1:
 * allowed_actions[] on products, available_actions[] / health / impairments[] on get_media_buys,
 * ACTION_NOT_ALLOWED for an update the buy does not have open. A 3.0 buyer on the same storefront
 * keeps today's answers. NODE_ENV=production: @adcp/sdk validates nothing, so this is ours.
 */

const previousEnv = process.env['NODE_ENV'];
let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  process.env['NODE_ENV'] = 'production';
  h = await createHarness({ INTERCHANGE_PUBLIC_URL: 'http://127.0.0.1:0' });
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  process.env['NODE_ENV'] = previousEnv;
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const account = { account_id: 'acme_media' };
const {
  productAllowedAction,
  mediaBuyAvailableAction,
  impairment,
  productFormatDeclaration,
  canonicalFormatKinds,
} = adcp31Schemas;
const only31 = ['available_actions', 'health', 'impairments'];
const without = (value: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));

async function buyerOn(settings: Record<string, unknown> = {}) {
  const sf = await storefrontWith(h, [{ sourceId: 'main', url: seller.url }], settings);
  const buyer = await createCustomer(h, { role: 'BUYER' });
  return {
    sf,
    agent: await agentClient(base, sf.platformId, buyer.key),
    a2a: await a2aBuyer(base, sf.platformId, buyer.key),
  };
}

const actionsOf = (entries: Array<{ action: string }>) => entries.map((entry) => entry.action);

describe('products for a 3.1 buyer', () => {
  it(
    'carry the action template the storefront honours and canonical formats; 3.0 products as before',
    { timeout: 90_000 },
    async () => {
      const { agent, a2a } = await buyerOn();
      try {
        const old = await agent.call('get_products', { buying_mode: 'wholesale' });
        const current = await agent.call('get_products', { buying_mode: 'wholesale', ...v31 });
        const overA2a = await a2a.call('get_products', { buying_mode: 'wholesale', ...v31 });
        expect(old.products.length).toBeGreaterThan(0);
        for (const product of old.products) expect(product).not.toHaveProperty('allowed_actions');
        for (const product of [...current.products, ...overA2a.products]) {
          const template = product.allowed_actions as unknown[];
          for (const entry of template) expect(productAllowedAction.parse(entry)).toEqual(entry);
          const byAction = Object.fromEntries(
            (template as Array<{ action: string }>).map((entry) => [entry.action, entry]),
          );
          expect(byAction['pause']).toEqual({
            action: 'pause',
            modes: ['self_serve'],
            allowed_statuses: ['active'],
          });
          expect(byAction['resume']).toMatchObject({ allowed_statuses: ['paused'] });
          expect(byAction['increase_budget']).toBeDefined();
          // new_packages are not routed to sources: the storefront does not offer add_packages.
          expect(byAction['add_packages']).toBeUndefined();
        }
        expect(
          current.products.map((p: object) =>
            without(p as Record<string, unknown>, ['allowed_actions', 'format_options']),
          ),
        ).toEqual(old.products);
        // Canonical formats beside format_ids, index for index, where every format projects.
        for (const product of old.products) expect(product).not.toHaveProperty('format_options');
        const projected = current.products.filter(
          (p: { format_options?: unknown }) => p.format_options,
        );
        expect(projected.length).toBeGreaterThan(0);
        for (const product of projected) {
          expect(product.format_options).toHaveLength(product.format_ids.length);
          product.format_options.forEach((option: Record<string, unknown>, i: number) => {
            expect(productFormatDeclaration.parse(option)).toEqual(option);
            expect(canonicalFormatKinds).toContain(option['format_kind']);
            expect(option['v1_format_ref']).toEqual([product.format_ids[i]]);
          });
        }
        const options = projected.flatMap(
          (p: { format_options: Array<{ v1_format_ref: Array<{ id: string }> }> }) =>
            p.format_options,
        );
        const mrec = options.find(
          (o: { v1_format_ref: Array<{ id: string }> }) =>
            o.v1_format_ref[0]!.id === 'display_300x250',
        );
        expect(mrec).toMatchObject({ format_kind: 'image', params: { width: 300, height: 250 } });
        const formatsOf = (answer: { products: Array<{ format_options?: unknown }> }) =>
          answer.products.map((p) => p.format_options);
        expect(formatsOf(overA2a)).toEqual(formatsOf(current));
      } finally {
        await agent.close();
      }
    },
  );
});

describe('a media buy for a 3.1 buyer', () => {
  it(
    'says which actions are open, refuses one that is not with ACTION_NOT_ALLOWED, and leaves 3.0 alone',
    { timeout: 90_000 },
    async () => {
      const { agent, a2a } = await buyerOn();
      try {
        const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
        const created = await agent.call('create_media_buy', buyOf(products[0], account));
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const id = created.media_buy_id as string;

        const old = await agent.call('get_media_buys', { media_buy_ids: [id] });
        const current = await agent.call('get_media_buys', { media_buy_ids: [id], ...v31 });
        const [buy30, buy31] = [old.media_buys[0], current.media_buys[0]];
        for (const key of only31) expect(buy30).not.toHaveProperty(key);
        expect(without(buy31, only31)).toEqual(buy30);
        expect(buy31).toMatchObject({ health: 'ok', impairments: [] });
        const open = buy31.available_actions as Array<{ action: string; mode: string }>;
        for (const entry of open) expect(mediaBuyAvailableAction.parse(entry)).toEqual(entry);
        // No creative yet: the seller holds it in pending_creatives, where AdCP opens no pause.
        expect(buy31.status).toBe('pending_creatives');
        expect(actionsOf(open)).toEqual(
          expect.arrayContaining([
            'cancel',
            'increase_budget',
            'extend_flight',
            'update_targeting',
          ]),
        );
        expect(actionsOf(open)).not.toContain('pause');
        expect(actionsOf(open)).not.toContain('resume');
        expect(open.every((entry) => entry.mode === 'self_serve')).toBe(true);

        // Pausing a buy that is not running: refused before any source is asked.
        const updatesAt = () => seller.toolCalls().filter((c) => c.tool === 'update_media_buy');
        const before = updatesAt().length;
        const pause = { media_buy_id: id, account, paused: true, context: { probe: 'pause' } };
        const refused = await agent.call('update_media_buy', {
          ...pause,
          ...v31,
          idempotency_key: randomUUID(),
        });
        expect(refused).toMatchObject({
          isError: true,
          status: 'failed',
          adcp_version: '3.1',
          adcp_error: {
            code: 'ACTION_NOT_ALLOWED',
            recovery: 'correctable',
            details: { attempted_action: 'pause', reason: 'wrong_status' },
          },
          context: { probe: 'pause' },
        });
        expect(refused.adcp_error.details.currently_available_actions).toEqual(open);
        expect(refused.errors[0].code).toBe('ACTION_NOT_ALLOWED');
        const overA2a = await a2a.call('update_media_buy', {
          ...pause,
          ...v31,
          idempotency_key: randomUUID(),
        });
        expect(overA2a.state).toBe('failed');
        expect(overA2a.adcp_error).toMatchObject({
          code: 'ACTION_NOT_ALLOWED',
          details: { attempted_action: 'pause', reason: 'wrong_status' },
        });
        expect(updatesAt()).toHaveLength(before);
        // A 3.0 buyer's same request goes to the source, as before.
        const legacy = await agent.call('update_media_buy', {
          ...pause,
          idempotency_key: randomUUID(),
        });
        expect(legacy.adcp_error?.code).not.toBe('ACTION_NOT_ALLOWED');
        expect(updatesAt()).toHaveLength(before + 1);

        // A budget increase is open: done, and the answer tells what is open now.
        const now = (await agent.call('get_media_buys', { media_buy_ids: [id], ...v31 }))
          .media_buys[0];
        const raised = await agent.call('update_media_buy', {
          media_buy_id: id,
          account,
          packages: [{ package_id: now.packages[0].package_id, budget: 25_000 }],
          ...v31,
          idempotency_key: randomUUID(),
        });
        expect(raised, JSON.stringify(raised)).toMatchObject({ status: 'completed' });
        expect(actionsOf(raised.available_actions)).toEqual(actionsOf(now.available_actions));
        // Canceled, nothing is open any more: a later change is refused for the buy's status.
        const canceled = await agent.call('update_media_buy', {
          media_buy_id: id,
          account,
          canceled: true,
          ...v31,
          idempotency_key: randomUUID(),
        });
        expect(canceled).toMatchObject({ status: 'completed', media_buy_status: 'canceled' });
        expect(canceled.available_actions).toEqual([]);
        // A terminal buy answers the codes 3.1's state machine reserves, not ACTION_NOT_ALLOWED.
        const change = (update: Record<string, unknown>) =>
          agent.call('update_media_buy', {
            media_buy_id: id,
            account,
            ...update,
            ...v31,
            idempotency_key: randomUUID(),
            context: { probe: 'terminal' },
          });
        const late = await change({
          end_time: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        });
        expect(late.adcp_error).toMatchObject({ code: 'INVALID_STATE', recovery: 'correctable' });
        const paused = await change({ paused: true });
        expect(paused).toMatchObject({
          isError: true,
          adcp_error: { code: 'INVALID_STATE' },
          context: { probe: 'terminal' },
        });
        const again = await change({ canceled: true });
        expect(again).toMatchObject({
          isError: true,
          adcp_error: { code: 'NOT_CANCELLABLE', recovery: 'correctable' },
          context: { probe: 'terminal' },
        });
        expect(updatesAt()).toHaveLength(before + 3);
        // A 3.0 buyer's re-cancel is still the source's to judge, as before.
        await agent.call('update_media_buy', {
          media_buy_id: id,
          account,
          canceled: true,
          idempotency_key: randomUUID(),
        });
        expect(updatesAt()).toHaveLength(before + 4);
      } finally {
        await agent.close();
      }
    },
  );

  it(
    'is impaired by a creative the operator rejected, on the package it leaves with none',
    { timeout: 90_000 },
    async () => {
      const { sf, agent, a2a } = await buyerOn({ creativeApproval: 'manual' });
      try {
        const creativeId = `cr_${randomUUID().slice(0, 8)}`;
        const synced = await agent.call('sync_creatives', {
          idempotency_key: randomUUID(),
          account,
          creatives: [creative(creativeId)],
        });
        expect(synced.isError, JSON.stringify(synced)).toBe(false);
        const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
        const order = buyOf(products[0], account);
        order.packages[0] = {
          ...order.packages[0]!,
          creative_assignments: [{ creative_id: creativeId }],
        } as (typeof order.packages)[number];
        const created = await agent.call('create_media_buy', order);
        expect(created.isError, JSON.stringify(created)).toBe(false);
        const id = created.media_buy_id as string;

        const pending = await agent.call('get_media_buys', { media_buy_ids: [id], ...v31 });
        // Awaiting review is not offline: it serves once approved.
        expect(pending.media_buys[0]).toMatchObject({ health: 'ok', impairments: [] });

        const queue = await h.call('GET', reviews, { key: sf.seller.key });
        const review = (queue.body.data.items as Array<Record<string, string>>).find(
          (r) => r['creativeId'] === creativeId,
        );
        const decided = await h.call('POST', `${reviews}/${review!['reviewId']}/decide`, {
          key: sf.seller.key,
          body: { status: 'rejected', reviewer_notes: 'The logo covers the product' },
        });
        expect(decided.status, decided.text).toBe(200);

        const read = await agent.call('get_media_buys', { media_buy_ids: [id], ...v31 });
        const buy = read.media_buys[0];
        expect(buy.health).toBe('impaired');
        expect(buy.impairments).toHaveLength(1);
        expect(impairment.parse(buy.impairments[0])).toEqual(buy.impairments[0]);
        expect(buy.impairments[0]).toMatchObject({
          resource_type: 'creative',
          resource_id: creativeId,
          package_ids: [buy.packages[0].package_id],
          transition: { from: 'pending_review', to: 'rejected' },
          reason_code: 'policy_violation',
          reason: 'The logo covers the product',
        });
        const overA2a = await a2a.call('get_media_buys', { media_buy_ids: [id], ...v31 });
        expect(overA2a.media_buys[0].impairments).toEqual(buy.impairments);
        // The same read, unpinned: the 3.0 answer has no health at all.
        const old = await agent.call('get_media_buys', { media_buy_ids: [id] });
        for (const key of only31) expect(old.media_buys[0]).not.toHaveProperty(key);
        // Reading the buy again answers the same open impairment (a stable id).
        const again = await agent.call('get_media_buys', { media_buy_ids: [id], ...v31 });
        expect(again.media_buys[0].impairments).toEqual(buy.impairments);
      } finally {
        await agent.close();
      }
    },
  );
});
