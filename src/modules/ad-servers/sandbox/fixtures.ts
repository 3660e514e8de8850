import { buildPricingOption } from '@adcp/sdk/server';
import type { GetProductsResponse } from '@adcp/sdk/types';
import { isRecord } from '../../../platform/is-record.js';
import { seededOptionOf } from '../../../sources/sandbox.js';
import { fineActionRollup, pauseCancelActions } from '../../../sources/buyer-actions.js';
import { adcpChannelsOf } from '../../storefronts/index.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { formatsAgentUrl, productOfRule, resolveProduct } from '../products.js';
import { productsFor } from '../product-set.js';
import { sandboxProductsOf, upsertSandboxProduct } from './store.js';

/** A product as listed, with AdCP 3.1's action template (allowed_actions[]) where seeded. */
type Product = GetProductsResponse['products'][number] & {
  allowed_actions?: Array<Record<string, unknown>>;
};

/**
 * An ad-server source holds a sandbox buyer's seeded product as a sandbox product over its
 * network's placements (issue 70, item 2), as a spreadsheet holds one as a sandbox avail
 * (modular-sources/sandbox/): the storefront offers it a sandbox buyer's seed_product (and
 * seed_pricing_option) through the source port's testController; the product is made like one
 * of the source's own on the channel the fixture names (its placements, ad units, targeting and
 * formats), under the seeded id and price, and listed and booked for that buyer's sandbox
 * accounts only. A buy of it is a real order with line items in the connected network, marked a
 * sandbox buy's and never approved there (booking/traffic.ts). A fixture on a channel the
 * network sells nothing on is refused with the reason (the storefront's own book then holds it).
 */

export type ControllerAnswer = Record<string, unknown>;
const refused = (error: string, detail: string): ControllerAnswer => ({
  success: false,
  error,
  error_detail: detail,
});

/** The CPM of a product seeded without pricing (the storefront's own book's). */
const defaultCpm = 10;

/** Every CPM pricing option seeded, each with its id (the first defaults to `<id>_cpm`). */
function optionsOf(
  productId: string,
  fixture: Record<string, unknown>,
): Array<Record<string, unknown> & { pricing_option_id: string }> {
  const seeded = Array.isArray(fixture['pricing_options'])
    ? fixture['pricing_options'].filter(isRecord)
    : [];
  const cpm = seeded.filter((o) => (o['pricing_model'] ?? 'cpm') === 'cpm').slice(0, 20);
  const listed: Array<Record<string, unknown>> = cpm.length ? cpm : [{}];
  return listed.map((option, index) => ({
    ...option,
    pricing_option_id:
      typeof option['pricing_option_id'] === 'string'
        ? option['pricing_option_id']
        : `${productId}_cpm${index ? `_${index + 1}` : ''}`,
  }));
}

/** The coarse actions an ad-server buy takes while it can change (kind source.ts actionsOf). */
const taken = new Set<string>(
  ['active', 'paused'].flatMap((status) => pauseCancelActions(status, { budgetAndDates: true })),
);

/**
 * A fixture's seeded action template (product allowed_actions[]) as far as an ad-server buy
 * takes each action (the coarse action it rolls up into is offered): a product never promises a
 * change the source cannot make.
 */
function actionsOf(fixture: Record<string, unknown>) {
  const seeded = fixture['allowed_actions'];
  if (!Array.isArray(seeded)) return undefined;
  const rollup = fineActionRollup as Readonly<Record<string, string | undefined>>;
  return seeded
    .filter(isRecord)
    .filter((entry) => taken.has(rollup[String(entry['action'])] ?? ''))
    .slice(0, 20) as Product['allowed_actions'];
}

/** A fixture is guaranteed unless seeded non-guaranteed (as the network's own products are). */
const guaranteed = (fixture: Record<string, unknown>) =>
  fixture['delivery_type'] !== 'non_guaranteed';

/** The price a seeded pricing option books at: its fixed price, else its floor. */
function cpmOf(option: Record<string, unknown> | undefined): number {
  const price = option?.['fixed_price'] ?? option?.['floor_price'] ?? option?.['rate'];
  return typeof price === 'number' && price > 0 ? price : defaultCpm;
}

export function adServerSandbox(ctx: AdServerContext) {
  const key = (connection: ConnectionRow, customerId: number) => ({
    inventorySourceId: connection.inventorySourceId,
    buyerCustomerId: customerId,
  });

  async function seedProduct(
    connection: ConnectionRow,
    customerId: number,
    productId: string,
    fixture: Record<string, unknown>,
  ): Promise<ControllerAnswer> {
    const own = await productsFor(ctx, connection);
    // A real product wins: the source never lists a fixture under one of its own products' ids.
    if (own.some((p) => p.product_id === productId)) {
      return refused(
        'INVALID_PARAMS',
        `product ${productId} is one of this ad server's own products; a fixture never takes its id`,
      );
    }
    const channels: string[] = adcpChannelsOf(fixture['channels']);
    const like = own.find(
      (p) => !channels.length || (p.channels ?? []).some((c) => channels.includes(c)),
    );
    const resolved = like && (await resolveProduct(ctx, connection, like.product_id));
    if (!resolved) {
      return refused(
        'INVALID_PARAMS',
        channels.length
          ? `this ad server sells no ${channels.join(' or ')} product to hold the fixture as`
          : 'this ad server has no product on sale to hold the fixture as',
      );
    }
    const [first] = optionsOf(productId, fixture);
    const name = typeof fixture['name'] === 'string' ? fixture['name'].slice(0, 255) : undefined;
    await upsertSandboxProduct(ctx.db, key(connection, customerId), {
      productId,
      rule: {
        ...resolved.rule,
        productId,
        // Its id's words, so a brief naming them finds it as the buyer's ids read.
        name: name ?? `Sandbox ${productId.replace(/[_-]+/g, ' ')}`,
        description: `Seeded for a sandbox account over ${resolved.rule.name}`,
        cpm: cpmOf(first),
        currency: typeof first?.['currency'] === 'string' ? first['currency'] : resolved.currency,
        minSpend: undefined,
      },
      fixture,
    });
    return {
      success: true,
      message: `Fixture seeded as a sandbox product over the ad server's ${resolved.rule.name} (listed and booked for your sandbox accounts only, as unapproved sandbox orders)`,
    };
  }

  async function seedPricingOption(
    connection: ConnectionRow,
    customerId: number,
    params: Record<string, unknown>,
  ): Promise<ControllerAnswer> {
    const productId = String(params['product_id']);
    const option = seededOptionOf(params);
    if ((option['pricing_model'] ?? 'cpm') !== 'cpm') {
      return refused('INVALID_PARAMS', 'an ad-server source books line items by CPM only');
    }
    const held = (await sandboxProductsOf(ctx.db, connection.inventorySourceId, customerId)).find(
      (row) => row.productId === productId,
    );
    if (!held) return refused('NOT_FOUND', `no seeded product ${productId} at this source`);
    // The options seeded before (never the default a product seeded without one was listed
    // with): the product is priced as seeded only.
    const before = held.fixture['pricing_options'];
    const kept = (Array.isArray(before) ? before.filter(isRecord) : [])
      .filter((o) => o['pricing_option_id'] !== option['pricing_option_id'])
      .slice(0, 19);
    const all = [...kept, option];
    await upsertSandboxProduct(ctx.db, key(connection, customerId), {
      productId,
      rule: { ...held.rule, cpm: cpmOf(all[0]) },
      fixture: { ...held.fixture, pricing_options: all },
    });
    return { success: true, message: `Pricing option seeded on the sandbox product ${productId}` };
  }

  return {
    /** A sandbox buyer's seed_product or seed_pricing_option (admitted as a sandbox account's). */
    seed(
      connection: ConnectionRow,
      customerId: number,
      request: Record<string, unknown>,
    ): Promise<ControllerAnswer> {
      const params = isRecord(request['params']) ? request['params'] : {};
      const productId = params['product_id'];
      if (typeof productId !== 'string' || !productId || productId.length > 200) {
        return Promise.resolve(refused('INVALID_PARAMS', 'params.product_id is required'));
      }
      if (request['scenario'] === 'seed_product') {
        const fixture = isRecord(params['fixture']) ? params['fixture'] : {};
        return seedProduct(connection, customerId, productId, fixture);
      }
      return seedPricingOption(connection, customerId, params);
    },

    /** The buyer's seeded products as the rules a sandbox buy books (booking/plan.ts). */
    async rules(connection: ConnectionRow, customerId: number) {
      const rows = await sandboxProductsOf(ctx.db, connection.inventorySourceId, customerId);
      return rows.map((row) => row.rule);
    },

    /** What a sandbox buy may book: the seeded products, and which were seeded non-guaranteed. */
    async booking(connection: ConnectionRow, customerId: number) {
      const rows = await sandboxProductsOf(ctx.db, connection.inventorySourceId, customerId);
      return {
        products: rows.map((row) => row.rule),
        nonGuaranteed: rows.filter((row) => !guaranteed(row.fixture)).map((row) => row.productId),
      };
    },

    /** The buyer's seeded products as AdCP products, under the ids they were seeded with. */
    async products(connection: ConnectionRow, customerId: number): Promise<Product[]> {
      const rows = await sandboxProductsOf(ctx.db, connection.inventorySourceId, customerId);
      const products: Product[] = [];
      for (const { productId, rule, fixture } of rows) {
        const product = await productOfRule(ctx, connection, rule);
        const actions = actionsOf(fixture);
        products.push({
          ...product,
          description: `Seeded for a sandbox account: sold to your sandbox accounts only, booked as an unapproved sandbox order that never serves.`,
          delivery_type: guaranteed(fixture) ? 'guaranteed' : 'non_guaranteed',
          ...formatsOf(fixture, product),
          ...(actions && { allowed_actions: actions }),
          pricing_options: optionsOf(productId, fixture).map((option, index) => {
            const price = index === 0 ? rule.cpm : cpmOf(option);
            const floor =
              typeof option['floor_price'] === 'number' && option['fixed_price'] === undefined;
            return buildPricingOption({
              id: option.pricing_option_id,
              model: 'cpm',
              ...(floor ? { floor: price } : { fixed: price }),
              currency:
                typeof option['currency'] === 'string'
                  ? option['currency']
                  : (rule.currency ?? 'USD'),
            });
          }),
        });
      }
      return products;
    },
  };
}

export type AdServerSandbox = ReturnType<typeof adServerSandbox>;

/**
 * The formats a fixture was seeded with, each naming its creative agent: storyboards seed format
 * ids without one (`{id: "display_300x250"}`), which AdCP's product schema refuses, and a product
 * it refuses is left out of the answer (products/product-check.ts). Such an id is taken to be on
 * the agent the network's own product names; none seeded: the product's own formats stand.
 */
function formatsOf(fixture: Record<string, unknown>, product: Product): Partial<Product> {
  const seeded = fixture['format_ids'];
  if (!Array.isArray(seeded)) return {};
  const agentUrl = product.format_ids?.[0]?.agent_url ?? formatsAgentUrl;
  const formatIds = seeded.filter(isRecord).flatMap((f) =>
    typeof f['id'] === 'string'
      ? [
          {
            agent_url: typeof f['agent_url'] === 'string' ? f['agent_url'] : agentUrl,
            id: f['id'],
          },
        ]
      : [],
  );
  return formatIds.length ? { format_ids: formatIds } : {};
}
