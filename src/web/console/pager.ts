import { escapeHtml as e } from '../../platform/http/html.js';
import type { ConsoleContext } from './context.js';
import type { Persona } from './layout.js';
import { seeOther } from './responses.js';

/** `path` with the query's non-empty values (a link that keeps a list's filters). */
export function hrefOf(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * A list's paging: what is shown of how many, and links to the first, previous and next pages
 * (plain links: they work without script and by keyboard). `label` names the list for screen
 * readers, since a page may page more than one.
 */
export function pager(options: {
  label: string;
  summary: string;
  first?: string | undefined;
  previous?: string | undefined;
  next?: string | undefined;
}): string {
  const links = [
    options.first && `<a href="${e(options.first)}">First page</a>`,
    options.previous && `<a href="${e(options.previous)}" rel="prev">Previous page</a>`,
    options.next && `<a href="${e(options.next)}" rel="next">Next page</a>`,
  ].filter(Boolean);
  return `<nav class="pager" aria-label="${e(options.label)}"><p class="note">${e(options.summary)}</p>${
    links.length ? `<p class="button-row">${links.join(' ')}</p>` : ''
  }</nav>`;
}

/** The window an offset list shows: "Showing 51–100 of 240". */
export function shownOf(skip: number, count: number, total: number, noun: string): string {
  if (total === 0) return `No ${noun}.`;
  return `Showing ${skip + 1}–${skip + count} of ${total} ${noun}.`;
}

/**
 * A GET `path` that asks the API for a signed CSV link (`apiPathOf` with `queryOf`'s query) and
 * redirects the browser to it by path (it is served by this server, whatever the public URL).
 * An API refusal is shown on `page`, the list the export was asked from.
 */
export function registerSignedExport(
  ctx: ConsoleContext,
  options: {
    path: string;
    page: string;
    persona: Persona;
    apiPathOf: (params: Record<string, string>) => string;
    queryOf: (query: Record<string, string>) => Record<string, string>;
  },
): void {
  ctx.scope.get(options.path, { schema: { hide: true } }, async (request, reply) => {
    const signed = await ctx.signedIn(request, reply, options.persona);
    if (!signed) return reply;
    const answer = await ctx.apiFor(signed, request).call<{ downloadUrl: string }>({
      method: 'GET',
      path: options.apiPathOf(request.params as Record<string, string>),
      query: options.queryOf(request.query as Record<string, string>),
    });
    if (answer.error) {
      return ctx.render(options.page, signed, request, reply, answer.status, {
        flash: { kind: 'error', text: answer.error.message },
      });
    }
    const url = new URL(answer.data.downloadUrl, 'http://own.invalid');
    return seeOther(reply, `${url.pathname}${url.search}`);
  });
}
