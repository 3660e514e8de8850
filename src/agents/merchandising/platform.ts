import type {
  Account,
  AccountStore,
  DecisioningPlatform,
  SalesCorePlatform,
  SalesIngestionPlatform,
  SalesPlatform,
} from '@adcp/sdk/server';
import { AdcpError } from '@adcp/sdk/server';
import type { MediaChannel } from '@adcp/sdk/types';
import type { AccountMeta as Meta } from './adcp.js';
import { agentRequest, callerScope } from './caller.js';
import { getStorefrontProducts } from './products/composition.js';
import { listCreatives, syncCreatives } from './creatives/sync.js';
import { listCreativeFormats } from './creatives/list-formats.js';
import type { MerchandisingDeps } from './deps.js';
import { createMediaBuy, type BuyTasks } from './buys/create/create.js';
import { getMediaBuyDelivery } from './buys/delivery/delivery.js';
import { getMediaBuys } from './buys/reads/reads.js';
import { withPricingType } from './products/pricing-type-filter.js';
import { withAllowedActions } from './buys/reads/actions31.js';
import { withFormatOptions } from './products/format-options.js';
import { speaks31, withVendorGoals } from '../adcp31/index.js';
import { listOwnerOf, resolveListsOf } from './property-lists/resolve.js';
import { withPropertyLists } from './property-lists/products.js';
import { updateMediaBuy } from './buys/update.js';
import { providePerformanceFeedback } from './buys/delivery/performance-feedback.js';
import { accountlessTaskLookup } from './hosting/task-registry.js';
import { admitLinkedCall } from './link-gate.js';
import { sandboxProducts } from './sandbox/upstream.js';
import { noSocial, type StorefrontSocial } from './social/tools.js';
import type { StorefrontOffer } from '../../sources/offer.js';
import { sandboxScope } from '../../sources/sandbox.js';
import type { Sandbox } from './sandbox/sandbox.js';

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

/** The mark of a sandbox account's id (the buyer declared it sandbox: resolve below). */
export const sandboxAccountPrefix = 'sandbox_';

/** The id of a {brand, operator} account: stable, and marked when it is a sandbox account. */
export function derivedAccountId(ref: {
  brand: { domain: string };
  operator?: string;
  sandbox?: boolean;
}) {
  const base = `acct_${ref.brand.domain}${ref.operator ? `_${ref.operator}` : ''}`;
  return ref.sandbox === true ? `${sandboxAccountPrefix}${base}` : base;
}

/**
 * Accounts on a storefront agent belong to the calling buyer: a reference by id names one of
 * its accounts, a {brand, operator} reference derives one. The buyer's API key, not the
 * reference, decides whose data a call sees (records are filtered by customer). The SDK keys
 * its tasks by account id, so the id it sees is scoped to this buyer on this storefront: two
 * buyers both naming `acme_media` (or one buyer on two storefronts) hold two accounts, and
 * tasks_get finds none of the other's tasks.
 */
function accountStore(sandboxes: Pick<Sandbox, 'accountStatus'>): AccountStore<Meta> {
  return {
    resolve: async (ref, ctx) => {
      const { principal } = agentRequest();
      // tasks_get names only the task (AdCP 3.0): it is looked up among all the caller's tasks.
      if (!ref && ctx?.toolName === 'tasks_get') {
        return {
          id: accountlessTaskLookup(),
          name: 'Tasks of this buyer',
          status: 'active',
          ctx_metadata: { accountId: `buyer_${principal.customerId}` },
        };
      }
      const accountId =
        ref && 'account_id' in ref
          ? ref.account_id
          : ref && 'brand' in ref
            ? derivedAccountId(ref)
            : `buyer_${principal.customerId}`;
      // Sandbox is the buyer's to declare: a sandbox account's seeded inventory is its own and
      // sold by the storefront itself (sandbox.ts), never by a real source.
      const sandbox =
        (ref && 'brand' in ref && ref.sandbox === true) ||
        accountId.startsWith(sandboxAccountPrefix);
      // A sandbox account's status is what the test controller forced (force_account_status).
      const { storefront } = agentRequest();
      const status = sandbox
        ? (sandboxes.accountStatus(sandboxScope(storefront.id, principal.customerId), accountId) ??
          'active')
        : 'active';
      const account: Account<Meta> = {
        id: `${callerScope()}/${accountId}`,
        name: ref && 'brand' in ref ? `${ref.brand.domain} via storefront` : `Account ${accountId}`,
        status,
        ...(ref &&
          'brand' in ref && { brand: ref.brand, ...(ref.operator && { operator: ref.operator }) }),
        ctx_metadata: { accountId, ...(ref && { reference: ref }) },
        ...(sandbox && { sandbox: true }),
      };
      return account;
    },
    // sync_accounts: a buyer's accounts on a storefront need no onboarding; each reference is
    // acknowledged as an active account of the caller (its id derived as in resolve).
    upsert: async (refs) =>
      refs.flatMap((ref) => {
        if (!('brand' in ref)) return [];
        return [
          {
            account_id: derivedAccountId(ref),
            brand: ref.brand,
            operator: ref.operator ?? ref.brand.domain,
            name: `${ref.brand.domain} via storefront`,
            action: 'created' as const,
            status: 'active' as const,
            ...(ref.sandbox !== undefined && { sandbox: ref.sandbox }),
          },
        ];
      }),
  };
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
  },
) {
  const { checkPushUrl, offer } = options;
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
        ? await resolveListsOf(deps.propertyLists, owner, request, '')
        : undefined;
      const over = lists ? { ...deps, sources: withPropertyLists(deps.sources, lists) } : deps;
      const live = () => getStorefrontProducts(over, storefront, principal.customerId, request);
      // A sandbox account's answers may be forced stale (sandbox/upstream.ts); live ones never.
      const answer =
        ctx.account.sandbox === true ? await sandboxProducts(deps, live) : await live();
      // AdCP 3.1: the pricing type asked for, each product's action template and canonical
      // formats, for 3.1 callers only.
      if (!speaks31()) return answer;
      const products = withAllowedActions(
        withFormatOptions(withPricingType(answer.products, request.filters)),
      );
      return { ...answer, ...(lists && { property_list_applied: true }), products };
    },
    listCreativeFormats: (request) => listCreativeFormats(deps, request),
    createMediaBuy: async (request, ctx) => {
      assertNotPaused();
      assertAccountActive(ctx.account);
      await admitLinkedCall(deps.links, request.ext);
      await checkPushUrl(request);
      // A 3.1 buyer's vendor_metric goals, held past the SDK's 3.0 validation (adcp31 layer).
      const asSent = speaks31() ? withVendorGoals(request) : request;
      return createMediaBuy(deps, tasks, asSent, ctx);
    },
    updateMediaBuy: async (mediaBuyId, patch, ctx) => {
      assertNotPaused();
      assertAccountActive(ctx.account);
      await admitLinkedCall(deps.links, patch.ext);
      await checkPushUrl(patch);
      return updateMediaBuy(deps, mediaBuyId, patch);
    },
    getMediaBuys: (request) => getMediaBuys(deps, request),
    getMediaBuyDelivery: (request) => getMediaBuyDelivery(deps, request),
    syncCreatives: (creatives, ctx) =>
      syncCreatives(
        deps,
        creatives,
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
      ...accountStore(deps.sandbox),
      ...(social.listAccounts && { list: social.listAccounts }),
      ...(social.getAccountFinancials && { getAccountFinancials: social.getAccountFinancials }),
    },
    sales,
    ...(social.audiences && { audiences: social.audiences }),
  } satisfies DecisioningPlatform<Record<string, never>, Meta>;
}
