import type { FastifyReply } from 'fastify';

// Everything from our origin only: script and styles (none inline), images, the one request a
// page script makes (a creative's upload), the one frame (the join page preview); forms post
// only back to us; no page may be framed by another.
export const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; " +
  "frame-ancestors 'none'";

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
