import { analyticsCharts } from '../../analytics-charts/charts.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import { renderAnalytics } from '../pages/analytics.js';
import { registerBuyersPage } from '../pages/buyers.js';
import { renderReadiness } from '../pages/readiness.js';
import { renderReviews } from '../pages/reviews.js';
import type { ConsoleDeps } from '../deps.js';
import { registerAdServerForms } from './sources/ad-server-forms.js';
import { registerAdServerActions } from './sources/ad-server-section.js';
import { registerInstructionsPage } from './instructions.js';
import { registerLinkRequestsPage } from './links.js';
import { registerModularAvails } from './modular/avails.js';
import { registerModularLedger } from './modular/ledger.js';
import { registerModularWork } from './modular/work.js';
import { registerOrdersPage } from './orders.js';
import { posturesPanel, registerPostureForms } from './postures.js';
import { leftOutPanel, leftOutRunsShown } from './left-out.js';
import { registerProductRulesPage } from './product-rules/page.js';
import { registerRateCardPage } from './rate-card.js';
import { registerStorefrontReportingPage } from './reporting.js';
import { registerSourcePages } from './sources/pages.js';
import { registerSandboxPage } from './sandbox.js';
import { registerSitesPage } from './sites.js';
import { registerStorefrontPage } from './storefront.js';
import { storefrontWorkItemsApi, type StorefrontWorkItems } from './modular/wire.js';
import { waitingPanel } from './modular/work-queue.js';

/**
 * The seller's console: readiness (the home page), the storefront's setup, inventory sources,
 * demand (join links and sponsored buyers, instructions, product rules, the rate card), review queues,
 * analytics and delivery reporting.
 */
export function registerSellerConsole(ctx: ConsoleContext, deps: ConsoleDeps) {
  const { services } = deps;
  const framed = async (args: PageArgs, title: string, current: string) => ({
    ...(await args.frame(title, current)),
    flash: args.flash,
  });
  registerStorefrontPage(ctx);
  registerSourcePages(ctx);
  registerAdServerForms(ctx, deps.uploads);
  registerAdServerActions(ctx);
  registerModularAvails(ctx, deps.uploads);
  registerModularWork(ctx);
  registerModularLedger(ctx);
  registerOrdersPage(ctx);
  registerSandboxPage(ctx);
  registerLinkRequestsPage(ctx);
  registerBuyersPage(ctx, deps.ownUrl);
  registerInstructionsPage(ctx);
  registerProductRulesPage(ctx);
  registerRateCardPage(ctx);
  registerSitesPage(ctx);
  registerStorefrontReportingPage(ctx);
  registerPostureForms(ctx);
  const workQueue = (args: PageArgs) =>
    args.api.get<StorefrontWorkItems>(storefrontWorkItemsApi, { limit: 100 });
  ctx.page('/console/reviews', 'SELLER', async (args) =>
    renderReviews(
      await framed(args, 'Review queues', '/console/reviews'),
      await services.mediaBuys.listApprovals(args.signed.principal, 'pending'),
      await services.creativeReviews.listReviews(args.signed.principal, 'pending'),
      await workQueue(args),
    ),
  );
  ctx.page('/console/analytics', 'SELLER', async (args) => {
    const analytics = await services.sellerAnalytics.analytics(args.signed.principal, 100);
    const recent = await services.sellerAnalytics.listRuns(
      args.signed.principal,
      {},
      { skip: 0, take: leftOutRunsShown },
    );
    return renderAnalytics(
      await framed(args, 'Analytics', '/console/analytics'),
      analytics,
      analyticsCharts(analytics),
      posturesPanel(args, analytics) + leftOutPanel(recent.items),
    );
  });
  return {
    home: async (args: PageArgs) =>
      renderReadiness(
        await framed(args, 'Readiness', '/console'),
        await services.readiness.forSeller(args.signed.principal),
        waitingPanel({
          approvals: (await services.mediaBuys.listApprovals(args.signed.principal, 'pending'))
            .length,
          creatives: (await services.creativeReviews.listReviews(args.signed.principal, 'pending'))
            .length,
          work: await workQueue(args),
        }),
      ),
  };
}
