import type { ConsoleSessionView } from '../../../modules/console-sessions/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { type Frame, page, postForm, statusBadge, table, when } from '../layout.js';
import { hrefOf, pager, shownOf } from '../pager.js';

/** Sessions a page shows. */
export const sessionsPageSize = 25;

/**
 * The seller's signed-in console sessions (every browser signed in with one of its keys), each
 * with "End"; the current one is marked and ends with Sign out.
 */
export function renderSessions(
  frame: Frame,
  list: { items: ConsoleSessionView[]; total: number },
  offset: number,
): string {
  const sessions = list.items;
  const browser = (s: ConsoleSessionView) => s.userAgent ?? 'Unknown browser';
  const rows = sessions.map((s) => [
    `${e(browser(s))}${s.current ? `<br>${statusBadge('this session', 'good')}` : ''}`,
    e(s.ip ?? '—'),
    when(s.createdAt),
    when(s.lastSeenAt),
    when(s.expiresAt),
    s.current
      ? '<span class="note">Use Sign out</span>'
      : postForm(
          `/console/sessions/${encodeURIComponent(s.id)}/end`,
          frame.csrf,
          `<button type="submit" class="danger" aria-label="${e(`End session of ${browser(s)} signed in ${s.createdAt.slice(0, 16).replace('T', ' ')} UTC`)}">End</button>`,
          'inline',
        ),
  ]);
  const others = list.total > 1;
  const paging = pager({
    label: 'Sessions pages',
    summary: shownOf(offset, sessions.length, list.total, 'sessions'),
    first: offset > 0 ? '/console/sessions' : undefined,
    previous:
      offset > 0
        ? hrefOf('/console/sessions', { offset: offset - sessionsPageSize || undefined })
        : undefined,
    next:
      offset + sessionsPageSize < list.total
        ? hrefOf('/console/sessions', { offset: offset + sessionsPageSize })
        : undefined,
  });
  return page(
    frame,
    `<section class="panel" aria-labelledby="sessions-h"><h2 id="sessions-h">Signed-in sessions</h2>
<p class="note">Every browser signed in to this console for your storefront. Ending a session
signs that browser out at once, even if its cookie was copied; revoking the API key it signed in
with ends it too.</p>
${table('Console sessions', ['Browser', 'IP address', 'Signed in', 'Last seen', 'Expires', 'Action'], rows, 'No signed-in sessions.')}
${paging}
${others ? postForm('/console/sessions/end-others', frame.csrf, '<button type="submit" class="danger">End all other sessions</button>') : ''}
</section>`,
  );
}
