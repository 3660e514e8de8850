import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import type { Guard } from '../../platform/guard/guard.js';
import type { ConsoleSessionsService } from '../../modules/console-sessions/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type { InventorySourcesService } from '../../modules/inventory-sources/index.js';
import type { JoinLinksService } from '../../modules/join-links/index.js';
import type { MediaBuysService } from '../../modules/media-buys/index.js';
import type { ReadinessService } from '../../modules/readiness/index.js';
import type { SellerAnalyticsService } from '../../modules/seller-analytics/index.js';
import type { StorefrontsService } from '../../modules/storefronts/index.js';
import { type ConsoleApi, consoleApiFactory } from './api.js';
import { registerConsoleAssets } from './assets.js';
import { consoleContext, type Signed } from './context.js';
import { routeSchemas } from './forms.js';
import type { Frame, Persona } from './layout.js';
import { registerLegacyActions } from './legacy-actions.js';
import { registerBuyerConsole } from './buyer/index.js';
import { renderRefused, renderSignIn } from './pages/sign-in.js';
import { registerSellerConsole } from './seller/index.js';
import { sendPage as html, seeOther as redirect } from './responses.js';
import { renderSessions } from './pages/sessions.js';
import { csrfMatches, newSession, sessionCookies, sessionTtlMs } from './session.js';

export interface ConsoleDeps {
  services: {
    identity: IdentityService;
    storefronts: StorefrontsService;
    readiness: ReadinessService;
    inventorySources: InventorySourcesService;
    joinLinks: JoinLinksService;
    mediaBuys: MediaBuysService;
    sellerAnalytics: SellerAnalyticsService;
    consoleSessions: ConsoleSessionsService;
  };
  secrets: SecretBox;
  /** Keys and callers, as every surface judges them (platform/guard). */
  guard: Guard;
  /** The configured public URL: https makes the session cookie Secure. */
  publicUrl: string;
  /** Where this deployment is reachable (with the real port), for join-link URLs. */
  ownUrl: () => string;
  /** The largest creative asset the API takes (the upload behind the creative form). */
  assetMaxBytes: number;
  /** The largest avails file the modular-source upload takes (the avails form streams to it). */
  feedMaxBytes: number;
}

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
    // Form posts: repeated names (a group of checkboxes) arrive as lists, the rest as strings.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, formValues(body as string)),
    );

    const form = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
    /**
     * 403 for a missing or wrong form token. A signed-in user keeps the session (a forged
     * request must not be able to sign anyone out); a visitor gets a fresh sign-in form.
     */
    const refuseCsrf = async (request: FastifyRequest, reply: FastifyReply) => {
      const session = cookies.read(request.headers.cookie);
      const text =
        'This form has expired or did not come from this console (missing or wrong security ' +
        'token). Reload the page and retry.';
      if (session?.key) return html(reply, 403, renderRefused(text));
      const visitor = session ?? newSessionFor(reply);
      return html(reply, 403, renderSignIn(visitor.csrf, { kind: 'error', text }));
    };
    /** Starts a visitor (signed-out) session and sets its cookie. */
    const newSessionFor = (reply: FastifyReply) => {
      const session = newSession();
      reply.header('Set-Cookie', cookies.serialize(session));
      return session;
    };
    const csrfOk = (request: FastifyRequest) =>
      csrfMatches(cookies.read(request.headers.cookie), form(request).csrf);

    /**
     * The signed-in user, or undefined after sending a redirect: to sign in when there is no
     * live session, to the console home when the page is for the other persona.
     */
    async function signedIn(
      request: FastifyRequest,
      reply: FastifyReply,
      persona?: Persona,
    ): Promise<Signed | undefined> {
      const session = cookies.read(request.headers.cookie);
      if (!session?.key) {
        await redirect(reply, '/console/sign-in?reason=signed-out');
        return undefined;
      }
      const end = async (reason: string) => {
        reply.header('Set-Cookie', cookies.clear());
        await redirect(reply, `/console/sign-in?reason=${reason}`);
        return undefined;
      };
      const sid = session.sid;
      // Independent reads, side by side: the key, and the session record it signed in.
      const [principal, record] = await Promise.all([
        deps.guard.identify(session.key),
        sid ? services.consoleSessions.resolve(sid) : undefined,
      ]);
      // A key revoked since sign-in (or now an admin's) ends the session.
      if (deps.guard.refusal(principal, 'customer') || principal?.kind !== 'customer') {
        if (sid) await services.consoleSessions.endByToken(sid);
        return end('revoked');
      }
      // Signed out, ended from the sessions list, or expired: the cookie, even a copy, is dead.
      // (A cookie sealed before server-side sessions existed has no token and ends here too.)
      if (!sid || !record) return end('ended');
      // The key now acts for another customer (switched): this session was not signed in for it.
      if (principal.customerId !== record.customerId || principal.keyId !== record.keyId) {
        await services.consoleSessions.endByToken(sid);
        return end('ended');
      }
      const own: Persona = principal.customerRole === 'SELLER' ? 'SELLER' : 'BUYER';
      if (persona && persona !== own) {
        await redirect(reply, '/console');
        return undefined;
      }
      return { principal, session, sessionId: record.id, persona: own };
    }

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
    ctx.page('/console/sessions', 'ANY', async (args) =>
      renderSessions(
        { ...(await args.frame('Sessions', '/console/sessions')), flash: args.flash },
        await services.consoleSessions.list(
          args.signed.principal.customerId,
          args.signed.sessionId,
        ),
      ),
    );
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

    scope.get('/console/sign-in', { schema: { hide: true } }, async (request, reply) => {
      const session = cookies.read(request.headers.cookie);
      if (session?.key) return redirect(reply, '/console');
      const visitor = session ?? newSessionFor(reply);
      const reason = (request.query as { reason?: string }).reason;
      const text = reason ? signInReasons[reason] : undefined;
      return html(
        reply,
        200,
        renderSignIn(visitor.csrf, text ? { kind: 'info', text } : undefined),
      );
    });

    scope.post('/console/sign-in', { schema: { hide: true } }, async (request, reply) => {
      const session = cookies.read(request.headers.cookie);
      const body = form(request);
      if (!csrfMatches(session, body.csrf)) return refuseCsrf(request, reply);
      const key = typeof body.apiKey === 'string' ? body.apiKey.trim() : '';
      const refuse = (status: number, text: string) =>
        html(reply, status, renderSignIn(session!.csrf, { kind: 'error', text }));
      if (!key) return refuse(400, 'Enter your API key.');
      const principal = await deps.guard.identify(key);
      const refusal = deps.guard.refusal(principal, 'customer', { keyPresented: true });
      if (!principal || refusal?.kind === 'unauthenticated') {
        return refuse(401, 'That API key is not valid or has been revoked.');
      }
      if (refusal || principal.kind !== 'customer') {
        return refuse(
          403,
          'A platform admin key acts for no organisation. Sign in with a seller or buyer API key.',
        );
      }
      // Signing in over a live session (switching key) ends the old record, so neither it
      // nor a copy of its cookie stays usable for the rest of its lifetime.
      if (session?.sid) await services.consoleSessions.endByToken(session.sid);
      const started = await services.consoleSessions.start(principal, sessionTtlMs, {
        userAgent: request.headers['user-agent'],
        ip: request.ip,
      });
      // A fresh session (new CSRF token) on sign-in, so a token seen before it is worthless.
      reply.header('Set-Cookie', cookies.serialize(newSession({ key, sid: started.token })));
      return redirect(reply, '/console');
    });

    scope.post('/console/sign-out', { schema: { hide: true } }, async (request, reply) => {
      const session = cookies.read(request.headers.cookie);
      if (!csrfMatches(session, form(request).csrf)) return refuseCsrf(request, reply);
      // Revoked server-side: a copy of this cookie is refused from now on, on every instance.
      if (session?.sid) await services.consoleSessions.endByToken(session.sid);
      reply.header('Set-Cookie', cookies.clear());
      return redirect(reply, '/console/sign-in?reason=signed-out');
    });

    registerConsoleAssets(scope);
  });
}

const signInReasons: Record<string, string> = {
  'signed-out': 'Sign in to continue.',
  revoked: 'Your session ended: the API key was revoked.',
  ended: 'Your session ended (signed out or ended from another session). Sign in again.',
};

/** A urlencoded body: a name sent once is a string, a name sent several times a list. */
function formValues(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = out[name];
    if (seen === undefined) out[name] = value;
    else out[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}
