import { notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { SelectedProduct } from '../discovery/index.js';
import { campaignProducts } from './campaign/products.js';
import { createCampaignEdits } from './campaign/edits.js';
import { createCampaignExecution } from './campaign/execution.js';
import { createCampaignReads } from './campaign/reads.js';
import type { CampaignsContext, CampaignsDeps } from './context.js';
import { createMediaBuyOperations } from './buys/operations.js';
import { createOptimizationPort } from './goals/optimization-port.js';
import type { SellerCallDeps } from './buys/seller-calls.js';
import { createStatusRefresh } from './status/refresh.js';
import { createPushReceiver } from './status/push-notifications.js';
import { createStatusSync } from './status/sync.js';
import { createTasks } from './tasks/tasks.js';
import { campaignWriteResolvers } from './buys/write-recovery.js';
import * as store from './store.js';
import type { CampaignRow, MediaBuyRow } from './store.js';

export type { CampaignsDeps } from './context.js';

export type CampaignsService = ReturnType<typeof createCampaignsService>;

const campaignNotFound = () => notFound('Campaign');
const mediaBuyNotFound = () => notFound('Media buy');

/**
 * Campaigns and their media buys (seed 004, issue 14): a campaign books the products selected in
 * its discovery session as one media buy per storefront agent. Everything is the caller's own:
 * another customer's campaign or buy is NOT_FOUND.
 *
 * The service is its parts, each given the shared context: reads, edits, execution (booking,
 * pausing, reactivating), the media-buy operations, status refresh and sync, tasks and push
 * notifications, and the recovery of writes whose answer was lost.
 */
export function createCampaignsService(deps: CampaignsDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const calls: SellerCallDeps = {
    db,
    agents: deps.agents,
    timeoutMs: deps.executeBudgetMs,
    now,
    creatives: deps.creatives,
    sync: deps.sync,
    writes: deps.writes,
  };

  async function requireCampaign(customerId: number, id: string): Promise<CampaignRow> {
    const row = await store.findCampaign(db, customerId, id);
    if (!row) throw campaignNotFound();
    return row;
  }

  async function requireMediaBuy(customerId: number, id: string): Promise<MediaBuyRow> {
    const row = await store.findMediaBuy(db, customerId, id);
    if (!row) throw mediaBuyNotFound();
    return row;
  }

  const selectedOf = (campaign: CampaignRow): Promise<SelectedProduct[]> =>
    campaign.discoveryId
      ? deps.discovery.selectedProducts(campaign.customerId, campaign.discoveryId)
      : Promise.resolve([]);

  const ctx: CampaignsContext = { db, deps, calls, requireCampaign, requireMediaBuy, selectedOf };
  const refresh = createStatusRefresh(ctx);
  const statusSync = createStatusSync(ctx, refresh.applySellerStatus);
  const mediaBuyOperations = createMediaBuyOperations(ctx);
  const reads = createCampaignReads(ctx);
  const edits = createCampaignEdits(ctx, { detail: reads.detail, mediaBuyOperations });
  const execution = createCampaignExecution(ctx);
  for (const resolver of campaignWriteResolvers(ctx)) deps.writes.register(resolver);

  return {
    applySellerStatus: refresh.applySellerStatus,
    mediaBuyStatus: refresh.mediaBuyStatus,
    syncAgent: statusSync.syncAgent,
    followedAgents: statusSync.followedAgents,
    receivePushNotification: createPushReceiver(ctx, statusSync),
    ...createTasks(ctx),
    products: (principal: CustomerPrincipal, id: string) => campaignProducts(ctx, principal, id),
    campaignOf: reads.campaignOf,
    forCreatives: reads.forCreatives,
    ...mediaBuyOperations,
    list: reads.list,
    create: edits.create,
    get: reads.get,
    update: edits.update,
    remove: edits.remove,
    execute: execution.execute,
    pause: execution.pause,
    reactivate: execution.reactivate,
    /** What optimisation suggestions read (modules/optimization): goals, placed buys. */
    optimization: createOptimizationPort(ctx),
  };
}
