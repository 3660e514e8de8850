import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, isAppError, notFound } from '../../platform/errors.js';
import type { ConsoleContext, Signed } from './context.js';
import type { Persona } from './layout.js';
import type { notices } from './notices.js';
import type { ConsoleDeps } from './deps.js';
import { seeOther as redirect } from './responses.js';

const buyerActions = {
  approve: 'approve',
  reject: 'suspend',
  suspend: 'suspend',
  reactivate: 'reactivate',
} as const;
const decisionForm = z.object({
  status: z.enum(['approved', 'rejected']),
  notes: z.string().max(2000).optional(),
});
const idParam = z.string().min(1).max(255);

/**
 * The console's first actions (sponsored buyers, review decisions, sessions), which call the
 * services directly: CSRF first (403 when missing or wrong), then the session, then the terms
 * gate the REST API applies to writes (unless `termsGate` is false: ending sessions is never
 * held back). `act` answers the notice to redirect with; a service refusal re-renders `back`
 * with its message.
 */
export function registerLegacyActions(ctx: ConsoleContext, services: ConsoleDeps['services']) {
  function action(
    url: string,
    back: string,
    persona: Persona | undefined,
    act: (
      s: Signed,
      request: FastifyRequest,
    ) => Promise<{ notice: keyof typeof notices; subject: string }>,
    { termsGate = true } = {},
  ) {
    ctx.scope.post(url, { schema: { hide: true } }, async (request, reply) => {
      if (!ctx.csrfOk(request)) return ctx.refuseCsrf(request, reply);
      const signed = await ctx.signedIn(request, reply, persona);
      if (!signed) return reply;
      const fail = (status: number, text: string) =>
        ctx.render(back, signed, request, reply, status, { flash: { kind: 'error', text } });
      if (termsGate && !signed.principal.tosAccepted) {
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
  const form = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

  action('/console/buyers/:buyerId/:action', '/console/buyers', 'SELLER', async (s, request) => {
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

  action(
    '/console/media-buys/:mediaBuyId/decide',
    '/console/reviews',
    'SELLER',
    async (s, request) => {
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
    },
  );

  action(
    '/console/creative-reviews/:reviewId/decide',
    '/console/reviews',
    'SELLER',
    async (s, request) => {
      const id = idOf((request.params as { reviewId: string }).reviewId);
      const input = parseDecision(form(request));
      const decided = await services.creativeReviews.decideReview(s.principal, id, {
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
    },
  );

  action(
    '/console/sessions/:sessionId/end',
    '/console/sessions',
    undefined,
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
    undefined,
    async (s) => {
      const ended = await services.consoleSessions.endOthers(s.principal.customerId, s.sessionId);
      return { notice: 'other-sessions-ended', subject: String(ended) };
    },
    { termsGate: false },
  );
}

function parseDecision(body: Record<string, unknown>) {
  const parsed = decisionForm.safeParse(body);
  if (!parsed.success) {
    throw new AppError('invalid', 'Choose Approve or Reject; notes are at most 2000 characters.');
  }
  return parsed.data;
}

function idOf(value: string): string {
  if (!idParam.safeParse(value).success) throw notFound('Review entry');
  return value;
}
