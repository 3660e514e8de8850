import type { CreativeReviewsService } from '../../../modules/creative-reviews/index.js';
import type { MediaBuysService } from '../../../modules/orders/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { type Frame, page, postForm, table, when } from '../layout.js';
import type { StorefrontWorkItems } from '../seller/modular/wire.js';
import { workQueuePanel } from '../seller/modular/work-queue.js';

type ApprovalView = Awaited<ReturnType<MediaBuysService['listApprovals']>>[number];
type ReviewView = Awaited<ReturnType<CreativeReviewsService['listReviews']>>[number];

/**
 * Everything waiting on the seller: the pending media-buy approvals and creative reviews, each
 * with its decision form, and every open work item of every source (work-queue.ts).
 */
export function renderReviews(
  frame: Frame,
  approvals: ApprovalView[],
  reviews: ReviewView[],
  work: StorefrontWorkItems,
): string {
  const decide = (action: string, id: string, what: string) =>
    postForm(
      action,
      frame.csrf,
      `<div><label for="notes-${e(id)}">Notes for ${e(what)} (optional)</label>
<input type="text" id="notes-${e(id)}" name="notes" maxlength="2000"></div>
<button type="submit" name="status" value="approved">Approve</button>
<button type="submit" name="status" value="rejected" class="danger">Reject</button>`,
      'decide',
    );
  const approvalRows = approvals.map((a) => {
    const p = a.submittedPayload;
    return [
      `<code>${e(a.mediaBuyId)}</code><br><span class="note">buyer ${a.buyerCustomerId}</span>`,
      e(productsOf(p)),
      e(budgetOf(p)),
      e(flightOf(p)),
      when(a.createdAt),
      decide(
        `/console/media-buys/${encodeURIComponent(a.mediaBuyId)}/decide`,
        `mb-${a.id}`,
        `media buy ${a.mediaBuyId}`,
      ),
    ];
  });
  const reviewRows = reviews.map((r) => {
    const p = r.submittedPayload;
    return [
      `<code>${e(r.creativeId)}</code><br><span class="note">buyer ${r.buyerCustomerId}</span>`,
      e(typeof p.name === 'string' ? p.name : '—'),
      e(formatOf(p)),
      r.mediaBuyId ? `<code>${e(r.mediaBuyId)}</code>` : '—',
      when(r.createdAt),
      decide(
        `/console/creative-reviews/${encodeURIComponent(r.reviewId)}/decide`,
        `cr-${r.id}`,
        `creative ${r.creativeId}`,
      ),
    ];
  });
  const waiting = approvals.length + reviews.length + work.total;
  return page(
    frame,
    `<p id="waiting-summary">${
      waiting === 0
        ? 'Nothing is waiting on you.'
        : `Waiting on you: ${approvals.length} media ${approvals.length === 1 ? 'buy' : 'buys'} to approve, ${reviews.length} ${reviews.length === 1 ? 'creative' : 'creatives'} to review, ${work.total} work ${work.total === 1 ? 'item' : 'items'}.`
    }</p>
${workQueuePanel(work)}
<section class="panel" aria-labelledby="mb-h"><h2 id="mb-h">Media buys awaiting approval (${approvals.length})</h2>
<p class="note">Approving forwards the buy to its inventory sources; the buyer is told either way. Decisions are final.</p>
${table('Pending media buys', ['Media buy', 'Products', 'Budget', 'Flight', 'Submitted', 'Decision'], approvalRows, 'No media buys are waiting for approval.')}
</section>
<section class="panel" aria-labelledby="cr-h"><h2 id="cr-h">Creatives awaiting review (${reviews.length})</h2>
${table('Pending creatives', ['Creative', 'Name', 'Format', 'Media buy', 'Submitted', 'Decision'], reviewRows, 'No creatives are waiting for review.')}
</section>`,
  );
}

// Only these fields of the submitted AdCP payload are shown: it also holds the buyer's
// webhook configuration, which is theirs, not the operator's to read.
function packagesOf(p: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(p.packages)
    ? p.packages.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
    : [];
}

function productsOf(p: Record<string, unknown>): string {
  const ids = packagesOf(p)
    .flatMap((pkg) => [pkg.product_id, ...(Array.isArray(pkg.product_ids) ? pkg.product_ids : [])])
    .filter((id): id is string => typeof id === 'string');
  return ids.length ? [...new Set(ids)].join(', ') : '—';
}

function budgetOf(p: Record<string, unknown>): string {
  const total = p.total_budget;
  if (typeof total === 'object' && total !== null) {
    const t = total as { amount?: unknown; currency?: unknown };
    if (typeof t.amount === 'number')
      return `${t.amount} ${typeof t.currency === 'string' ? t.currency : ''}`.trim();
  }
  if (typeof total === 'number') return String(total);
  const sum = packagesOf(p).reduce(
    (n, pkg) => n + (typeof pkg.budget === 'number' ? pkg.budget : 0),
    0,
  );
  return sum > 0 ? String(sum) : '—';
}

function flightOf(p: Record<string, unknown>): string {
  const day = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : '?');
  return p.start_time || p.end_time ? `${day(p.start_time)} → ${day(p.end_time)}` : '—';
}

function formatOf(p: Record<string, unknown>): string {
  const f = p.format_id;
  if (typeof f === 'object' && f !== null && typeof (f as { id?: unknown }).id === 'string') {
    return (f as { id: string }).id;
  }
  return typeof f === 'string' ? f : '—';
}
