import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../deps.js';
import { renderSignIn } from '../pages/sign-in.js';
import { sendPage as html, seeOther as redirect } from '../responses.js';
import type { SessionGate } from './gate.js';
import { csrfMatches, newSession, type SessionCookies, sessionTtlMs } from './cookies.js';

/**
 * Signing in to the console with an organisation's API key (a fresh session and CSRF token,
 * recorded server-side) and signing out (the record revoked, so no copy of the cookie lives on).
 */
export function registerSignInRoutes(
  scope: FastifyInstance,
  deps: ConsoleDeps,
  cookies: SessionCookies,
  gate: SessionGate,
): void {
  const { services } = deps;
  const { form, refuseCsrf, newSessionFor } = gate;

  scope.get('/console/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const session = cookies.read(request.headers.cookie);
    if (session?.key) return redirect(reply, '/console');
    const visitor = session ?? newSessionFor(reply);
    const reason = (request.query as { reason?: string }).reason;
    const text = reason ? signInReasons[reason] : undefined;
    return html(reply, 200, renderSignIn(visitor.csrf, text ? { kind: 'info', text } : undefined));
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
}

const signInReasons: Record<string, string> = {
  'signed-out': 'Sign in to continue.',
  revoked: 'Your session ended: the API key was revoked.',
  ended: 'Your session ended (signed out or ended from another session). Sign in again.',
};
