import { buildPricingOption } from '@adcp/sdk/server';
import type { StoredSourceRow } from '../../inventory-sources/index.js';
import { isRecord } from '../../../platform/is-record.js';
import { seededOptionOf } from '../../../sources/sandbox.js';
import { adcpChannelsOf } from '../../storefronts/index.js';
import type { ModularContext } from '../context.js';
import { formatsAgentUrlOf, productOf, type Product } from '../buys/products.js';
import type { PublisherProperty } from '../feeds/avail.js';
import { ledgerTakes } from '../buys/changes/ledger-actions.js';
import {
  isLiveAvailId,
  liveAvailLike,
  priceSandboxAvail,
  copyOfKey,
  sandboxStoredIdOf,
  sandboxAvailsOf,
  type SandboxAvailRow,
  upsertSandboxAvail,
} from './avails-store.js';
import { sandboxCopyOf } from './copies.js';
import {
  bookable,
  cpmOf,
  modelOf,
  optionsOf,
  reseededOptions,
  seededOptions,
  type SeededPricing,
} from './seeded-pricing.js';

/**
 * A spreadsheet source holds a sandbox buyer's seeded product as a sandbox avail of its own
 * (issue 70, item 2): the storefront offers it a sandbox buyer's seed_product (and that
 * product's seed_pricing_option) through the source port's testController; the avail is made
 * like one of the seller's own on the channel the fixture names (its formats; its publisher
 * unless the fixture names its own),
 * priced as seeded, and listed, bought and booked in the ledger for that buyer's sandbox
 * accounts only, under the id it was seeded with. A fixture on a channel the source sells
 * nothing on is refused, with the reason (the storefront's own book then holds it).
 */

/** A controller answer, as comply_test_controller shapes it. */
export type ControllerAnswer = Record<string, unknown>;

const storedIdOf = sandboxStoredIdOf;
const storedPattern = /^~sandbox\.\d+\./;

/** Whether an avail id is a sandbox avail's. */
export const isSandboxAvailId = (availId: string) => storedPattern.test(availId);
/** The id a sandbox avail is shown to its buyer by: the one it was seeded with. */
export const shownAvailId = (availId: string) => availId.replace(storedPattern, '');

/** Impressions a sandbox avail offers: never the limit of a test buy. */
const sandboxCapacity = 1_000_000_000_000;
const yearMs = 365 * 24 * 3600_000;
/**
 * A fixture runs until the end of 2100: the storyboards' flights run to 2099 (media_buy_seller's
 * `2099-08-31`), and the storefront's own book, which held fixtures before, limits none.
 */
const sandboxEnd = new Date('2100-12-31T23:59:59.999Z');

interface Seeded extends SeededPricing {
  delivery_type: 'guaranteed' | 'non_guaranteed';
  format_ids?: unknown[];
  /** AdCP 3.1's action template as seeded, the actions a ledger buy takes only (actionsOf). */
  allowed_actions?: Array<Record<string, unknown>>;
}

/**
 * The publishers a fixture names (product publisher_properties: `{publisher_domain}` alone, as
 * storyboards seed it, selects all of its properties), as the ledger keeps an avail's; undefined
 * when it names none (the avail it is made like then lends its own).
 */
function publishersOf(fixture: Record<string, unknown>): PublisherProperty[] | undefined {
  const named = fixture['publisher_properties'];
  if (!Array.isArray(named)) return undefined;
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const publishers = named
    .filter(isRecord)
    .slice(0, 20)
    .flatMap((entry): PublisherProperty[] => {
      const domain = entry['publisher_domain'];
      if (typeof domain !== 'string' || !domain || domain.length > 253) return [];
      const publisher_domain = domain.toLowerCase();
      const tags = strings(entry['property_tags']);
      const ids = strings(entry['property_ids']);
      if (entry['selection_type'] === 'by_tag' && tags.length) {
        return [{ publisher_domain, selection_type: 'by_tag', property_tags: tags }];
      }
      if (entry['selection_type'] === 'by_id' && ids.length) {
        return [{ publisher_domain, selection_type: 'by_id', property_ids: ids }];
      }
      return [{ publisher_domain, selection_type: 'all' }];
    });
  return publishers.length ? publishers : undefined;
}

/**
 * A fixture's seeded action template (product allowed_actions[]) as far as a ledger buy takes
 * each action: a product never promises a change the source cannot make. Undefined when none
 * was seeded (the storefront's own template then applies).
 */
function actionsOf(fixture: Record<string, unknown>): Seeded['allowed_actions'] {
  const seeded = fixture['allowed_actions'];
  if (!Array.isArray(seeded)) return undefined;
  return seeded
    .filter(isRecord)
    .filter((entry) => typeof entry['action'] === 'string' && ledgerTakes(entry['action']))
    .slice(0, 20);
}

const seededOf = (avail: SandboxAvailRow) => avail.sourceMetadata['sandbox_fixture'] as Seeded;

const refused = (error: string, detail: string) => ({
  success: false,
  error,
  error_detail: detail,
});

export function sandboxSeeds(ctx: ModularContext) {
  const { db } = ctx;

  async function seedProduct(
    row: StoredSourceRow,
    customerId: number,
    productId: string,
    fixture: Record<string, unknown>,
  ): Promise<ControllerAnswer> {
    // As AdCP names them: a storyboard's `video` is online video (the storefront's book reads it so).
    const channels: string[] = adcpChannelsOf(fixture['channels']);
    // A real product wins: the source never lists a fixture under one of its own products' ids.
    if (await isLiveAvailId(db, row.id, productId)) {
      return refused(
        'INVALID_PARAMS',
        `product ${productId} is one of this spreadsheet source's own products; a fixture never takes its id`,
      );
    }
    const now = ctx.now();
    // Made like the seller's own avail on each channel it names (any avail when it names none).
    let like: SandboxAvailRow | undefined;
    for (const channel of channels.length ? channels : [null]) {
      const found = await liveAvailLike(db, row.id, channel, now);
      if (!found) {
        return refused(
          'INVALID_PARAMS',
          channel
            ? `this spreadsheet source sells no ${channel} avail to hold the fixture as`
            : 'this spreadsheet source has no avail on sale to hold the fixture as',
        );
      }
      like ??= found;
    }
    const options = Array.isArray(fixture['pricing_options'])
      ? fixture['pricing_options'].filter(isRecord)
      : [];
    // Every option the ledger books is kept (seeded-pricing.ts), with those seeded before under
    // other ids (a re-seed is a replay); the first is the avail's own price.
    const stored = storedIdOf(customerId, productId);
    const [before] = await sandboxAvailsOf(db, row.id, customerId, now, [stored]);
    const priced = reseededOptions(
      options.filter(bookable).slice(0, 20),
      before && seededOf(before),
    );
    const option = priced[0];
    const allowedActions = actionsOf(fixture);
    const seeded: Seeded = {
      product_id: productId,
      delivery_type: fixture['delivery_type'] === 'guaranteed' ? 'guaranteed' : 'non_guaranteed',
      ...(Array.isArray(fixture['format_ids']) && { format_ids: fixture['format_ids'] }),
      ...(priced.length && { pricing_options: priced }),
      ...(allowedActions && { allowed_actions: allowedActions }),
    };
    const written = await upsertSandboxAvail(db, {
      inventorySourceId: row.id,
      storefrontId: row.storefrontId,
      customerId,
      availId: stored,
      name:
        typeof fixture['name'] === 'string'
          ? fixture['name'].slice(0, 255)
          : `Sandbox ${productId}`,
      channel: channels[0] ?? like!.channel,
      startTime: new Date(now.getTime() - yearMs),
      endTime: sandboxEnd,
      impressionsCapacity: sandboxCapacity,
      cpm: cpmOf(option),
      currency: typeof option?.['currency'] === 'string' ? option['currency'] : 'USD',
      formatOptions: like!.formatOptions,
      // Where it serves: on the publishers the buyer seeded it with, else the avail's own.
      publisherProperties: publishersOf(fixture) ?? like!.publisherProperties,
      sourceMetadata: { sandbox_fixture: seeded },
    });
    if (!written) return refused('INVALID_PARAMS', `product ${productId} is not the buyer's`);
    return {
      success: true,
      message: `Fixture seeded as a sandbox avail of ${row.sourceId} (listed and booked for your sandbox accounts only)`,
    };
  }

  async function seedPricingOption(
    row: StoredSourceRow,
    customerId: number,
    params: Record<string, unknown>,
  ): Promise<ControllerAnswer> {
    const productId = String(params['product_id']);
    const option = seededOptionOf(params);
    if (!bookable(option)) {
      return refused(
        'INVALID_PARAMS',
        'a spreadsheet source prices its avails by CPM (or vCPM) only',
      );
    }
    const stored = storedIdOf(customerId, productId);
    const [avail] = await sandboxAvailsOf(db, row.id, customerId, ctx.now(), [stored]);
    if (!avail) return refused('NOT_FOUND', `no seeded product ${productId} at ${row.sourceId}`);
    // One more option, or the one of that id re-seeded; the avail's own price is the first's.
    const seeded = seededOf(avail);
    const kept = seededOptions(seeded)
      .filter((o) => o['pricing_option_id'] !== option['pricing_option_id'])
      .slice(0, 19);
    const all = [...kept, option];
    const first = all[0]!;
    const { pricing_option: _one, ...rest } = seeded;
    const priced = await priceSandboxAvail(
      db,
      { inventorySourceId: row.id, customerId, availId: stored },
      {
        cpm: cpmOf(first),
        currency: typeof first['currency'] === 'string' ? first['currency'] : 'USD',
        sourceMetadata: { sandbox_fixture: { ...rest, pricing_options: all } },
      },
    );
    if (!priced) return refused('NOT_FOUND', `no seeded product ${productId} at ${row.sourceId}`);
    return { success: true, message: `Pricing option seeded on ${row.sourceId}'s sandbox avail` };
  }

  return {
    /** A sandbox buyer's seed (the storefront admitted it as a sandbox account's). */
    seed(
      row: StoredSourceRow,
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
        return seedProduct(row, customerId, productId, fixture);
      }
      if (request['scenario'] === 'seed_pricing_option') {
        return seedPricingOption(row, customerId, params);
      }
      return Promise.resolve(
        refused('UNKNOWN_SCENARIO', `a spreadsheet source seeds products and pricing only`),
      );
    },

    /** The buyer's sandbox avails as AdCP products, under the ids they were seeded with. */
    async products(row: StoredSourceRow, customerId: number): Promise<Product[]> {
      const avails = await sandboxAvailsOf(db, row.id, customerId, ctx.now());
      if (!avails.length) return [];
      const agentUrl = await formatsAgentUrlOf(db, row.id);
      return avails.map((avail) => productOfSeed(avail, agentUrl));
    },

    /**
     * A sandbox buy's packages with the ids they name made the ledger's: a product the buyer
     * seeded here is its sandbox avail, and its pricing option that avail's.
     */
    async asStored<
      P extends { productId: string; pricingOptionId: string; cpm?: number | undefined },
    >(row: StoredSourceRow, customerId: number, packages: P[]): Promise<P[]> {
      const ids = packages.map((p) => storedIdOf(customerId, p.productId));
      const avails = await sandboxAvailsOf(db, row.id, customerId, ctx.now(), ids);
      // The buyer's copies of the seller's own avails are made again at each buy (asCopy).
      const seeded = avails.filter((a) => !(copyOfKey in a.sourceMetadata));
      const byShown = new Map(seeded.map((a) => [shownAvailId(a.availId), a]));
      const stored: P[] = [];
      for (const pkg of packages) {
        const avail = byShown.get(pkg.productId);
        stored.push(avail ? asSeeded(pkg, avail) : await asCopy(row, customerId, pkg));
      }
      return stored;
    },
  };

  /** A package of one of the seller's own avails, booked on the buyer's copy of it (copies.ts). */
  async function asCopy<P extends { productId: string; pricingOptionId: string }>(
    row: StoredSourceRow,
    customerId: number,
    pkg: P,
  ): Promise<P> {
    // Any other option is refused by the ledger's pricing, naming the product as the buyer did.
    if (pkg.pricingOptionId !== `${pkg.productId}_cpm`) return pkg;
    const copy = await sandboxCopyOf(db, row, customerId, pkg.productId, ctx.now());
    return copy ? { ...pkg, productId: copy, pricingOptionId: `${copy}_cpm` } : pkg;
  }
}

/** A package of a product the buyer seeded, as its sandbox avail books it. */
function asSeeded<
  P extends { productId: string; pricingOptionId: string; cpm?: number | undefined },
>(pkg: P, avail: SandboxAvailRow): P {
  // The option the buy names, booked at its price unless the storefront quoted one.
  const option = optionsOf(seededOf(avail)).find(
    (o) => o.pricing_option_id === pkg.pricingOptionId,
  );
  if (!option) return { ...pkg, productId: avail.availId };
  return {
    ...pkg,
    productId: avail.availId,
    pricingOptionId: `${avail.availId}_cpm`,
    cpm: pkg.cpm ?? cpmOf(option),
  };
}

export type SandboxSeeds = ReturnType<typeof sandboxSeeds>;

/** A sandbox avail as its buyer sees it: the seeded id, delivery type, formats and price. */
function productOfSeed(avail: SandboxAvailRow, agentUrl: string): Product {
  const seeded = seededOf(avail);
  const product = productOf(avail, agentUrl);
  const formats = (seeded.format_ids ?? []).filter(isRecord).flatMap((f) =>
    typeof f['id'] === 'string'
      ? [
          {
            id: f['id'],
            agent_url: typeof f['agent_url'] === 'string' ? f['agent_url'] : agentUrl,
          },
        ]
      : [],
  );
  const { forecast: _forecast, ...rest } = product as Product & { forecast?: unknown };
  return {
    ...(seeded.delivery_type === 'guaranteed' ? product : rest),
    product_id: seeded.product_id,
    description: `Seeded for a sandbox account: sold to your sandbox accounts only, never delivered.`,
    delivery_type: seeded.delivery_type,
    ...(formats.length && { format_ids: formats }),
    ...(seeded.allowed_actions && { allowed_actions: seeded.allowed_actions }),
    pricing_options: optionsOf(seeded).map((option, index) => {
      // The first is the avail's own price (a fixture seeded without one: the default).
      const price = index === 0 ? Number(avail.cpm) : cpmOf(option);
      const floor =
        typeof option['floor_price'] === 'number' && option['fixed_price'] === undefined;
      return buildPricingOption({
        id: option.pricing_option_id,
        model: modelOf(option),
        ...(floor ? { floor: price } : { fixed: price }),
        currency:
          typeof option['currency'] === 'string' ? option['currency'] : (avail.currency ?? 'USD'),
      });
    }),
  };
}
