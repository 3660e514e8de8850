import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FormPost, Signed } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import type { Persona } from '../layout.js';
import { renderRefused, renderSignIn } from '../pages/sign-in.js';
import { sendPage as html, seeOther as redirect } from '../responses.js';
import { csrfMatches, newSession, type SessionCookies } from './cookies.js';

export type SessionGate = ReturnType<typeof sessionGate>;

/**
 * Who is signed in to the console and whether a form came from it: the session cookie read
 * against the key and the server-side session record (a revoked key, an ended or switched
 * session signs out), and the CSRF token every form posts back.
 */
export function sessionGate(deps: ConsoleDeps, cookies: SessionCookies) {
  const { services } = deps;

  const form = (request: Pick<FastifyRequest, 'body'>) =>
    (request.body ?? {}) as Record<string, unknown>;
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
  const csrfOk = (request: FormPost) =>
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

  return { form, refuseCsrf, newSessionFor, csrfOk, signedIn };
}

/**
 * Form posts to the console: a urlencoded body up to 64 KiB, where repeated names (a group of
 * checkboxes) arrive as lists and the rest as strings.
 */
export function acceptFormPosts(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, formValues(body as string)),
  );
}

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
