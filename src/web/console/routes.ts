import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ConsoleApi, consoleApiFactory } from './api.js';
import { registerConsoleAssets } from './assets/routes.js';
import { consoleContext, type Signed } from './context.js';
import type { ConsoleDeps } from './deps.js';
import { routeSchemas } from './forms/index.js';
import type { Frame } from './layout.js';
import { registerLegacyActions } from './legacy-actions.js';
import { registerBuyerConsole } from './buyer/index.js';
import { registerSellerConsole } from './seller/index.js';
import { renderSessions, sessionsPageSize } from './pages/sessions.js';
import { registerInbox } from './pages/inbox.js';
import { acceptFormPosts, sessionGate } from './session/gate.js';
import { sessionCookies } from './session/cookies.js';
import { registerSignInRoutes } from './session/sign-in-routes.js';

/**
 * The console at /console: server-rendered pages for a seller (its storefront) or a buyer (its
 * advertisers and campaigns), signed in with the organisation's API key; the key's role decides
 * the persona. Pages read and forms write through the REST API's own routes, called in process
 * with the signed-in key (api.ts); every form posts back here with the session's CSRF token.
 */
export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const { services } = deps;
  const cookies = sessionCookies(deps.secrets, deps.publicUrl);
  const apiOf = consoleApiFactory(app);

  void app.register(async (scope) => {
    acceptFormPosts(scope);
    const gate = sessionGate(deps, cookies);
    const { signedIn, csrfOk, refuseCsrf } = gate;

    const apiFor = (signed: Signed, request: FastifyRequest): ConsoleApi =>
      apiOf(signed.session.key!, request.ip);

    async function frameOf(
      signed: Signed,
      api: ConsoleApi,
      title: string,
      current: string,
    ): Promise<Frame> {
      const name =
        signed.persona === 'SELLER'
          ? (await services.storefronts.getOwn(signed.principal)).name
          : (await api.get<{ name: string }>('/api/v2/accounts/current')).name;
      return {
        title,
        current,
        storefrontName: name,
        csrf: signed.session.csrf,
        persona: signed.persona,
        termsPending: !signed.principal.tosAccepted,
        unread: await services.notifications.unreadCount(signed.principal.customerId),
      };
    }

    const ctx = consoleContext({
      scope,
      schemas: routeSchemas(app.routeCatalog),
      signedIn,
      csrfOk,
      refuseCsrf,
      apiFor,
      frameOf,
    });

    const seller = registerSellerConsole(ctx, deps);
    const buyer = registerBuyerConsole(ctx, { assetMaxBytes: deps.assetMaxBytes });
    // The home page is the persona's own: readiness for a seller, the overview for a buyer.
    ctx.page('/console', 'ANY', (args) =>
      args.signed.persona === 'SELLER' ? seller.home(args) : buyer.home(args),
    );
    ctx.page('/console/sessions', 'ANY', async (args) => {
      // A page of sessions from ?offset= (a multiple of the page size; anything else is 0).
      const asked = Number.parseInt(args.query['offset'] ?? '0', 10);
      const offset =
        Number.isSafeInteger(asked) && asked > 0 ? asked - (asked % sessionsPageSize) : 0;
      return renderSessions(
        { ...(await args.frame('Sessions', '/console/sessions')), flash: args.flash },
        await services.consoleSessions.list(
          args.signed.principal.customerId,
          args.signed.sessionId,
          { offset, limit: sessionsPageSize },
        ),
        offset,
      );
    });
    registerInbox(ctx);
    registerLegacyActions(ctx, services);

    // Accepting the terms, as POST /api/v2/accounts/terms/accept does (it is that route).
    ctx.apiForm({
      url: '/console/terms/accept',
      persona: 'ANY',
      page: '/console',
      spec: () => ({
        id: 'terms',
        action: '/console/terms/accept',
        route: 'POST /api/v2/accounts/terms/accept',
        fields: [],
        submit: 'Accept the terms of service',
      }),
      noBody: true,
      done: () => ({ to: '/console', notice: 'terms-accepted', subject: '' }),
    });

    registerSignInRoutes(scope, deps, cookies, gate);
    registerConsoleAssets(scope);
  });
}
