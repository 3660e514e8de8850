import type { FastifyInstance } from 'fastify';
import { jsonRpcError } from '../../../platform/mcp/json-rpc.js';
import { type Release, supportedReleases, toolTable } from '../../adcp31/index.js';
import { schemasPath } from './card.js';
import { publishedSchema } from './published.js';

const isRelease = (value: string): value is Release =>
  (supportedReleases as readonly string[]).includes(value);

/**
 * The request schemas the agents publish, readable by anyone (they are the spec's, nobody's
 * data): `GET /adcp/schemas` lists them per release, `GET /adcp/schemas/{release}/{tool}.json`
 * is one, whole (MCP's tools/list carries its compact form, compact.ts). The A2A card's extension
 * links its skills here (card.ts).
 */
export function registerToolSchemaRoutes(app: FastifyInstance): void {
  app.get(schemasPath, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send({
      releases: [...supportedReleases],
      tools: Object.keys(toolTable).sort(),
      schema: `${schemasPath}/{release}/{tool}.json`,
    }),
  );
  app.get(`${schemasPath}/:release/:file`, async (request, reply) => {
    const { release, file } = request.params as { release: string; file: string };
    const tool = file.endsWith('.json') ? file.slice(0, -'.json'.length) : '';
    const found =
      isRelease(release) && toolTable[tool] ? publishedSchema(tool, release) : undefined;
    if (!found) {
      return reply
        .code(404)
        .send(jsonRpcError(-32001, `No request schema ${release}/${file} (GET ${schemasPath})`));
    }
    return reply
      .header('cache-control', 'public, max-age=3600')
      .header('x-adcp-request-schema', found.source)
      .send(found.schema);
  });
}
