import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { forbidden } from '../errors.js';

/**
 * Serves the CSV behind signed download URLs at `${base}/:fileName`. Outside /api/v2 and without
 * an API key: the URL's signature is the credential (platform/signed-urls.ts: HMAC, expiring).
 * `open` answers the CSV's lines for a good signed path (the request line as given), undefined
 * for a tampered or expired one, which answers 403 ACCESS_DENIED either way.
 */
export function registerSignedCsvDownloads(
  app: FastifyInstance,
  base: string,
  open: (signedPath: string) => AsyncIterable<string> | undefined,
): void {
  app.get(`${base}/:fileName`, async (request, reply) => {
    const lines = open(request.url);
    if (!lines) throw forbidden('This download link is invalid or has expired');
    const { fileName } = request.params as { fileName: string };
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`)
      .header('Cache-Control', 'private, no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(Readable.from(lines));
  });
}
