import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg } from '../api.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FormSpec } from '../forms/index.js';
import { page, panel, table, when } from '../layout.js';
import type { MediaBuy, Task } from './wire.js';
import { ApiFailure } from '../api.js';
import { mediaBuyStatusBadge, mediaBuyUrl } from './buy-badge.js';
import { renderDirectBuy } from './buy-list.js';

const base = '/api/v2/buyer/media-buys';

const controlSpec = (id: string, action: 'pause' | 'reactivate'): FormSpec => ({
  id: `buy-${action}`,
  action: `${mediaBuyUrl(id)}/${action}`,
  route: `POST ${base}/:mediaBuyId/${action}`,
  fields: [],
  submit: action === 'pause' ? 'Pause this media buy' : 'Reactivate this media buy',
  danger: action === 'pause',
  className: 'inline-form',
  busy: 'Asking the seller…',
});

/** One media buy: its packages, what the seller last said, and its status timeline. */
export function registerMediaBuyPages(ctx: ConsoleContext): void {
  ctx.page('/console/media-buys/:mediaBuyId', 'BUYER', renderMediaBuy);
  for (const action of ['pause', 'reactivate'] as const) {
    ctx.apiForm({
      url: `/console/media-buys/:mediaBuyId/${action}`,
      persona: 'BUYER',
      page: '/console/media-buys/:mediaBuyId',
      spec: ({ params }) => controlSpec(params.mediaBuyId!, action),
      noBody: true,
      done: (_data, { params }) => ({
        to: mediaBuyUrl(params.mediaBuyId!),
        notice: action === 'pause' ? 'media-buy-paused' : 'media-buy-reactivated',
        subject: '',
      }),
    });
  }
}

interface Moment {
  at: string;
  what: string;
  detail?: string;
  future?: boolean;
}

/**
 * The buy's timeline, from what is recorded on it: created, sent to the seller, waiting (and
 * why), the seller's last word, the seller task in flight, and the flight itself. Each status
 * change is not kept one by one, so the timeline shows these moments, not every transition.
 */
export function timelineOf(
  buy: MediaBuy,
  task: Task['task'] | undefined,
  now = Date.now(),
): Moment[] {
  const moments: Moment[] = [{ at: buy.createdAt, what: 'Created as a draft of the campaign' }];
  if (buy.forwardedAt) {
    moments.push({
      at: buy.forwardedAt,
      what: `Sent to ${buy.salesAgentName}`,
      ...(buy.sellerMediaBuyId && { detail: `the seller's id: ${buy.sellerMediaBuyId}` }),
    });
  }
  if (task) {
    moments.push({
      at: task.createdAt,
      what: 'The seller took the request as a task',
      detail: `task ${task.status}`,
    });
  }
  if (buy.pendingSince) {
    moments.push({
      at: buy.pendingSince,
      what: `Waiting at the ${buy.pendingAt ?? 'seller'}`,
      ...(buy.pendingReason && { detail: buy.pendingReason.replace(/_/g, ' ').toLowerCase() }),
    });
  }
  if (buy.lastSyncedAt) {
    moments.push({
      at: buy.lastSyncedAt,
      what: 'The seller last reported on it',
      ...(buy.adcpStatus && { detail: `seller status: ${buy.adcpStatus}` }),
    });
  }
  moments.push({
    at: buy.startTime,
    what: 'Flight starts',
    future: Date.parse(buy.startTime) > now,
  });
  moments.push({ at: buy.endTime, what: 'Flight ends', future: Date.parse(buy.endTime) > now });
  return moments.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

async function renderMediaBuy(args: PageArgs): Promise<string> {
  const id = args.params.mediaBuyId!;
  const answer = await args.api.call<{ mediaBuy: MediaBuy }>({
    method: 'GET',
    path: `${base}/${seg(id)}`,
  });
  // Not a campaign's: a buy placed straight on a storefront's agent (MCP or A2A) has its own page.
  const direct = answer.status === 404 ? await renderDirectBuy(args, id) : undefined;
  if (direct) return direct;
  if (answer.error) throw new ApiFailure(answer.status, answer.error);
  const buy = answer.data.mediaBuy;
  const task = buy.taskId
    ? (await args.api.call<Task>({ method: 'GET', path: `/api/v2/buyer/tasks/${seg(buy.taskId)}` }))
        .data?.task
    : undefined;
  const frame = {
    ...(await args.frame(buy.name, '/console/campaigns')),
    flash: args.flash,
    back: { href: `/console/campaigns/${seg(buy.campaignId)}`, label: 'Campaign' },
  };
  const moments = timelineOf(buy, task);
  const timeline = `<ol class="timeline">${moments
    .map(
      (m) =>
        `<li${m.future ? ' class="future"' : ''}>${when(m.at)} <strong>${e(m.what)}</strong>${m.detail ? ` — ${e(m.detail)}` : ''}${m.future ? ' <span class="note">(ahead)</span>' : ''}</li>`,
    )
    .join('')}</ol>`;
  const packages = table(
    'Packages',
    ['Package', 'Product', 'Status', 'Budget', 'Bid'],
    buy.packages.map((p) => [
      `<code>${e(p.packageId)}</code>`,
      e(p.productName),
      e(p.status),
      `${p.budget} ${e(p.budgetCurrency)}`,
      p.bidPrice === undefined ? '—' : String(p.bidPrice),
    ]),
    'No packages.',
  );
  const problem =
    buy.errorCode || buy.sourceMessage
      ? `<p class="error-text" role="alert">${e(buy.errorCode ?? '')}${buy.errorOwner ? ` (${e(buy.errorOwner.replace(/_/g, ' '))})` : ''}: ${e(buy.sourceMessage ?? '')}</p>`
      : '';
  const controls =
    buy.status === 'ACTIVE'
      ? args.form(controlSpec(id, 'pause'))
      : buy.status === 'PAUSED'
        ? args.form(controlSpec(id, 'reactivate'))
        : '';
  return page(
    frame,
    `${panel(
      'buy-h',
      'Media buy',
      `<dl class="facts"><dt>Status</dt><dd>${mediaBuyStatusBadge(buy.status, buy.adcpStatus)}</dd>
<dt>Seller</dt><dd>${e(buy.salesAgentName)} <code>${e(buy.salesAgentId)}</code></dd>
<dt>Budget</dt><dd>${buy.budget} ${e(buy.currency)}</dd>
<dt>Flight</dt><dd>${when(buy.startTime)} to ${when(buy.endTime)}</dd></dl>
${problem}<div class="button-row">${controls}<a href="/console/reporting?mediaBuyId=${e(seg(id))}">Its report</a></div>`,
    )}
${panel('timeline-h', 'Status timeline', timeline)}
${panel('packages-h', 'Packages', packages)}`,
  );
}
