import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { defaultReadCacheTtlMs } from '../../src/platform/read-cache.js';

export const reviews = '/api/v2/storefront/creative-reviews';
export const approvals = '/api/v2/storefront/media-buy-approvals';
export const account = { account_id: 'acme_media' };

/** A display 300x250 creative manifest as a buyer syncs it. */
export function creative(id: string) {
  return {
    creative_id: id,
    name: `Creative ${id}`,
    format_id: { agent_url: 'https://creative.example/mcp', id: 'display_300x250' },
    assets: {
      image: { asset_type: 'image', url: `https://cdn.example/${id}.png`, width: 300, height: 250 },
    },
  };
}

export const newCreativeId = () => `cr_${randomUUID().slice(0, 8)}`;

/** What {@link libraryAndInline} runs on: the file's harness, its address and two sellers. */
export interface CreativeWorld {
  h: Harness;
  base: string;
  library: RunningSeller;
  inline: RunningSeller;
}

/**
 * The file's harness, listening, and two MCP sellers for {@link libraryAndInline}, made before
 * its tests and closed after them; read its fields inside a test.
 */
export function creativeWorld(): CreativeWorld {
  const world = {} as CreativeWorld;
  beforeAll(async () => {
    world.h = await createHarness();
    world.base = await listen(world.h);
    [world.library, world.inline] = await Promise.all([startSeller('mcp'), startSeller('mcp')]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([world.library?.close(), world.inline?.close()]);
    await world.h?.close();
  });
  return world;
}

/**
 * A storefront over a source with a creative library ('lib') and one without ('inl'), and a
 * buyer's agent client on it.
 */
export async function libraryAndInline(
  h: Harness,
  base: string,
  sellers: { library: RunningSeller; inline: RunningSeller },
  settings: Record<string, unknown> = {},
) {
  const sf = await storefrontWith(
    h,
    [
      { sourceId: 'lib', url: sellers.library.url },
      { sourceId: 'inl', url: sellers.inline.url },
    ],
    settings,
  );
  // Both written before the one wait for the read cache.
  await h.database.queryable.query(
    `update inventory_sources set capabilities = jsonb_set(capabilities, '{creativeHasCreativeLibrary}', to_jsonb(source_id = 'lib'))
     where storefront_id = $1 and deleted_at is null`,
    [sf.id],
  );
  await new Promise((resolve) => setTimeout(resolve, defaultReadCacheTtlMs + 50));
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, sf.platformId, buyer.key);
  return { sf, buyer, agent };
}

type Agent = Awaited<ReturnType<typeof agentClient>>;

/** Syncs the creatives to the storefront; answers its per-creative results. */
export async function sync(agent: Agent, creatives: Array<Record<string, unknown>>) {
  const synced = await agent.call('sync_creatives', {
    idempotency_key: randomUUID(),
    account,
    creatives,
  });
  expect(synced.isError, JSON.stringify(synced)).toBe(false);
  return synced.creatives as Array<Record<string, unknown>>;
}

/** The buyer withdraws a creative the AdCP way: sent again with status archived. */
export async function archive(agent: Agent, id: string) {
  return agent.call('sync_creatives', {
    idempotency_key: randomUUID(),
    account,
    creative_ids: [id],
    creatives: [{ ...creative(id), status: 'archived' }],
  });
}

type Assignment = { creative_id: string } & Record<string, unknown>;

/**
 * create_media_buy over one product of each source ('lib__', 'inl__'), each assigned the same
 * creatives (ids, or assignments with their weight and placements).
 */
export async function buyBoth(agent: Agent, ids: Array<string | Assignment>) {
  const { products } = await agent.call('get_products', { buying_mode: 'wholesale' });
  const pick = (prefix: string) =>
    products.find((p: { product_id: string }) => p.product_id.startsWith(prefix));
  return agent.call('create_media_buy', {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acme.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: [pick('lib__'), pick('inl__')].map((p) => ({
      product_id: p.product_id,
      pricing_option_id: p.pricing_options[0].pricing_option_id,
      budget: 20_000,
      creative_assignments: ids.map((id) => (typeof id === 'string' ? { creative_id: id } : id)),
    })),
  });
}

/** What each package of the buy carries, as its sources report it (sorted ids per package). */
export async function carriedBy(agent: Agent, mediaBuyId: string): Promise<string[][]> {
  const { media_buys } = await agent.call('get_media_buys', { media_buy_ids: [mediaBuyId] });
  return (media_buys[0].packages as Array<Record<string, unknown>>).map((p) =>
    ((p['creative_approvals'] ?? []) as Array<{ creative_id: string }>)
      .map((c) => c.creative_id)
      .sort(),
  );
}

/** The tool calls a seller received since `from`, of one tool. */
export const callsOf = (seller: RunningSeller, tool: string, from = 0) =>
  seller
    .toolCalls()
    .slice(from)
    .filter((c) => c.tool === tool);
