import type { AdcpLogger } from '@adcp/sdk/server';
import {
  createMerchandising,
  createSandbox,
  createSourceAnswerCache,
  createSourceRegistry,
  sourceKinds,
} from '../agents/merchandising/index.js';
import { createAccountBindingsService } from '../modules/account-bindings/index.js';
import { createMediaBuysService } from '../modules/media-buys/index.js';
import { applyProductRules } from '../modules/product-rules/index.js';
import { createSellerAnalyticsService } from '../modules/seller-analytics/index.js';
import { ed25519FromSeed } from '../platform/crypto/signing-key.js';
import type { Base } from './base.js';
import type { BuyerAccountsArea } from './buyer-accounts.js';
import type { SellerArea } from './sellers.js';

/**
 * Every storefront's Merchandising Agent and what it keeps: the sources behind the source
 * port, media buys and creative reviews with the operator's queues (which decide through the
 * agent), and seller analytics (which recommends each run's posture).
 */
export function createMerchandisingArea(
  base: Base,
  sellers: SellerArea,
  buyerAccounts: BuyerAccountsArea,
) {
  const { db, config, secrets, upstream, options } = base;
  const { storefronts, inventorySources, buyerAccess, identity } = sellers;
  const mediaBuyRecords = createMediaBuysService({ db, storefronts });
  const sellerAnalytics = createSellerAnalyticsService({
    db,
    storefronts,
    onError: options.onError,
  });
  const sandbox = createSandbox();
  // Every kind of inventory source, behind the source port (agents/merchandising/sources).
  const sources = createSourceRegistry({
    rowsOf: (storefrontId) => inventorySources.rowsOf(storefrontId),
    kinds: sourceKinds({
      agent: {
        upstream,
        inventorySources,
        buyerAccess,
        accountBindings: createAccountBindingsService({ db }),
        identity,
        linkedAccounts: buyerAccounts.advertisers.accounts,
        sourceAnswers: createSourceAnswerCache({ ttlMs: config.sourceAnswerTtlMs }),
        onError: options.onError,
      },
    }),
    sandbox,
  });
  const merchandising = createMerchandising({
    deps: {
      sources,
      buyerInstructions: sellers.buyerInstructions,
      mediaBuys: mediaBuyRecords,
      discoveryRuns: sellers.discoveryRuns,
      postures: sellerAnalytics,
      productRules: {
        shape: async (storefrontId, products) =>
          applyProductRules(products, await sellers.productRules.activeRulesFor(storefrontId)),
      },
      sandbox,
      sourceBudgetMs: config.sourceBudgetMs,
      onError: options.onError,
    },
    queryable: options.database.queryable,
    logger: options.adcpLogger ?? silentLogger,
    allowPrivateNetwork: config.allowPrivateNetwork,
    webhookSigner: ed25519FromSeed(secrets.derive('interchange webhook signing v1')),
    jobs: base.jobs,
  });
  // The operator's queues decide through the agent, which is built on the records.
  const mediaBuys = mediaBuyRecords.withDecisions(merchandising.decisions);
  return { mediaBuys, sellerAnalytics, merchandising };
}

export type MerchandisingArea = ReturnType<typeof createMerchandisingArea>;

const silentLogger: AdcpLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
