/**
 * What a successful console action says after its redirect (POST, then 303 to the page with
 * ?notice=…&subject=…): a closed list, so the URL cannot put arbitrary text on the page
 * beyond the escaped subject.
 */
export const notices = {
  'buyer-approve': (s: string) => `${s} is approved: the buyer can now buy.`,
  'buyer-reject': (s: string) => `${s} was rejected (suspended).`,
  'buyer-suspend': (s: string) => `${s} is suspended.`,
  'buyer-reactivate': (s: string) => `${s} is active again.`,
  'media-buy-approved': (s: string) => `Media buy ${s} approved and forwarded to its sources.`,
  'media-buy-approved-unforwarded': (s: string) =>
    `Media buy ${s} approved, but forwarding to its sources did not complete: see its forward ` +
    'result and retry with POST /api/v2/storefront/media-buy-approvals/{mediaBuyId}/retry-forward.',
  'media-buy-rejected': (s: string) => `Media buy ${s} rejected; the buyer is told.`,
  'creative-approved': (s: string) => `Creative ${s} approved and forwarded to its sources.`,
  'creative-approved-unforwarded': (s: string) =>
    `Creative ${s} approved, but at least one source did not take it: see its forward result.`,
  'creative-rejected': (s: string) => `Creative ${s} rejected.`,
  'notification-read': () => 'Marked read.',
  'notifications-read': (s: string) =>
    `${s === '1' ? 'One notification' : `${s} notifications`} marked read.`,
  'session-ended': () => 'The session is ended: that browser must sign in again.',
  'other-sessions-ended': (s: string) =>
    `${s === '1' ? 'One other session' : `${s} other sessions`} ended: only this browser stays signed in.`,
  'terms-accepted': () => 'The terms of service are accepted: you can make changes now.',
  // Seller: the storefront's setup.
  'storefront-saved': () => 'Saved.',
  'storefront-activate': () => 'Your storefront is live: buyers can transact through it.',
  'storefront-deactivate': () => 'Your storefront is offline: it no longer transacts.',
  'storefront-pause': () => 'Intake is paused: no discovery, no new buys or changes.',
  'storefront-resume': () => 'Intake is open again.',
  'source-added': (s: string) => `Source ${s} is added. Test it, then activate it.`,
  'source-saved': (s: string) => `Source ${s} is saved.`,
  'source-credential-saved': (s: string) => `The credential of ${s} is saved (encrypted).`,
  'source-test-passed': (s: string) => `${s} answered: the connection works.`,
  'source-test-failed': (s: string) =>
    `${s} did not answer the connection test: see its last error below.`,
  'source-activated': (s: string) => `${s} is active: your storefront now draws on it.`,
  'source-disabled': (s: string) => `${s} is disabled.`,
  'source-removed': (s: string) => `Source ${s} is removed.`,
  'compliance-rerun': (s: string) =>
    `The compliance storyboards of ${s} ran again (or are still running: see the result below).`,
  'adapter-source-added': (s: string) =>
    `Provider source ${s} is added: connect its account to start selling through it.`,
  'adapter-account-chosen': (s: string) => `The source now buys in ${s || 'the chosen account'}.`,
  'adapter-settings-saved': (s: string) => `The settings of ${s} are saved.`,
  'ad-server-connected': (s: string) =>
    `${s} is connected: the connection test passed and its inventory is syncing.`,
  'ad-server-not-connected': (s: string) =>
    `${s} is saved, but the connection test did not pass: see why below, fix it and test again.`,
  'ad-server-test-passed': (s: string) => `The ad server of ${s} answered: the connection works.`,
  'ad-server-test-failed': (s: string) =>
    `The ad server of ${s} did not pass the connection test: see the last error below.`,
  'sandbox-connected': (s: string) =>
    `${s} is connected to its sandbox fake: its first sync runs now (reload to follow it).`,
  'ad-server-sync-started': (s: string) => `A sync of ${s}'s inventory started: follow it below.`,
  'ad-server-sync-running': (s: string) =>
    `A sync of ${s}'s inventory was already running: follow it below.`,
  'modular-source-added': (s: string) =>
    `Modular source ${s} is created and active: upload its avails to put them on sale.`,
  'avails-committed': (s: string) =>
    `The preview is committed: ${s === '1' ? 'one avail is' : `${s} avails are`} on sale.`,
  'work-booking-confirmed': (s: string) =>
    `Done: ${s}. The booking is confirmed; the buyer is told.`,
  'work-booking-declined': (s: string) =>
    `Declined: ${s}. The capacity is back on sale; the buyer's media buy is rejected.`,
  'work-trafficked': (s: string) => `Done: ${s}. The buy is trafficked.`,
  'work-creative-mapped': (s: string) => `Done: ${s}. The creative's reference is recorded.`,
  'work-report-uploaded': (s: string) =>
    `Uploaded: ${s}. The buyer reads it with its delivery; a final report closes the item.`,
  'work-completed': (s: string) => `Done: ${s}.`,
  'work-taken-down': (s: string) => `Done: ${s}. The cancellation is carried out upstream.`,
  'work-change-made': (s: string) => `Done: ${s}. The change is made upstream.`,
  'work-claimed': (s: string) => `You claimed: ${s}.`,
  'link-approved': (s: string) => `${s} may now sell your inventory.`,
  'link-denied': (s: string) => `${s}'s request is denied: nothing flows.`,
  'link-revoked': (s: string) =>
    `${s}'s link is revoked: no products and no new buys from its next request.`,
  'join-link-minted': (s: string) => `Join link ${s} is ready to share.`,
  'join-link-disabled': () => 'The join link is disabled; buyers who joined keep their accounts.',
  'instructions-saved': (s: string) => `Version ${s} is saved (not active).`,
  'instructions-activated': (s: string) => `Version ${s} is active: the agent follows it now.`,
  'buyer-instruction-added': () => 'The buyer instruction is added.',
  'buyer-instruction-deleted': () => 'The buyer instruction is deleted.',
  'rule-added': (s: string) => `Rule ${s} is added.`,
  'posture-accepted': (s: string) => `${s} is accepted: your agent's answers follow it now.`,
  'posture-withdrawn': (s: string) => `${s} is withdrawn: its recommendations no longer apply.`,
  'rule-deleted': () => 'The rule is deleted.',
  'pricing-fact-added': (s: string) =>
    `${s} is on your rate card: it prices products from the next answer.`,
  'pricing-fact-saved': (s: string) => `${s} is saved.`,
  'pricing-fact-deleted': () => 'The pricing fact is deleted.',
  'site-saved': (s: string) =>
    `${s} is saved: its products are ranked with it from the next answer.`,
  'site-deleted': () => 'The site is deleted.',
  // Buyer: advertisers, storefronts, campaigns.
  'advertiser-created': (s: string) => `Advertiser ${s} is created.`,
  'advertiser-saved': (s: string) => `Advertiser ${s} is saved.`,
  'account-linked': (s: string) => `Account ${s} is linked.`,
  'account-unlinked': () => 'The account is unlinked.',
  'event-source-saved': (s: string) => `Event source ${s} is saved.`,
  'credential-registered': (s: string) => `Your credential for ${s} is registered.`,
  'credential-removed': () => 'The credential is removed.',
  'products-found': (s: string) =>
    `${s === '1' ? 'One product' : `${s} products`} found. Tick the ones you want and give each a budget.`,
  'products-selected': (s: string) =>
    `${s === '1' ? 'One product' : `${s} products`} selected: build the campaign below.`,
  'products-removed': () => 'The product is removed from the selection.',
  'campaign-created': (s: string) => `Campaign ${s} is created: check it, then execute it.`,
  'campaign-executed': (s: string) =>
    `The campaign is executed: ${s === '1' ? 'one media buy' : `${s} media buys`} sent to the sellers. Each seller's answer is below.`,
  'campaign-executed-refused': (s: string) =>
    `${s === '1' ? 'One seller' : `${s} sellers`} did not take the media buy: each seller's answer is below. Change the campaign and execute again.`,
  'campaign-executed-nothing': () => 'Nothing to execute: every media buy was already sent.',
  'campaign-paused': () => 'The campaign is paused at every seller that answered.',
  'campaign-reactivated': () => 'The campaign is active again.',
  'media-buy-paused': () => 'The media buy is paused at the seller.',
  'media-buy-reactivated': () => 'The media buy is active again.',
  'creative-created': (s: string) => `Creative ${s} is added and sent to the sellers.`,
  'creative-deleted': () => 'The creative is deleted (and withdrawn from the sellers).',
} as const;

export function noticeText(
  code: string | undefined,
  subject: string | undefined,
): string | undefined {
  const notice = code === undefined ? undefined : notices[code as keyof typeof notices];
  return notice ? notice((subject ?? '').slice(0, 255)) : undefined;
}
