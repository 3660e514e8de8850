import type {
  Account,
  DecisioningPlatform,
  SalesCorePlatform,
  SalesIngestionPlatform,
  SalesPlatform,
} from '@adcp/sdk/server';
import { AdcpError } from '@adcp/sdk/server';
import type { MediaChannel } from '@adcp/sdk/types';
import type { AccountMeta as Meta } from './adcp.js';
import { agentRequest } from './caller.js';
import { getStorefrontProducts } from './products/composition.js';
import { syncCreatives } from './creatives/sync.js';
import { listCreativeFormats, listCreatives } from './creatives/lists.js';
import type { MerchandisingDeps } from './deps.js';
import { createMediaBuy, type BuyTasks } from './buys/create/create.js';
import { getMediaBuyDelivery } from './buys/delivery/delivery.js';
import { getMediaBuys } from './buys/reads/reads.js';
import { withPricingType } from './products/filters/fixed-price.js';
import { withAllowedActions } from './buys/reads/actions31.js';
import { withFormatAdvisories, withFormatOptions } from './products/format-options.js';
import {
  productPartsHeld,
  speaks31,
  withCanonicalCreatives,
  withPixelTrackers,
  withVendorGoals,
} from '../adcp31/index.js';
import { listOwnerOf, resolveListsOf } from './property-lists/resolve.js';
import { withPropertyLists } from './property-lists/products.js';
import { updateMediaBuy } from './buys/update/update.js';
import { providePerformanceFeedback } from './buys/delivery/performance-feedback.js';
import { admitLinkedCall } from './link-gate.js';
import { sandboxProducts } from './sandbox/upstream.js';
import { refuseFixturesOnLive } from './sandbox/fixtures/fixture-gate.js';
import {
  answeredBySeededIds,
  listedBySeededIds,
  withFixturesAtSources,
  withRefinedFixtures,
} from './sandbox/fixtures/seeded-ids.js';
import { noSocial, type StorefrontSocial } from './social/tools.js';
import type { StorefrontOffer } from '../../sources/offer.js';
import { type AccountBook, accountStore, sandboxAccountOf } from './accounts/store.js';
import type { ReadMode } from './buys/forwarded-buys.js';
import { callsWithSandboxKey } from './accounts/sandbox-credential.js';

const pausedMessage =
  'This storefront is paused by its operator: it shows no products and takes no new or changed buys';

/**
 * The seller's intake hold (PUT /api/v2/storefront {isPaused: true}): discovery answers no
 * products and says why; creating or changing a buy is refused. Reading buys, delivery and
 * creatives goes on: existing delivery is not paused.
 */
function assertNotPaused(): void {
  if (agentRequest().storefront.pausedAt) {
    throw new AdcpError('SERVICE_UNAVAILABLE', { message: pausedMessage, recovery: 'transient' });
  }
}

/**
 * An account the test controller holds out of business (suspended, payment_required, …) takes
 * no new or changed buys, as a seller's account in that state would not.
 */
function assertAccountActive(account: Account<Meta>): void {
  if (account.status === 'active') return;
  const code =
    account.status === 'payment_required' ? 'ACCOUNT_PAYMENT_REQUIRED' : 'ACCOUNT_SUSPENDED';
  throw new AdcpError(code, {
    message: `Account ${account.ctx_metadata.accountId} is ${account.status}: it takes no buys`,
    recovery: 'terminal',
  });
}

/**
 * A storefront as an @adcp/sdk decisioning platform: every sales tool over its sources.
 * `checkPushUrl` refuses a push_notification_config.url webhooks could not be delivered to; the
 * SDK hands the request to the media-buy tools only (sync_creatives gets its creatives alone,
 * and relies on delivery's own guard).
 */
export function createStorefrontPlatform(
  deps: MerchandisingDeps,
  tasks: BuyTasks,
  options: {
    channels: MediaChannel[];
    checkPushUrl: (request: unknown) => Promise<void>;
    /** The sales-social tools its sources offer (social/tools.ts storefrontSocial); none if omitted. */
    social?: StorefrontSocial;
    /** What its active sources can do (sources/offer.ts): only those tools are offered. */
    offer: StorefrontOffer;
    /** Where sync_accounts records the buyer's accounts; none: acknowledged, not kept. */
    accountBook?: AccountBook;
  },
) {
  const { checkPushUrl, offer } = options;
  // A read naming an account covers that account's kind (a sandbox key's, sandbox ones only).
  const readMode = (named: unknown, account: { sandbox?: boolean | undefined }): ReadMode => ({
    only: callsWithSandboxKey()
      ? 'sandbox'
      : named === undefined
        ? undefined
        : account.sandbox
          ? 'sandbox'
          : 'live',
    isSandboxAccount: sandboxAccountOf(options.accountBook),
  });
  const social = options.social ?? noSocial;
  const all: SalesCorePlatform<Meta> & SalesIngestionPlatform<Meta> = {
    getProducts: async (request, ctx) => {
      const { storefront, principal } = agentRequest();
      if (storefront.pausedAt) {
        return { products: [], errors: [{ code: 'SERVICE_UNAVAILABLE', message: pausedMessage }] };
      }
      await admitLinkedCall(deps.links, request.ext);
      // AdCP 3.1: the buyer's property lists narrow what sources answer (3.1 callers only).
      const owner = listOwnerOf(principal.customerId);
      const lists = speaks31()
        ? await resolveListsOf(deps.propertyLists, owner, request, '', ctx.account)
        : undefined;
      const over = lists ? { ...deps, sources: withPropertyLists(deps.sources, lists) } : deps;
      // Only a sandbox account sees the buyer's seeded fixtures (composition.ts).
      const sandbox = ctx.account.sandbox === true;
      // A sandbox account names and reads the fixtures sources hold by their seeded ids.
      const asked = sandbox ? await withRefinedFixtures(deps, request) : request;
      const live = () =>
        getStorefrontProducts(over, storefront, principal.customerId, asked, { sandbox });
      // A sandbox account's answers may be forced stale (sandbox/upstream.ts); live ones never.
      const answer = sandbox
        ? await listedBySeededIds(deps, await sandboxProducts(deps, live))
        : await live();
      // AdCP 3.1: the pricing type asked for, each product's action template and canonical
      // formats (divergent declarations flagged in errors[]), for 3.1 callers only.
      if (!speaks31()) return answer;
      const products = withAllowedActions(
        withFormatOptions(withPricingType(answer.products, request.filters)),
      );
      // What 3.0.6 refuses of a 3.1 product, held past the SDK's 3.0 server (adcp31 layer).
      const passing = products.map(productPartsHeld);
      return {
        ...answer,
        ...(lists && { property_list_applied: true }),
        products: passing,
        ...withFormatAdvisories(answer.errors, products),
      };
    },
    listCreativeFormats: (request) => listCreativeFormats(deps, request),
    createMediaBuy: async (request, ctx) => {
      assertNotPaused();
      assertAccountActive(ctx.account);
      // A live account never buys the buyer's seeded fixtures (sandbox/fixtures/fixture-gate.ts).
      await refuseFixturesOnLive(deps, request.packages, ctx.account);
      await admitLinkedCall(deps.links, request.ext);
      await checkPushUrl(request);
      // A sandbox buy may name a fixture a source holds by its seeded id (seed-route.ts).
      const named =
        ctx.account.sandbox === true ? await withFixturesAtSources(deps, request) : request;
      // A 3.1 buyer's vendor_metric goals, held past the SDK's 3.0 validation (adcp31 layer).
      // Its canonical inline creatives too (adcp31/held/canonical-creatives.ts).
      const asSent = speaks31() ? withCanonicalCreatives(withVendorGoals(named)) : named;
      const created = await createMediaBuy(deps, tasks, asSent, ctx, syncCreatives);
      // Its packages name a held fixture as its buyer does (sandbox/fixtures/seeded-ids.ts).
      return ctx.account.sandbox === true ? answeredBySeededIds(deps, created) : created;
    },
    updateMediaBuy: async (mediaBuyId, patch, ctx) => {
      assertNotPaused();
      assertAccountActive(ctx.account);
      await admitLinkedCall(deps.links, patch.ext);
      await checkPushUrl(patch);
      const asSent = speaks31() ? withCanonicalCreatives(patch) : patch;
      const account = { sandbox: ctx.account.sandbox === true };
      const updated = await updateMediaBuy(deps, mediaBuyId, asSent, account, syncCreatives);
      return account.sandbox ? answeredBySeededIds(deps, updated) : updated;
    },
    // A live account's reads never show a sandbox account's buys (seeded ones included).
    // A sandbox buy's packages name a held fixture as its buyer does (seeded-ids.ts).
    getMediaBuys: async (request, ctx) =>
      answeredBySeededIds(
        deps,
        await getMediaBuys(deps, request, readMode(request.account, ctx.account)),
      ),
    getMediaBuyDelivery: async (request, ctx) =>
      answeredBySeededIds(
        deps,
        await getMediaBuyDelivery(deps, request, readMode(request.account, ctx.account)),
      ),
    syncCreatives: (creatives, ctx) =>
      syncCreatives(
        deps,
        // A 3.1 caller's pixel_tracker assets, held aside past the 3.0 server (adcp31).
        speaks31() ? creatives.map(withPixelTrackers) : creatives,
        { ...ctx.account.ctx_metadata, sandbox: ctx.account.sandbox === true },
        undefined,
      ),
    listCreatives: (request) => listCreatives(deps, request),
    providePerformanceFeedback: (request) => providePerformanceFeedback(deps, request),
  };
  // A tool no source answers is not offered (the SDK registers only the methods present).
  const sales: SalesPlatform<Meta> = {
    syncCreatives: all.syncCreatives,
    listCreatives: all.listCreatives,
    ...(offer.products && { getProducts: all.getProducts }),
    ...(offer.formats && { listCreativeFormats: all.listCreativeFormats }),
    ...(offer.buys && {
      createMediaBuy: all.createMediaBuy,
      updateMediaBuy: all.updateMediaBuy,
      getMediaBuys: all.getMediaBuys,
      getMediaBuyDelivery: all.getMediaBuyDelivery,
      providePerformanceFeedback: all.providePerformanceFeedback,
    }),
    ...social.sales,
  };
  return {
    capabilities: {
      specialisms: [...offer.specialisms, ...social.specialisms],
      channels: options.channels,
      pricingModels: ['cpm'] as const,
      config: {},
    },
    accounts: {
      // list_accounts is a tool of its own (accounts/list-tools.ts): the SDK's drops 3.1's fields.
      ...accountStore(deps.sandbox, options.accountBook),
      ...(social.getAccountFinancials && { getAccountFinancials: social.getAccountFinancials }),
    },
    sales,
    ...(social.audiences && { audiences: social.audiences }),
  } satisfies DecisioningPlatform<Record<string, never>, Meta>;
}
