import { skipCursor } from '../../../platform/http/pagination.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { CampaignsContext } from '../context.js';
import type { GetCampaignQuery, ListCampaignsQuery } from './inputs.js';
import { campaignForCreatives } from '../creatives/creatives-port.js';
import { listedStatuses } from '../status/statuses.js';
import { mergedUtm } from '../creatives/utm.js';
import * as store from '../store.js';
import type { CampaignRow } from '../store.js';
import { campaignSummaryView, campaignView } from '../buys/views.js';
import { withAudienceViews } from '../targeting/audience-config.js';

export type CampaignReads = ReturnType<typeof createCampaignReads>;

/** Reading the caller's campaigns: one in full, a page of them, and one as creatives need it. */
export function createCampaignReads(ctx: CampaignsContext) {
  const { db, deps, requireCampaign, selectedOf } = ctx;

  async function detail(campaign: CampaignRow) {
    const [selected, buys, advertiser, audiences] = await Promise.all([
      selectedOf(campaign),
      store.buysOfCampaigns(db, [campaign.id]),
      deps.advertisers.requireAdvertiser(campaign.customerId, String(campaign.advertiserId)),
      deps.audiences?.viewOf(campaign.id),
    ]);
    return withAudienceViews(
      audiences,
      campaignView(
        campaign,
        selected.map((s) => s.selection),
        buys,
        advertiser.frequencyCaps,
        advertiser.utmConfig,
        advertiser.optimizationApplyMode,
      ),
    );
  }

  return {
    /** The campaign's full answer: its selections, buys and the advertiser's defaults applied. */
    detail,
    /** For discovery: the caller's campaign a body names (undefined: not theirs, or none). */
    campaignOf: (customerId: number, id: string) => store.findCampaign(db, customerId, id),
    /** The caller's campaign as creatives need it (NOT_FOUND for another customer's). */
    async forCreatives(customerId: number, id: string) {
      const campaign = await requireCampaign(customerId, id);
      const [buys, advertiser, operatorDomain] = await Promise.all([
        store.buysOfCampaigns(db, [campaign.id]),
        deps.advertisers.requireAdvertiser(customerId, String(campaign.advertiserId)),
        deps.customerDomainOf(customerId),
      ]);
      return campaignForCreatives(
        campaign,
        buys,
        advertiser.brand,
        operatorDomain,
        mergedUtm(advertiser.utmConfig, campaign.utmConfig),
      );
    },

    async list(principal: CustomerPrincipal, query: ListCampaignsQuery) {
      const advertiserId = query.advertiserId
        ? (await deps.advertisers.requireAdvertiser(principal.customerId, query.advertiserId)).id
        : undefined;
      const skip = query.cursor ?? query.skip;
      const statuses = listedStatuses(query);
      // Every campaign here is a managed, brief-driven one: asking only for other kinds finds none.
      const noneMatch =
        query.management === 'tracked' ||
        (query.mode !== undefined && !query.mode.includes('discovery'));
      const { rows, total } = noneMatch
        ? { rows: [], total: 0 }
        : await store.pageCampaigns(
            db,
            principal.customerId,
            {
              ...(advertiserId !== undefined && { advertiserId }),
              ...(statuses && { statuses }),
              ...(query.name && { name: query.name }),
              ...(query.mediaBuyStatus?.length && { mediaBuyStatuses: query.mediaBuyStatus }),
            },
            { take: query.take, skip },
          );
      const counts = await deps.discovery.selectionCounts(principal.customerId, [
        ...new Set(rows.flatMap((r) => (r.discoveryId ? [r.discoveryId] : []))),
      ]);
      const hasMore = skip + rows.length < total;
      return {
        campaigns: rows.map((r) =>
          campaignSummaryView(r, r.discoveryId ? (counts.get(r.discoveryId) ?? 0) : 0),
        ),
        total,
        hasMore,
        ...(hasMore && { nextCursor: skipCursor.encode(skip + rows.length) }),
        v3Enabled: false as const,
      };
    },

    async get(principal: CustomerPrincipal, id: string, query: GetCampaignQuery = {}) {
      const answer = await detail(await requireCampaign(principal.customerId, id));
      const only = query.mediaBuyId?.length ? new Set(query.mediaBuyId) : undefined;
      if (only) {
        answer.campaign.mediaBuys = answer.campaign.mediaBuys.filter((b) => only.has(b.mediaBuyId));
      }
      return answer;
    },
  };
}
