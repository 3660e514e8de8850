import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerOf } from '../../platform/http/auth/api-key.js';

/**
 * The principal handlers see for a presented token. The client id is a digest, so idempotency
 * scopes differ per credential without the token itself reaching logs or state.
 */
export function authInfoOf(token: string | undefined): AuthInfo | undefined {
  if (!token) return undefined;
  const digest = createHash('sha256').update(token).digest('hex').slice(0, 16);
  return { token, clientId: `demo-buyer-${digest}`, scopes: [] };
}

/**
 * When the agent is configured with a token, every request in `scope` except the public ones
 * (agent card discovery) must present it, or gets 401 with a Bearer challenge.
 */
export function requireBearer(
  scope: FastifyInstance,
  token: string,
  isPublic: (request: FastifyRequest) => boolean,
): void {
  const expected = createHash('sha256').update(token).digest();
  scope.addHook('onRequest', async (request, reply) => {
    if (isPublic(request)) return;
    const presented = bearerOf(request.headers.authorization);
    const matches =
      presented !== undefined &&
      timingSafeEqual(createHash('sha256').update(presented).digest(), expected);
    if (matches) return;
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="demo-seller"')
      .send({ error: 'unauthorized', message: 'Send "Authorization: Bearer <token>"' });
  });
}
