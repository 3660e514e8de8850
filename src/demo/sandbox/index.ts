import type { ServeExtras } from '../../server.js';
import { sandboxKinds, sandboxKindName } from './kinds.js';
import { sandboxRoutes } from './routes.js';
import type { Sandbox } from './start.js';

export { startSandbox, type Sandbox } from './start.js';
export { sandboxRequested } from '../../config.js';

/**
 * The demo's extras with the sandbox added: its REST path mounted, exactly its fakes' origins let
 * past the outbound guard, and what it offers printed once the server listens.
 */
export function withSandbox(extras: ServeExtras, sandbox: Sandbox): ServeExtras {
  return {
    ...extras,
    extensions: [...(extras.extensions ?? []), sandboxRoutes(sandbox)],
    trustedLocalOrigins: [...(extras.trustedLocalOrigins ?? []), ...sandbox.origins],
    banner: (baseUrl) => [
      ...(extras.banner?.(baseUrl) ?? []),
      '',
      'Sandbox (INTERCHANGE_SANDBOX=1): local fakes of ad servers and providers, nothing is delivered',
      `  In the console: ${baseUrl}/console/sandbox (sign in with the seller key)`,
      ...sandboxKinds.map(
        (kind) =>
          `  ${sandboxKindName(kind).padEnd(18)} curl -X POST -H "Authorization: Bearer <seller key>" ${baseUrl}/api/v2/storefront/sandbox/${kind}/connect`,
      ),
      `  What it offers, and the fake Ad Manager's orders: GET ${baseUrl}/api/v2/storefront/sandbox`,
    ],
  };
}
