import { escapeHtml as e } from '../../../../platform/http/html.js';
import { panel, statusBadge, table, when } from '../../layout.js';
import { kindLabel } from './section.js';
import { queuePage, type StorefrontWorkItems, type WorkItemBuy } from './wire.js';

/*
 * The storefront's whole work queue as the seller's pages show it (GET
 * /api/v2/storefront/work-items): every open item of every source with counts, on the review
 * queues and the console home, and what each item's buy is (buyer, brand, PO, budget, flight,
 * products, the hold's deadline), on those pages and the source's work queue.
 */

const money = (amount: number, currency: string) =>
  `${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
const day = (iso: string) => iso.slice(0, 10);

/** The buy a work item is about, as a definition list's entries (inside a `dl.facts`). */
export function buyFacts(buy: WorkItemBuy): string {
  const buyer = buy.buyer.name ?? `customer ${buy.buyer.customerId}`;
  const products = buy.products
    .map(
      (p) =>
        `${e(p.name ?? p.availId)} <code>${e(p.availId)}</code>: ${p.impressions.toLocaleString('en-US')} impressions, ${e(money(p.budget, p.currency))}`,
    )
    .join('<br>');
  return `<dt>Buyer</dt><dd>${e(buyer)}</dd>
<dt>Brand</dt><dd>${buy.brandDomain ? e(buy.brandDomain) : '—'}</dd>
<dt>PO</dt><dd>${buy.poNumber ? e(buy.poNumber) : '—'}</dd>
<dt>Budget</dt><dd>${e(money(buy.budget.amount, buy.budget.currency))}</dd>
<dt>Flight</dt><dd>${e(day(buy.flight.startTime))} → ${e(day(buy.flight.endTime))}</dd>
<dt>Products</dt><dd>${products || '—'}</dd>
<dt>Media buy</dt><dd><code>${e(buy.mediaBuyId)}</code> ${e(buy.status.replace(/_/g, ' '))}</dd>
${buy.holdExpiresAt ? `<dt>Hold expires</dt><dd>${when(buy.holdExpiresAt)} (the capacity goes back on sale unless confirmed)</dd>` : ''}`;
}

/** How many items wait, by kind: a line per kind, each its count. */
function kindCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return `<ul class="work-counts">${entries
    .map(
      ([kind, n]) =>
        `<li>${e(kindLabel(kind))}: <strong>${n}</strong> <code>${e(kind)}</code></li>`,
    )
    .join('')}</ul>`;
}

/**
 * Every open work item of every source: the counts by kind and by source, then the items, the
 * most pressing first, each with its buy's buyer, PO, budget and deadline and the way to its
 * source's queue, where it is done.
 */
export function workQueuePanel(queue: StorefrontWorkItems): string {
  const bySource = queue.countsBySource
    .map(
      (s) =>
        `<li><a href="${e(queuePage(s))}">${e(s.name ?? s.sourceId)}</a>: <strong>${s.count}</strong></li>`,
    )
    .join('');
  const rows = queue.items.map((item) => {
    const buy = item.mediaBuy;
    return [
      `<a href="${e(`${queuePage(item.source)}#item-${item.id}`)}">${e(item.title)}</a><br><span class="note">${e(kindLabel(item.kind))}</span>`,
      e(item.source.name ?? item.source.sourceId),
      buy
        ? `${e(buy.buyer.name ?? `customer ${buy.buyer.customerId}`)}${buy.poNumber ? `<br><span class="note">PO ${e(buy.poNumber)}</span>` : ''}`
        : '—',
      buy ? e(money(buy.budget.amount, buy.budget.currency)) : '—',
      when(item.dueAt),
      statusBadge(
        item.status.replace(/_/g, ' ').toLowerCase(),
        item.status === 'BLOCKED' || item.priority === 'HIGH' ? 'bad' : 'neutral',
      ),
    ];
  });
  const more =
    queue.total > queue.items.length
      ? `<p class="note">The ${queue.items.length} most pressing of ${queue.total} are listed.</p>`
      : '';
  return panel(
    'work-h',
    `Work items waiting on you (${queue.total})`,
    `<p class="note">What no module does for you: bookings to confirm, buys to traffic, changes and cancellations to carry out upstream, reports to upload. Each is done on its source’s work queue.</p>
${queue.total ? `${kindCounts(queue.countsByKind)}<ul class="work-counts" aria-label="By source">${bySource}</ul>` : ''}
${more}${table('Open work items', ['Work item', 'Source', 'Buyer', 'Budget', 'Due', 'Status'], rows, 'No work items are waiting: nothing needs you on any source.')}`,
  );
}

/**
 * The console home's first panel: how much waits on the seller (approvals, creative reviews,
 * work items by kind), each with the way to it.
 */
export function waitingPanel(waiting: {
  approvals: number;
  creatives: number;
  work: StorefrontWorkItems;
}): string {
  const { approvals, creatives, work } = waiting;
  const total = approvals + creatives + work.total;
  const lines = [
    `<li><a href="/console/reviews#mb-h">Media buys to approve</a>: <strong>${approvals}</strong></li>`,
    `<li><a href="/console/reviews#cr-h">Creatives to review</a>: <strong>${creatives}</strong></li>`,
    `<li><a href="/console/reviews#work-h">Work items</a>: <strong id="open-work-total">${work.total}</strong></li>`,
  ].join('');
  const items = work.items
    .slice(0, 5)
    .map(
      (item) =>
        `<li><a href="${e(`${queuePage(item.source)}#item-${item.id}`)}">${e(item.title)}</a>${item.dueAt ? ` (due ${when(item.dueAt)})` : ''}</li>`,
    )
    .join('');
  return panel(
    'waiting-h',
    total === 0 ? 'Nothing is waiting on you' : `Waiting on you (${total})`,
    `<ul class="work-counts">${lines}</ul>${kindCounts(work.countsByKind)}${items ? `<p>The most pressing:</p><ul>${items}</ul>` : ''}`,
  );
}
