import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg } from '../api.js';
import type { ConsoleContext, PageArgs, Signed } from '../context.js';
import { page, statusBadge, table, when } from '../layout.js';

interface NotificationItem {
  id: string;
  type: string;
  status: 'success' | 'error' | 'warning' | 'info';
  read: boolean;
  messagePreview: string | null;
  actionUrl: string | null;
  createdAt: string;
}

interface InboxPage {
  notifications: NotificationItem[];
  totalCount: number;
  unreadCount: number;
  hasMore: boolean;
}

const pageSize = 20;
const apiOf = (signed: Signed) =>
  signed.persona === 'SELLER' ? '/api/v2/storefront' : '/api/v2/buyer';
const tone = { success: 'good', error: 'bad', warning: 'bad', info: 'neutral' } as const;

/**
 * The inbox of either persona (/console/inbox): its notifications newest first, a page of 20 at a
 * time, each marked read on its own or all at once, through the persona's notifications API.
 */
export function registerInbox(ctx: ConsoleContext) {
  ctx.page('/console/inbox', 'ANY', renderInbox);
  ctx.apiForm({
    url: '/console/inbox/:notificationId/read',
    persona: 'ANY',
    page: '/console/inbox',
    spec: ({ params }) => readSpec(params['notificationId'] ?? ''),
    noBody: true,
    call: (_body, { params, signed }) => ({
      method: 'POST',
      path: `${apiOf(signed)}/notifications/${seg(params['notificationId'] ?? '')}/read`,
    }),
    done: () => ({ to: '/console/inbox', notice: 'notification-read', subject: '' }),
  });
  ctx.apiForm({
    url: '/console/inbox/read-all',
    persona: 'ANY',
    page: '/console/inbox',
    spec: readAllSpec,
    call: (_body, { signed }) => ({
      method: 'POST',
      path: `${apiOf(signed)}/notifications/read-all`,
      body: {},
    }),
    done: (data) => ({
      to: '/console/inbox',
      notice: 'notifications-read',
      subject: String((data as { updated?: number }).updated ?? 0),
    }),
  });
}

const readSpec = (id: string) => ({
  id: `read-${id}`,
  action: `/console/inbox/${seg(id)}/read`,
  route: 'POST /api/v2/buyer/notifications/:notificationId/read',
  fields: [],
  submit: 'Mark read',
  className: 'inline',
});

const readAllSpec = () => ({
  id: 'read-all',
  action: '/console/inbox/read-all',
  route: 'POST /api/v2/buyer/notifications/read-all',
  fields: [],
  submit: 'Mark all read',
});

async function renderInbox(args: PageArgs): Promise<string> {
  const offset = Math.max(0, Math.floor(Number(args.query['offset'] ?? 0)) || 0);
  const inbox = await args.api.get<InboxPage>(`${apiOf(args.signed)}/notifications`, {
    limit: pageSize,
    offset,
  });
  const rows = inbox.notifications.map((n) => [
    `${statusBadge(n.read ? 'read' : 'unread', n.read ? 'neutral' : 'good')}`,
    `${statusBadge(n.status, tone[n.status])} <code>${e(n.type)}</code>`,
    `${e(n.messagePreview ?? '')}${
      n.actionUrl?.startsWith('/console') ? ` <a href="${e(n.actionUrl)}">Open</a>` : ''
    }`,
    when(n.createdAt),
    n.read ? '' : args.form(readSpec(n.id)),
  ]);
  const from = inbox.notifications.length ? offset + 1 : 0;
  const to = offset + inbox.notifications.length;
  const pager = [
    offset > 0
      ? `<a href="/console/inbox?offset=${Math.max(0, offset - pageSize)}" rel="prev">Newer</a>`
      : '',
    inbox.hasMore ? `<a href="/console/inbox?offset=${to}" rel="next">Older</a>` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return page(
    { ...(await args.frame('Inbox', '/console/inbox')), flash: args.flash },
    `<section class="panel" aria-labelledby="inbox-h"><h2 id="inbox-h">Notifications</h2>
<p class="note">${inbox.unreadCount} unread of ${inbox.totalCount}. Showing ${from}–${to}.</p>
${inbox.unreadCount > 0 ? args.form(readAllSpec()) : ''}
${table('Notifications, newest first', ['Read', 'Type', 'Message', 'When', 'Action'], rows, 'Nothing yet: what needs you will show up here.')}
${pager ? `<nav class="pager" aria-label="Inbox pages"><p>${pager}</p></nav>` : ''}
</section>`,
  );
}
