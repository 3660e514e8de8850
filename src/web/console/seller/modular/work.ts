import { escapeHtml as e } from '../../../../platform/http/html.js';
import { seg } from '../../api.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FormSpec } from '../../forms/index.js';
import { hrefOf, pager, shownOf } from '../../pager.js';
import { page, panel, statusBadge, when } from '../../layout.js';
import { kindLabel } from './section.js';
import { buyFacts } from './work-queue.js';
import {
  modularApi,
  type Projection,
  sourcePage,
  sourcesApi,
  type WorkItem,
  workPage,
} from './wire.js';

const pagePath = '/console/sources/:sourceId/work';
const itemRoute = `${sourcesApi}/:sourceId/modular/work-items/:workItemId`;
const reportRoute = `${sourcesApi}/:sourceId/modular/media-buys/:mediaBuyId/delivery-reports`;

import { type Action, type ActionName, actions, actionsOf, reportBody } from './work-actions.js';

const itemAction = (sourceId: string, itemId: string, name: string) =>
  `${workPage(sourceId)}/${seg(itemId)}/${name}`;

const actionSpec = (
  sourceId: string,
  itemId: string,
  name: ActionName,
  item?: WorkItem,
): FormSpec => {
  const a: Action = actions[name];
  const id = `${name}-${itemId}`;
  const report = name === 'report';
  return {
    id,
    action: itemAction(sourceId, itemId, name),
    // A report is the buy's delivery report (interim or final), not the item's completion.
    route: report ? `POST ${reportRoute}` : `POST ${itemRoute}/complete`,
    ...(report && {
      values: { final: 'false' },
      ...(item?.mediaBuyId && { hidden: { mediaBuyId: item.mediaBuyId } }),
    }),
    fields: a.fields(id),
    submit: a.submit,
    ...(a.danger && { danger: true }),
    ...(a.busy && { busy: a.busy }),
    className: a.fields(id).length ? 'work-action' : 'inline-form',
  };
};

const claimSpec = (sourceId: string, itemId: string): FormSpec => ({
  id: `claim-${itemId}`,
  action: itemAction(sourceId, itemId, 'claim'),
  route: `PATCH ${itemRoute}`,
  fields: [],
  submit: 'Claim it',
  className: 'inline-form',
});

/**
 * A modular source's work queue: the open work items by kind (booking confirmations,
 * trafficking, creative references, final reports), each with what completing it takes. Every
 * action is the work item's own route (…/complete, PATCH to claim); a completed item leaves the
 * queue, and its side effects (a booked buy, a live buy, delivery) are the API's.
 */
export function registerModularWork(ctx: ConsoleContext): void {
  ctx.page(pagePath, 'SELLER', renderWork);
  for (const name of Object.keys(actions) as ActionName[]) {
    const a: Action = actions[name];
    if (name === 'report') {
      registerReport(ctx, a);
      continue;
    }
    ctx.apiForm({
      url: `${pagePath}/:workItemId/${name}`,
      persona: 'SELLER',
      page: pagePath,
      spec: ({ params }) => actionSpec(params.sourceId!, params.workItemId!, name),
      shape: (body) => ({
        ...body,
        result: { ...(body.result as Record<string, unknown> | undefined), ...a.result },
      }),
      ...(a.refusal && { refusal: a.refusal }),
      done: (data, { params }) => ({
        to: workPage(params.sourceId!),
        notice: a.notice,
        subject: (data as { item: WorkItem }).item.title,
      }),
    });
  }
  ctx.apiForm({
    url: `${pagePath}/:workItemId/claim`,
    persona: 'SELLER',
    page: pagePath,
    spec: ({ params }) => claimSpec(params.sourceId!, params.workItemId!),
    shape: () => ({ status: 'IN_PROGRESS' }),
    done: (data, { params }) => ({
      to: workPage(params.sourceId!),
      notice: 'work-claimed',
      subject: (data as { item: WorkItem }).item.title,
    }),
  });
}

/**
 * The report form of a final-report item: the buy's delivery report, interim (the item stays)
 * or final (the item completes), through the delivery-reports route.
 */
function registerReport(ctx: ConsoleContext, a: Action) {
  ctx.apiForm({
    url: `${pagePath}/:workItemId/report`,
    persona: 'SELLER',
    page: pagePath,
    spec: ({ params }) => actionSpec(params.sourceId!, params.workItemId!, 'report'),
    call: (body, { params, values }) => {
      const buy = typeof values['mediaBuyId'] === 'string' ? values['mediaBuyId'] : '';
      return {
        method: 'POST',
        path: `${modularApi(params.sourceId!)}/modular/media-buys/${seg(buy)}/delivery-reports`,
        body: reportBody(body),
      };
    },
    refusal: a.refusal!,
    done: (data, { params }) => {
      const { revision } = data as {
        revision: { revision: number; kind: string; mediaBuyId: string };
      };
      return {
        to: workPage(params.sourceId!),
        notice: a.notice,
        subject: `the ${revision.kind} report of media buy ${revision.mediaBuyId} (revision ${revision.revision})`,
      };
    },
  });
}

const workPageSize = 25;

async function renderWork(args: PageArgs): Promise<string> {
  const id = args.params.sourceId!;
  const asked = Number.parseInt(args.query['offset'] ?? '0', 10);
  const offset = Number.isSafeInteger(asked) && asked > 0 ? asked - (asked % workPageSize) : 0;
  const [projection, queue] = await Promise.all([
    args.api.get<Projection>(`${modularApi(id)}/modular`),
    args.api.get<{ items: WorkItem[]; total: number }>(`${modularApi(id)}/modular/work-items`, {
      status: 'OPEN,IN_PROGRESS,BLOCKED',
      limit: workPageSize,
      offset,
    }),
  ]);
  const name = projection.inventorySource.name;
  const frame = {
    ...(await args.frame(`Work queue of ${name}`, '/console/sources')),
    flash: args.flash,
    back: { href: sourcePage(id), label: name },
  };
  const kinds = new Map<string, WorkItem[]>();
  for (const item of queue.items) kinds.set(item.kind, [...(kinds.get(item.kind) ?? []), item]);
  const sections = [...kinds.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, items]) =>
      panel(
        `kind-${kind}-h`,
        `${kindLabel(kind)} (${items.length})`,
        `<p class="note"><code>${e(kind)}</code></p>${items.map((item) => itemCard(args, id, item)).join('')}`,
        'panel queue',
      ).replace('<section ', `<section id="kind-${e(kind)}" `),
    );
  const here = workPage(id);
  const more =
    queue.total > queue.items.length || offset > 0
      ? pager({
          label: 'Work queue pages',
          summary: shownOf(
            offset,
            queue.items.length,
            queue.total,
            'open work items, newest first',
          ),
          previous:
            offset > 0 ? hrefOf(here, { offset: offset - workPageSize || undefined }) : undefined,
          next:
            offset + workPageSize < queue.total
              ? hrefOf(here, { offset: offset + workPageSize })
              : undefined,
        })
      : '';
  return page(
    frame,
    sections.length
      ? `${more}${sections.join('\n')}`
      : panel(
          'queue-empty-h',
          'Nothing to do',
          '<p class="empty">No open work items. Bookings to confirm, buys to traffic and delivery reports to upload appear here as buyers book this source.</p>',
        ),
  );
}

function itemCard(args: PageArgs, sourceId: string, item: WorkItem): string {
  const buttons = [
    ...actionsOf(item).map((name) => args.form(actionSpec(sourceId, item.id, name, item))),
    item.status === 'OPEN' ? args.form(claimSpec(sourceId, item.id)) : '',
  ].join('');
  return `<article class="work-item" id="item-${e(item.id)}" aria-labelledby="item-${e(item.id)}-h">
<h3 id="item-${e(item.id)}-h">${e(item.title)}</h3>
${item.description ? `<p class="note">${e(item.description)}</p>` : ''}
<dl class="facts"><dt>Status</dt><dd>${statusBadge(item.status, item.status === 'BLOCKED' ? 'bad' : 'neutral')}${item.assignedTo ? ` claimed by ${e(item.assignedTo)}` : ''}</dd>
${item.mediaBuy ? buyFacts(item.mediaBuy) : item.mediaBuyId ? `<dt>Media buy</dt><dd><code>${e(item.mediaBuyId)}</code></dd>` : ''}
<dt>Opened</dt><dd>${when(item.createdAt)}</dd>
${item.dueAt ? `<dt>Due</dt><dd>${when(item.dueAt)}</dd>` : ''}
${item.blockedReason ? `<dt>Blocked</dt><dd>${e(item.blockedReason)}</dd>` : ''}</dl>
<div class="work-actions">${buttons}</div></article>`;
}
