import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { BuyerAccessService } from '../../modules/buyer-access/index.js';
import { isAppError } from '../../platform/errors.js';
import { errorEnvelopeSchema } from '../../platform/http/envelope.js';
import { escapeHtml } from '../../platform/http/html.js';

const tags = ['OAuth'];

/**
 * The platform-hosted redirect target: finishes the exchange, tells the opener window
 * (postMessage {type: 'oauth-complete'}) and closes. It carries no token to the page.
 */
export function registerOAuthCallbackPage(app: FastifyInstance, access: BuyerAccessService): void {
  app.get(
    '/api/v2/storefront/oauth/callback',
    {
      schema: {
        operationId: 'oauth.hostedCallback',
        summary: 'Hosted OAuth redirect target: exchanges the code and notifies the opener',
        tags,
        querystring: z.object({
          code: z.string().max(4096).optional(),
          state: z.string().max(255).optional(),
          error: z.string().max(255).optional(),
          error_description: z.string().max(1000).optional(),
        }),
        // A refused query (e.g. a state too long) answers the envelope, like every route; the
        // 400 page is sent as text and never meets this schema.
        response: {
          200: z.string().describe('An HTML page'),
          400: z.union([z.string().describe('An HTML page'), errorEnvelopeSchema]),
        },
      },
    },
    async (request, reply) => {
      const q = request.query as { code?: string; state?: string; error?: string };
      let message: {
        type: 'oauth-complete' | 'oauth-error';
        agentId?: string;
        status?: string;
        error?: string;
      };
      let status: 200 | 400 = 200;
      if (q.error || !q.code || !q.state) {
        message = { type: 'oauth-error', error: q.error ?? 'missing code or state' };
        status = 400;
      } else {
        try {
          const done = await access.oauth.complete(q.state, q.code);
          message = { type: 'oauth-complete', agentId: done.agentId, status: done.status };
        } catch (error) {
          if (!isAppError(error)) throw error;
          message = { type: 'oauth-error', error: error.message };
          status = 400;
        }
      }
      const nonce = randomBytes(16).toString('base64');
      const ok = message.type === 'oauth-complete';
      return reply
        .status(status)
        .header(
          'Content-Security-Policy',
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'`,
        )
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${ok ? 'Connected' : 'Connection failed'}</title>
<style>body{font:16px system-ui,sans-serif;margin:48px;color:#1a1a1a}</style></head>
<body><h1>${ok ? 'Account connected' : 'Connection failed'}</h1>
<p id="status">${escapeHtml(ok ? 'You can close this window.' : (message.error ?? 'The authorization did not complete.'))}</p>
<script nonce="${nonce}">
(function(){var m=${JSON.stringify(message).replace(/</g, '\\u003c')};
if(window.opener){window.opener.postMessage(m,'*');${ok ? 'window.close();' : ''}}})();
</script></body></html>`);
    },
  );
}
