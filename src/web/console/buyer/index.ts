import type { ConsoleContext, PageArgs } from '../context.js';
import { registerAdvertiserPages } from './advertisers.js';
import { renderMediaBuyList } from './buy-list.js';
import { registerCampaignPages } from './campaigns.js';
import { registerCreativePages } from './creatives.js';
import { registerDiscoverPages } from './discover.js';
import { renderHome } from './home.js';
import { registerMediaBuyPages } from './media-buys.js';
import { registerReportingPage } from './reporting.js';
import { registerStorefrontPages } from './storefronts.js';

/**
 * The buyer's console: advertisers with their accounts and event sources, storefronts and the
 * credentials their sources need, discovery, the campaign builder, media buys, creatives and
 * reporting. Every page reads, and every form writes, through the buyer API.
 */
export function registerBuyerConsole(ctx: ConsoleContext, options: { assetMaxBytes: number }) {
  registerAdvertiserPages(ctx);
  registerStorefrontPages(ctx);
  registerDiscoverPages(ctx);
  registerCampaignPages(ctx);
  registerCreativePages(ctx, options.assetMaxBytes);
  registerMediaBuyPages(ctx);
  ctx.page('/console/media-buys', 'BUYER', renderMediaBuyList);
  registerReportingPage(ctx);
  return { home: (args: PageArgs) => renderHome(args) };
}
