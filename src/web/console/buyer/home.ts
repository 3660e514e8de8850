import { escapeHtml as e } from '../../../platform/http/html.js';
import type { PageArgs } from '../context.js';
import { page, panel, table, when } from '../layout.js';
import { buyerMediaBuysApi, buyTable, type ListedBuys } from './buy-list.js';
import { campaignStatusBadge, campaignUrl } from './campaigns.js';
import type { AdvertiserSummary, CampaignSummary, Page, StorefrontSummary } from './wire.js';

/** The buyer's home: where things stand, and the next step when something is missing. */
export async function renderHome(args: PageArgs): Promise<string> {
  const [advertisers, storefronts, campaigns, buys] = await Promise.all([
    args.api.get<Page<AdvertiserSummary>>('/api/v2/buyer/advertisers', { limit: 100 }),
    args.api.get<Page<StorefrontSummary>>('/api/v2/buyer/storefronts', { limit: 50 }),
    args.api.get<{ campaigns: CampaignSummary[]; total: number }>('/api/v2/buyer/campaigns', {
      status: 'ALL',
      take: 10,
    }),
    // Every buy, whatever made it: a campaign, or the buyer's key on a storefront's agent.
    args.api.get<ListedBuys>(buyerMediaBuysApi, { limit: 5 }),
  ]);
  const frame = { ...(await args.frame('Overview', '/console')), flash: args.flash };
  const next =
    advertisers.items.length === 0
      ? '<a href="/console/advertisers">Create your first advertiser</a>: campaigns and products are for an advertiser’s brand.'
      : storefronts.items.length === 0
        ? 'No storefront is open to you yet: a seller’s join link brings you to theirs.'
        : campaigns.campaigns.length === 0
          ? '<a href="/console/discover">Discover products with a brief</a>, then build a campaign from the ones you pick.'
          : '<a href="/console/reporting">See how your campaigns deliver</a>.';
  const rows = campaigns.campaigns.map((c) => [
    `<a href="${e(campaignUrl(c.campaignId))}">${e(c.name)}</a>`,
    campaignStatusBadge(c.status),
    `${c.budget.total} ${e(c.budget.currency)}`,
    when(c.createdAt),
  ]);
  return page(
    frame,
    `${panel(
      'next-h',
      'Next step',
      `<p>${next}</p><dl class="facts"><dt>Advertisers</dt><dd><a href="/console/advertisers">${advertisers.total}</a></dd>
<dt>Storefronts open to you</dt><dd><a href="/console/storefronts">${storefronts.total}</a></dd>
<dt>Campaigns</dt><dd><a href="/console/campaigns">${campaigns.total}</a></dd>
<dt>Media buys</dt><dd><a href="/console/media-buys" id="media-buy-total">${buys.total}</a></dd></dl>`,
    )}
${panel('recent-h', 'Recent campaigns', table('Recent campaigns', ['Campaign', 'Status', 'Budget', 'Created'], rows, 'No campaigns yet.'))}
${panel('recent-buys-h', 'Recent media buys', buyTable(buys.items, 'Recent media buys'))}`,
  );
}
