import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamClient, type UpstreamClient } from '../../src/upstream/index.js';
import { startSeller, startToolsOnlySeller, type RunningSeller } from '../fixtures/sellers.js';
import { failure, success, targetOf } from './tool-call-support.js';

interface Product {
  product_id: string;
  channels?: string[];
  pricing_options: Array<{ pricing_option_id: string; min_spend_per_package?: number }>;
}
interface ProductsAnswer {
  products: Product[];
}

let upstream: UpstreamClient;
let mcp: RunningSeller;
let a2a: RunningSeller;

beforeAll(async () => {
  upstream = createUpstreamClient({ allowPrivateNetwork: true });
  [mcp, a2a] = await Promise.all([startSeller('mcp'), startSeller('a2a')]);
});

afterAll(async () => {
  await upstream.close();
  await Promise.all([mcp, a2a].map((s) => s?.close()));
});

/** A create_media_buy request the demo seller accepts for `product`. */
function mediaBuyRequest(accountId: string, product: Product): Record<string, unknown> {
  const pricing = product.pricing_options[0];
  if (!pricing) throw new Error(`${product.product_id} has no pricing option`);
  return {
    idempotency_key: randomUUID(),
    account: { account_id: accountId },
    brand: { domain: 'acme.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    packages: [
      {
        product_id: product.product_id,
        pricing_option_id: pricing.pricing_option_id,
        budget: Math.max(pricing.min_spend_per_package ?? 0, 1_000),
      },
    ],
  };
}

const protocols = [
  ['MCP', () => mcp],
  ['A2A', () => a2a],
] as const;

describe.each(protocols)('calling AdCP tools over %s', (_protocol, seller) => {
  it('ranks products for a brief', async () => {
    const result = success(
      await upstream.callTool<ProductsAnswer>(targetOf(seller()), 'get_products', {
        buying_mode: 'brief',
        brief: 'ctv live sports',
      }),
    );
    expect(result.status).toBe('completed');
    expect(result.taskId).toBeUndefined();
    expect(result.data.products).toHaveLength(30);
    expect(result.data.products[0]?.product_id).toBe('ctv_live_sports');
  });

  it('lists wholesale inventory filtered by channel', async () => {
    const result = success(
      await upstream.callTool<ProductsAnswer>(targetOf(seller()), 'get_products', {
        buying_mode: 'wholesale',
        filters: { channels: ['ctv'] },
      }),
    );
    expect(result.data.products).toHaveLength(7);
    expect(result.data.products.every((p) => p.channels?.includes('ctv'))).toBe(true);
  });

  it('lists creative formats', async () => {
    const result = success(
      await upstream.callTool<{ formats: Array<{ format_id: { id: string } }> }>(
        targetOf(seller()),
        'list_creative_formats',
        {},
      ),
    );
    expect(result.data.formats.map((f) => f.format_id.id)).toEqual(
      expect.arrayContaining(['display_300x250', 'ctv_30s', 'audio_60s']),
    );
  });

  it('books a media buy that get_media_buys then reports', async () => {
    const target = targetOf(seller());
    const { data } = success(
      await upstream.callTool<ProductsAnswer>(target, 'get_products', { buying_mode: 'wholesale' }),
    );
    const product = data.products.find((p) => p.channels?.includes('ctv'));
    if (!product) throw new Error('no CTV product');
    const accountId = `acct_${randomUUID().slice(0, 8)}`;
    const created = success(
      await upstream.callTool<{ media_buy_id: string; packages: unknown[] }>(
        target,
        'create_media_buy',
        mediaBuyRequest(accountId, product),
      ),
    );
    expect(created.status).toBe('completed');
    expect(created.data.media_buy_id).toMatch(/^mb_/);
    expect(created.data.packages).toHaveLength(1);

    const listed = success(
      await upstream.callTool<{ media_buys: Array<{ media_buy_id: string }> }>(
        target,
        'get_media_buys',
        { account: { account_id: accountId } },
      ),
    );
    expect(listed.data.media_buys.map((buy) => buy.media_buy_id)).toEqual([
      created.data.media_buy_id,
    ]);
  });

  it("returns the agent's error for a media buy of a product it does not sell", async () => {
    const request = mediaBuyRequest('acct_missing', {
      product_id: 'no_such_product',
      pricing_options: [{ pricing_option_id: 'no_such_product_cpm_fixed' }],
    });
    const result = failure(
      await upstream.callTool(targetOf(seller()), 'create_media_buy', request),
    );
    expect(result.error.code).toBe('tool_error');
    expect(result.error.message).toContain('PRODUCT_NOT_FOUND');
    expect(result.error.message).toContain('Product not found: no_such_product');
    expect(result.error.details).toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
  });

  it('returns the validation issues of a request the agent rejects', async () => {
    const result = failure(
      await upstream.callTool(targetOf(seller()), 'get_products', { brief: 'no buying mode' }),
    );
    expect(result.error.code).toBe('tool_error');
    expect(result.error.details).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [expect.objectContaining({ pointer: '/buying_mode' })],
    });
  });

  it('reports a tool the agent does not have as a tool error', async () => {
    const result = failure(await upstream.callTool(targetOf(seller()), 'no_such_tool', {}));
    expect(result.error.code).toBe('tool_error');
  });
});

describe('answers that are not plain success', () => {
  it('reports an async task envelope with its status and task id', async () => {
    const seller = await startToolsOnlySeller(['create_media_buy'], {
      create_media_buy: { status: 'submitted', task_id: 'task_io_42', message: 'Awaiting IO' },
    });
    try {
      const result = success(await upstream.callTool(targetOf(seller), 'create_media_buy', {}));
      expect(result).toMatchObject({ status: 'submitted', taskId: 'task_io_42' });
    } finally {
      await seller.close();
    }
  });

  it('keeps errors beside results as warnings, but an errors-only answer is a tool error', async () => {
    const warning = { code: 'PARTIAL', message: 'Some products were filtered out' };
    const seller = await startToolsOnlySeller(['get_products', 'create_media_buy'], {
      get_products: { products: [], errors: [warning] },
      create_media_buy: { errors: [{ code: 'BUDGET_TOO_LOW', message: 'Budget below floor' }] },
    });
    try {
      const listed = success(await upstream.callTool(targetOf(seller), 'get_products', {}));
      expect(listed.data).toEqual({ products: [], errors: [warning] });
      const refused = failure(await upstream.callTool(targetOf(seller), 'create_media_buy', {}));
      expect(refused.error).toMatchObject({
        code: 'tool_error',
        message: expect.stringContaining('BUDGET_TOO_LOW'),
        details: { errors: [{ code: 'BUDGET_TOO_LOW' }] },
      });
    } finally {
      await seller.close();
    }
  });
});
