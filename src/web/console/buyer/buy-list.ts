import { escapeHtml as e } from '../../../platform/http/html.js';
import type { PageArgs } from '../context.js';
import { page, panel, table, when } from '../layout.js';
import { mediaBuyStatusBadge, mediaBuyUrl } from './buy-badge.js';

/** GET /api/v2/buyer/media-buys: the buyer's buys, whatever surface made them. */
export const buyerMediaBuysApi = '/api/v2/buyer/media-buys';

export interface ListedBuy {
  mediaBuyId: string;
  origin: 'campaign' | 'storefront_agent';
  name: string;
  status: string;
  adcpStatus: string | null;
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
 * The buyer's media buys as a table, each linked to its page (a campaign's, or what the
 * storefront recorded of one placed straight on its agent: brand, PO, budget, flight), with the
 * status its seller reports where it has.
 */
export function buyTable(buys: ListedBuy[], caption: string): string {
  return table(
    caption,
    ['Media buy', 'Made through', 'Seller', 'Status', 'Budget', 'Flight'],
    buys.map((b) => [
      `<a href="${e(mediaBuyUrl(b.mediaBuyId))}">${e(b.name)}</a>${b.origin === 'campaign' ? '' : `<br><code>${e(b.mediaBuyId)}</code>${b.brandDomain ? `<br><span class="note">${e(b.brandDomain)}</span>` : ''}`}`,
      e(origins[b.origin]),
      e(b.storefront?.name ?? b.salesAgentName),
      mediaBuyStatusBadge(b.status, b.adcpStatus),
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

/**
 * A buy placed straight on a storefront's agent (MCP or A2A) with the buyer's key: what the
 * storefront recorded of it. Undefined when no such buy of this buyer exists (the page is 404).
 */
export async function renderDirectBuy(args: PageArgs, id: string): Promise<string | undefined> {
  const found = await args.api.get<ListedBuys>(buyerMediaBuysApi, { mediaBuyId: id, limit: 1 });
  const buy = found.items.find((b) => b.mediaBuyId === id && b.origin === 'storefront_agent');
  if (!buy) return undefined;
  const frame = {
    ...(await args.frame(buy.name, '/console/media-buys')),
    flash: args.flash,
    back: { href: '/console/media-buys', label: 'Media buys' },
  };
  const fact = (term: string, value: string | null) =>
    value === null ? '' : `<dt>${term}</dt><dd>${value}</dd>`;
  return page(
    frame,
    panel(
      'buy-h',
      'Media buy',
      `<p class="note">Placed on ${e(buy.salesAgentName)}’s AdCP agent (MCP or A2A) with your key: get_media_buys on that agent reads its packages.</p>
<dl class="facts">${fact('Status', mediaBuyStatusBadge(buy.status, buy.adcpStatus))}${fact('Media buy id', `<code>${e(buy.mediaBuyId)}</code>`)}${fact('Seller', e(buy.salesAgentName))}${fact('Brand', buy.brandDomain && e(buy.brandDomain))}${fact('PO number', buy.poNumber && e(buy.poNumber))}${fact('Budget', buy.budget === null ? null : e(`${buy.budget.toLocaleString('en-US')} ${buy.currency ?? ''}`.trim()))}${fact('Flight', buy.startTime && buy.endTime ? `${when(buy.startTime)} to ${when(buy.endTime)}` : null)}</dl>`,
    ),
  );
}
