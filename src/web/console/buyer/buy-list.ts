import { escapeHtml as e } from '../../../platform/http/html.js';
import type { PageArgs } from '../context.js';
import { page, panel, table, when } from '../layout.js';
import { mediaBuyStatusBadge, mediaBuyUrl } from './media-buys.js';

/** GET /api/v2/buyer/media-buys: the buyer's buys, whatever surface made them. */
export const buyerMediaBuysApi = '/api/v2/buyer/media-buys';

export interface ListedBuy {
  mediaBuyId: string;
  origin: 'campaign' | 'storefront_agent';
  name: string;
  status: string;
  campaignId: string | null;
  storefront: { id: string; name: string } | null;
  salesAgentName: string;
  brandDomain: string | null;
  poNumber: string | null;
  budget: number | null;
  currency: string | null;
  startTime: string | null;
  endTime: string | null;
  createdAt: string;
}

export interface ListedBuys {
  items: ListedBuy[];
  total: number;
}

const origins = {
  campaign: 'Campaign',
  storefront_agent: 'Storefront agent (MCP/A2A)',
} as const;

/**
 * The buyer's media buys as a table: a campaign's buy links to its page; one placed straight on
 * a storefront's agent shows what the storefront recorded of it (brand, PO, budget, flight).
 */
export function buyTable(buys: ListedBuy[], caption: string): string {
  return table(
    caption,
    ['Media buy', 'Made through', 'Seller', 'Status', 'Budget', 'Flight'],
    buys.map((b) => [
      b.origin === 'campaign'
        ? `<a href="${e(mediaBuyUrl(b.mediaBuyId))}">${e(b.name)}</a>`
        : `${e(b.name)}<br><code>${e(b.mediaBuyId)}</code>${b.brandDomain ? `<br><span class="note">${e(b.brandDomain)}</span>` : ''}`,
      e(origins[b.origin]),
      e(b.storefront?.name ?? b.salesAgentName),
      mediaBuyStatusBadge(b.status),
      b.budget === null ? '—' : e(`${b.budget.toLocaleString('en-US')} ${b.currency ?? ''}`.trim()),
      b.startTime && b.endTime ? `${when(b.startTime)} → ${when(b.endTime)}` : '—',
    ]),
    'No media buys yet: a campaign you execute, or a buy you place on a storefront’s agent with your key, shows here.',
  );
}

/** Every media buy of the buyer, whatever surface made it. */
export async function renderMediaBuyList(args: PageArgs): Promise<string> {
  const list = await args.api.get<ListedBuys>(buyerMediaBuysApi, { limit: 100 });
  const frame = { ...(await args.frame('Media buys', '/console/media-buys')), flash: args.flash };
  const more =
    list.total > list.items.length
      ? `<p class="note">The newest ${list.items.length} of ${list.total} are shown.</p>`
      : '';
  return page(
    frame,
    panel(
      'buys-h',
      `All media buys (${list.total})`,
      `<p class="note">Your campaigns’ buys and those you placed straight on a storefront’s AdCP agent with your API key.</p>${more}${buyTable(list.items, 'Media buys')}`,
    ),
  );
}
