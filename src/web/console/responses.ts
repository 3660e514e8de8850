import type { FastifyReply } from 'fastify';

// Script and styles from our origin only, no inline script or style, no network calls, no
// framing; forms post only back to us.
export const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "connect-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** A console page: never cached (it shows the seller's data), under the strict policy. */
export function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply
    .status(status)
    .header('Content-Security-Policy', contentSecurityPolicy)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(body);
}

/** 303 See Other: after a form POST the browser GETs the target (no resubmission on reload). */
export function seeOther(reply: FastifyReply, to: string) {
  return reply.header('Cache-Control', 'no-store').redirect(to, 303);
}
