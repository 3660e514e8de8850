import type { FastifyInstance } from 'fastify';
import type { AssetService } from './service.js';

/** Upload bodies read whole as bytes; any other type an upload might claim reaches the check. */
const uploadBodyTypes = /^((image|video|audio)\/|application\/(octet-stream|pdf)|text\/html)/;

/**
 * The binary side of assets: upload bodies parsed as bytes, and GET /assets/{assetId}, where
 * signed links lead. No API key there: the signature is the permission (sellers fetch
 * creatives through these links). Expired or tampered links answer 403, in the envelope.
 */
export function registerAssetLinks(app: FastifyInstance, assets: AssetService): void {
  app.addContentTypeParser(uploadBodyTypes, { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );
  app.get<{ Params: { assetId: string }; Querystring: { expires?: string; signature?: string } }>(
    '/assets/:assetId',
    { schema: { hide: true } },
    async (request, reply) => {
      const { row, object } = await assets.open(
        request.params.assetId,
        request.query.expires,
        request.query.signature,
      );
      const left = Math.max(0, Number(request.query.expires) - Math.floor(Date.now() / 1000));
      reply
        .header('content-type', row.contentType)
        .header('cache-control', `private, max-age=${left}`)
        // What was checked on upload is what the browser gets: no sniffing, no script.
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header(
          'content-disposition',
          `inline; filename="${row.originalFilename.replace(/[^\w.-]/g, '_')}"`,
        );
      if (object.size !== undefined) reply.header('content-length', object.size);
      return reply.send(object.body);
    },
  );
}
