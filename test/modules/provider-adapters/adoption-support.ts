import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { agentClient } from '../../agents/storefront-agent-support.js';

/*
 * The lost-answer tests every sales provider runs (<provider>-adoption.test.ts): a buyer books
 * over MCP, the provider makes an object but its answer is lost, and the buyer retries under the
 * same idempotency key. The provider's own records must then hold one object per object asked.
 */

export const account = {
  brand: { domain: 'acmeoutdoor.example' },
  operator: 'acmeoutdoor.example',
};

interface Product {
  product_id: string;
  pricing_options: Array<{ pricing_option_id: string }>;
}

/**
 * A buy of one package per product (each with its own creative from `creativeOf`), its
 * countries `countries`, under a fresh idempotency key.
 */
export function packagedBuy(
  products: Product[],
  creativeOf: (index: number) => Record<string, unknown>,
  countries: string[] = ['US'],
) {
  return {
    idempotency_key: randomUUID(),
    account,
    brand: { domain: 'acmeoutdoor.example' },
    start_time: 'asap',
    end_time: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    packages: products.map((product, i) => ({
      product_id: product.product_id,
      pricing_option_id: product.pricing_options[0]!.pricing_option_id,
      budget: 400 + 100 * i,
      targeting_overlay: { geo_countries: countries },
      creatives: [creativeOf(i)],
    })),
  };
}

type Agent = Pick<Awaited<ReturnType<typeof agentClient>>, 'call'>;

/**
 * The buyer's create_media_buy fails retryable (the provider's answer was lost and it could not
 * be looked up), then the same request, same idempotency key, books: answers the booked buy.
 */
export async function bookedOnRetry(agent: Agent, request: Record<string, unknown>) {
  const failed = await agent.call('create_media_buy', request);
  expect(failed.isError, JSON.stringify(failed)).toBe(true);
  expect(failed.adcp_error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', recovery: 'transient' });
  const booked = await agent.call('create_media_buy', request);
  expect(booked.isError, JSON.stringify(booked)).toBe(false);
  const listed = await agent.call('get_media_buys', {
    account,
    media_buy_ids: [booked.media_buy_id],
  });
  expect(listed.media_buys?.[0]?.status, JSON.stringify(listed)).toBe('active');
  return booked as { media_buy_id: string };
}
