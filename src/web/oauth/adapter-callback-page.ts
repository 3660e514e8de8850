import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  adapterCallbackPath,
  type ProviderAdaptersService,
} from '../../modules/provider-adapters/index.js';
import { isAppError } from '../../platform/errors.js';
import { errorEnvelopeSchema } from '../../platform/http/envelope.js';
import { escapeHtml } from '../html.js';

/**
 * The adapter callback path every provider's OAuth app allows (docs/adapters.md): the provider
 * redirects the operator's browser here with the code and state (or its refusal); the page
 * finishes the exchange, tells the opener window (postMessage {type: 'adapter-oauth-complete'})
 * and shows the outcome. It never carries a token to the page.
 */
export function registerAdapterCallbackPage(
  app: FastifyInstance,
  adapters: ProviderAdaptersService,
): void {
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
      let message: { type: string; sourceId?: string; error?: string };
      let status: 200 | 400 = 200;
      if (!q.state) {
        message = { type: 'adapter-oauth-error', error: 'The provider sent no state' };
        status = 400;
      } else {
        try {
          const done = await adapters.complete({
            state: q.state,
            code: q.code ?? q.auth_code,
            error: q.error,
          });
          message = { type: 'adapter-oauth-complete', sourceId: done.sourceId };
        } catch (error) {
          if (!isAppError(error)) throw error;
          message = { type: 'adapter-oauth-error', error: error.message };
          status = 400;
        }
      }
      const ok = status === 200;
      const nonce = randomBytes(16).toString('base64');
      return reply
        .status(status)
        .header(
          'Content-Security-Policy',
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'`,
        )
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${ok ? 'Connected' : 'Connection failed'}</title>
<style>body{font:16px system-ui,sans-serif;margin:48px;color:#1a1a1a}</style></head>
<body><h1>${ok ? 'Provider account connected' : 'Connection failed'}</h1>
<p id="status">${escapeHtml(ok ? 'Choose the ad account in the seller API or console if asked; you can close this window.' : (message.error ?? 'The authorization did not complete.'))}</p>
${message.sourceId ? `<p><a href="/console/sources/${encodeURIComponent(message.sourceId)}">Back to the source in the console</a></p>` : ''}
<script nonce="${nonce}">
(function(){var m=${JSON.stringify(message).replace(/</g, '\\u003c')};
if(window.opener){window.opener.postMessage(m,'*');}})();
</script></body></html>`);
    },
  );
}
