import type { ConsoleContext } from './context.js';
import type { Persona } from './layout.js';
import { seeOther } from './responses.js';

/**
 * `${page}/export`: the report of `page` as CSV, through the reporting API's signed download
 * (download=true with the page's scope), then a redirect to the signed link by path (it is
 * served by this server, whatever the public URL). An API refusal is shown on the page.
 */
export function registerReportExport(
  ctx: ConsoleContext,
  options: {
    page: string;
    persona: Persona;
    apiPath: string;
    scopeOf: (query: Record<string, string>) => Record<string, string>;
  },
): void {
  ctx.scope.get(`${options.page}/export`, { schema: { hide: true } }, async (request, reply) => {
    const signed = await ctx.signedIn(request, reply, options.persona);
    if (!signed) return reply;
    const scope = options.scopeOf(request.query as Record<string, string>);
    const answer = await ctx.apiFor(signed, request).call<{ downloadUrl: string }>({
      method: 'GET',
      path: options.apiPath,
      query: { ...scope, view: 'timeseries', download: 'true' },
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
