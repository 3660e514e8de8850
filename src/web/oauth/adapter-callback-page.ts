import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  adapterCallbackPath,
  type ProviderAdaptersService,
} from '../../modules/provider-adapters/index.js';
import { isAppError } from '../../platform/errors.js';
import { errorEnvelopeSchema } from '../../platform/http/envelope.js';
import { acceptFormPosts } from '../console/session/gate.js';
import { escapeHtml as e } from '../../platform/http/html.js';
import { clearedBinding, isBound } from './consent-binding.js';

/**
 * The adapter callback path every provider's OAuth app allows (docs/adapters.md): the provider
 * redirects the operator's browser here with the code and state (or its refusal). In the
 * browser that started the consent from the console (consent-binding.ts) the page finishes the
 * exchange at once; in any other it first names the source that would receive the account and
 * finishes on a click (POST …/confirm). It tells the opener window (postMessage
 * {type: 'adapter-oauth-complete'}) and shows the outcome; it never carries a token to the page.
 */

type Outcome = { type: string; sourceId?: string; error?: string };

const confirmPath = `${adapterCallbackPath}/confirm`;

function page(reply: FastifyReply, status: number, title: string, body: string, script = '') {
  const nonce = randomBytes(16).toString('base64');
  return reply
    .status(status)
    .header(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    )
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title>
<style>body{font:16px system-ui,sans-serif;margin:48px;color:#1a1a1a;max-width:40em}button{font:inherit;padding:8px 16px}</style></head>
<body>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`);
}

export function registerAdapterCallbackPage(
  app: FastifyInstance,
  adapters: ProviderAdaptersService,
  options: { secure: boolean },
): void {
  async function finish(
    reply: FastifyReply,
    input: { state: string; code?: string | undefined; error?: string | undefined },
  ) {
    let outcome: Outcome;
    let status = 200;
    try {
      const done = await adapters.complete(input);
      outcome = { type: 'adapter-oauth-complete', sourceId: done.sourceId };
    } catch (error) {
      if (!isAppError(error)) throw error;
      outcome = { type: 'adapter-oauth-error', error: error.message };
      status = 400;
    }
    return outcomePage(reply.header('Set-Cookie', clearedBinding(options.secure)), status, outcome);
  }

  app.get(
    adapterCallbackPath,
    {
      schema: {
        operationId: 'adapterOAuth.hostedCallback',
        summary: 'Wired adapter OAuth redirect target: exchanges the code, shows the outcome',
        tags: ['Storefront'],
        querystring: z.object({
          code: z.string().max(4096).optional(),
          // TikTok's advertiser authorization sends the code as auth_code.
          auth_code: z.string().max(4096).optional(),
          state: z.string().max(255).optional(),
          error: z.string().max(255).optional(),
          error_reason: z.string().max(255).optional(),
          error_description: z.string().max(1000).optional(),
        }),
        response: {
          200: z.string().describe('An HTML page'),
          400: z.union([z.string().describe('An HTML page'), errorEnvelopeSchema]),
        },
      },
    },
    async (request, reply) => {
      const q = request.query as {
        code?: string;
        auth_code?: string;
        state?: string;
        error?: string;
      };
      if (!q.state) {
        return outcomePage(reply, 400, {
          type: 'adapter-oauth-error',
          error: 'The provider sent no state',
        });
      }
      const code = q.code ?? q.auth_code;
      // A refusal connects nothing; the browser that started it finishes at once.
      if (q.error || !code || isBound(request.headers.cookie, q.state)) {
        return finish(reply, { state: q.state, code, error: q.error });
      }
      const pending = await adapters.pendingConsent(q.state);
      if (!pending) return finish(reply, { state: q.state, code });
      return page(
        reply,
        200,
        'Confirm the connection',
        `<h1>Connect this ${e(pending.providerDisplayName)} account?</h1>
<p>You approved access at ${e(pending.providerDisplayName)}. Finishing connects that account to the inventory source <strong>${e(pending.sourceName)}</strong> (<code>${e(pending.sourceId)}</code>) of a storefront on this Interchange, which will then buy in it.</p>
<p>Only continue if you started this connection yourself, from your own Interchange account. If someone sent you the link, close this page: nothing is connected.</p>
<form method="post" action="${e(confirmPath)}">
<input type="hidden" name="state" value="${e(q.state)}"><input type="hidden" name="code" value="${e(code)}">
<button type="submit">Connect the account</button></form>`,
      );
    },
  );

  // The confirmation's form post (urlencoded), in a scope of its own for that body type.
  void app.register(async (scope) => {
    acceptFormPosts(scope);
    scope.post(
      confirmPath,
      {
        schema: {
          operationId: 'adapterOAuth.confirmCallback',
          summary:
            'Wired adapter OAuth: finishes a consent opened in another browser, on its confirmation',
          description:
            'The form the callback page shows when the consent was not started in this browser ' +
            '(docs/adapters.md, "Who finishes a consent"): posted as ' +
            'application/x-www-form-urlencoded with the state and code the provider sent.',
          tags: ['Storefront'],
          consumes: ['application/x-www-form-urlencoded'],
          body: z.object({
            state: z.string().min(1).max(255),
            code: z.string().min(1).max(4096),
          }),
          response: {
            200: z.string().describe('An HTML page'),
            400: z.union([z.string().describe('An HTML page'), errorEnvelopeSchema]),
          },
        },
      },
      async (request, reply) => {
        const body = request.body as { state: string; code: string };
        return finish(reply, body);
      },
    );
  });
}

function outcomePage(reply: FastifyReply, status: number, message: Outcome) {
  const ok = status === 200;
  return page(
    reply,
    status,
    ok ? 'Connected' : 'Connection failed',
    `<h1>${ok ? 'Provider account connected' : 'Connection failed'}</h1>
<p id="status">${e(ok ? 'Choose the ad account in the seller API or console if asked; you can close this window.' : (message.error ?? 'The authorization did not complete.'))}</p>
${message.sourceId ? `<p><a href="/console/sources/${encodeURIComponent(message.sourceId)}">Back to the source in the console</a></p>` : ''}`,
    `(function(){var m=${JSON.stringify(message).replace(/</g, '\\u003c')};
if(window.opener){window.opener.postMessage(m,'*');}})();`,
  );
}
