import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import { isAppError, notFound } from '../../platform/errors.js';
import type { Guard } from '../../platform/guard/guard.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ConsoleSessionsService } from '../../modules/console-sessions/index.js';
import type { IdentityService } from '../../modules/identity/index.js';
import type { InventorySourcesService } from '../../modules/inventory-sources/index.js';
import type { JoinLinksService } from '../../modules/join-links/index.js';
import type { MediaBuysService } from '../../modules/media-buys/index.js';
import type { ReadinessService } from '../../modules/readiness/index.js';
import type { SellerAnalyticsService } from '../../modules/seller-analytics/index.js';
import type { StorefrontsService } from '../../modules/storefronts/index.js';
import { analyticsCharts } from '../analytics-charts/charts.js';
import type { Flash, Frame, SectionPath } from './layout.js';
import { renderAnalytics } from './pages/analytics.js';
import { renderBuyers } from './pages/buyers.js';
import { renderReadiness } from './pages/readiness.js';
import { renderReviews } from './pages/reviews.js';
import { renderRefused, renderSignIn } from './pages/sign-in.js';
import { renderSessions } from './pages/sessions.js';
import { renderSources } from './pages/sources.js';
import {
  csrfMatches,
  newSession,
  sessionCookies,
  sessionTtlMs,
  type ConsoleSession,
} from './session.js';
import { registerConsoleAssets } from './assets.js';
import { sendPage as html, seeOther as redirect } from './responses.js';
import type { notices } from './notices.js';
import { idOf, idParam, parseDecision, signInReasons, signInRefusals } from './forms.js';
import { noticeText } from './notices.js';

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
}

interface Signed {
  principal: CustomerPrincipal;
  session: ConsoleSession;
  /** The server-side session record's public id (the sessions list marks it). */
  sessionId: string;
}

const buyerActions = {
  approve: 'approve',
  reject: 'suspend',
  suspend: 'suspend',
  reactivate: 'reactivate',
} as const;

/**
 * The operator console at /console: server-rendered pages for a seller, signed in with its API
 * key. Every page reads through the same services as the REST routes; every form posts back
 * here with the session's CSRF token.
 */
export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const { services } = deps;
  const cookies = sessionCookies(deps.secrets, deps.publicUrl);

  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    const form = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
    /**
     * 403 for a missing or wrong form token. A signed-in seller keeps the session (a forged
     * request must not be able to sign anyone out); a visitor gets a fresh sign-in form.
     */
    const refuseCsrf = (request: FastifyRequest, reply: FastifyReply) => {
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

    /** The signed-in seller, or undefined after sending the sign-in redirect. */
    async function signedIn(
      request: FastifyRequest,
      reply: FastifyReply,
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
      // A key revoked (or its customer turned buyer) since sign-in ends the session.
      if (deps.guard.refusal(principal, 'seller') || principal?.kind !== 'customer') {
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
      return { principal, session, sessionId: record.id };
    }

    async function frameOf(
      { principal, session }: Signed,
      title: string,
      current: SectionPath,
      flash?: Flash,
    ): Promise<Frame> {
      const storefront = await services.storefronts.getOwn(principal);
      return { title, current, storefrontName: storefront.name, csrf: session.csrf, flash };
    }

    const pages: Record<SectionPath, (s: Signed, flash?: Flash) => Promise<string>> = {
      '/console': async (s, flash) =>
        renderReadiness(
          await frameOf(s, 'Readiness', '/console', flash),
          await services.readiness.forSeller(s.principal),
        ),
      '/console/sources': async (s, flash) =>
        renderSources(
          await frameOf(s, 'Inventory sources', '/console/sources', flash),
          await services.inventorySources.list(s.principal),
        ),
      '/console/buyers': async (s, flash) =>
        renderBuyers(
          await frameOf(s, 'Buyers and join links', '/console/buyers', flash),
          (await services.joinLinks.list(s.principal)).items,
          (await services.identity.sponsorships.list(s.principal)).items,
          deps.ownUrl(),
        ),
      '/console/reviews': async (s, flash) =>
        renderReviews(
          await frameOf(s, 'Review queues', '/console/reviews', flash),
          await services.mediaBuys.listApprovals(s.principal, 'pending'),
          await services.mediaBuys.listReviews(s.principal, 'pending'),
        ),
      '/console/sessions': async (s, flash) =>
        renderSessions(
          await frameOf(s, 'Sessions', '/console/sessions', flash),
          await services.consoleSessions.list(s.principal.customerId, s.sessionId),
        ),
      '/console/analytics': async (s, flash) => {
        const analytics = await services.sellerAnalytics.analytics(s.principal, 100);
        return renderAnalytics(
          await frameOf(s, 'Analytics', '/console/analytics', flash),
          analytics,
          analyticsCharts(analytics),
        );
      },
    };

    for (const path of Object.keys(pages) as SectionPath[]) {
      scope.get(path, { schema: { hide: true } }, async (request, reply) => {
        const signed = await signedIn(request, reply);
        if (!signed) return reply;
        const query = request.query as { notice?: string; subject?: string };
        const text = noticeText(query.notice, query.subject);
        return html(
          reply,
          200,
          await pages[path](signed, text ? { kind: 'info', text } : undefined),
        );
      });
    }

    /**
     * A state-changing form: CSRF first (403 when missing or wrong), then the session, then the
     * terms gate the REST API applies to writes (unless `termsGate` is false: ending sessions is
     * never held back). `act` answers the notice to redirect with; a service refusal re-renders
     * `back` with its message.
     */
    function action(
      url: string,
      back: SectionPath,
      act: (
        s: Signed,
        request: FastifyRequest,
      ) => Promise<{ notice: keyof typeof notices; subject: string }>,
      { termsGate = true } = {},
    ) {
      scope.post(url, { schema: { hide: true } }, async (request, reply) => {
        if (!csrfMatches(cookies.read(request.headers.cookie), form(request).csrf)) {
          return refuseCsrf(request, reply);
        }
        const signed = await signedIn(request, reply);
        if (!signed) return reply;
        const fail = async (status: number, text: string) =>
          html(reply, status, await pages[back](signed, { kind: 'error', text }));
        if (deps.guard.refusal(signed.principal, 'seller', { write: termsGate })) {
          return fail(
            403,
            'Your organisation must accept the current terms of service before making changes ' +
              '(POST /api/v2/accounts/terms/accept).',
          );
        }
        try {
          const done = await act(signed, request);
          const query = new URLSearchParams({ notice: done.notice, subject: done.subject });
          return redirect(reply, `${back}?${query}`);
        } catch (error) {
          if (!isAppError(error)) throw error;
          const status = { not_found: 404, conflict: 409, invalid: 400, forbidden: 403 }[
            error.kind as string
          ];
          return fail(status ?? 400, error.message);
        }
      });
    }

    action('/console/buyers/:buyerId/:action', '/console/buyers', async (s, request) => {
      const params = request.params as { buyerId: string; action: string };
      const id = Number(params.buyerId);
      const transition = buyerActions[params.action as keyof typeof buyerActions];
      if (!Number.isSafeInteger(id) || id <= 0 || !transition) throw notFound('Sponsored buyer');
      const buyer = await services.identity.sponsorships.transition(s.principal, id, transition);
      return {
        notice: `buyer-${params.action}` as keyof typeof notices,
        subject: buyer.buyerName ?? `buyer ${id}`,
      };
    });

    action('/console/media-buys/:mediaBuyId/decide', '/console/reviews', async (s, request) => {
      const id = idOf((request.params as { mediaBuyId: string }).mediaBuyId);
      const input = parseDecision(form(request));
      const decided = await services.mediaBuys.decideApproval(s.principal, id, {
        status: input.status,
        reviewerNotes: input.notes || null,
      });
      // An approval says plainly when the forward to the sources did not fully go through.
      const incomplete =
        decided.status === 'approved' && decided.forwardOutcome !== 'all_completed';
      return {
        notice: incomplete ? 'media-buy-approved-unforwarded' : `media-buy-${input.status}`,
        subject: decided.mediaBuyId,
      };
    });

    action('/console/creative-reviews/:reviewId/decide', '/console/reviews', async (s, request) => {
      const id = idOf((request.params as { reviewId: string }).reviewId);
      const input = parseDecision(form(request));
      const decided = await services.mediaBuys.decideReview(s.principal, id, {
        status: input.status,
        reviewer_notes: input.notes || null,
      });
      const incomplete =
        decided.status === 'approved' &&
        (decided.forwardResult ?? []).some((leg) => leg.status === 'failed');
      return {
        notice: incomplete ? 'creative-approved-unforwarded' : `creative-${input.status}`,
        subject: decided.creativeId,
      };
    });

    action(
      '/console/sessions/:sessionId/end',
      '/console/sessions',
      async (s, request) => {
        const id = (request.params as { sessionId: string }).sessionId;
        if (!idParam.safeParse(id).success) throw notFound('Console session');
        await services.consoleSessions.end(s.principal.customerId, id);
        return { notice: 'session-ended', subject: id };
      },
      { termsGate: false },
    );

    action(
      '/console/sessions/end-others',
      '/console/sessions',
      async (s) => {
        const ended = await services.consoleSessions.endOthers(s.principal.customerId, s.sessionId);
        return { notice: 'other-sessions-ended', subject: String(ended) };
      },
      { termsGate: false },
    );

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
      if (!key) return refuse(400, 'Enter your seller API key.');
      const principal = await deps.guard.identify(key);
      const refusal = deps.guard.refusal(principal, 'seller', { keyPresented: true });
      if (refusal || principal?.kind !== 'customer') {
        const [status, text] = signInRefusals[refusal?.reason ?? 'invalid_key'] ?? [
          401,
          'That API key is not valid or has been revoked.',
        ];
        return refuse(status, text);
      }
      // Signing in over a live session (switching seller) ends the old record, so neither it
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
