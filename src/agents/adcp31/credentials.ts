import { isRecord } from '../../platform/is-record.js';

/**
 * Key names that hold authentication material: bearer and OAuth tokens, API keys, secrets,
 * passwords, private keys and JWK/JWKS trust material (AdCP 3.1 CREDENTIAL_IN_ARGS). Compared on
 * the key made snake_case and lower-case (`accessToken`, `Access-Token` and `access_token` are
 * one). Deliberately specific: AdCP has keys such as `offering_token` and `idempotency_key` that
 * are not credentials, so no bare `token` or `_key` suffix.
 */
const credentialKey =
  /(^|_)(access_token|refresh_token|id_token|auth_token|bearer_token|session_token|api_token|api_key|apikey|api_secret|client_secret|secret|secret_key|private_key|password|passwd|authorization|bearer|credentials?|jwks?|jwks_uri|cookie)$/;

/** Where a 3.1 list reference (core/property-list-ref.json, collection-list-ref.json) rides. */
const listReferences = new Set([
  'property_list',
  'property_list_exclude',
  'collection_list',
  'collection_list_exclude',
]);

/**
 * Where authentication material legitimately rides in AdCP arguments: the credentials the
 * seller will present when it calls an endpoint the buyer names (`{schemes, credentials}` under
 * `authentication`: push notifications, reporting and artifact webhooks, governance agents),
 * everything under `push_notification_config`, and a list reference's `auth_token` (the schema's
 * own field: the token the seller presents to the list's agent, not the buyer's credential here).
 */
const carvedOut = (parent: string | undefined, key: string) =>
  key === 'push_notification_config' ||
  (parent === 'authentication' && key === 'credentials') ||
  (parent !== undefined && listReferences.has(parent) && key === 'auth_token');

const snakeCase = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll('-', '_')
    .toLowerCase();

/** Bound on the walk: arguments are bounded before they get here (unstorable-input.ts). */
const maxDepth = 32;

/**
 * The JSONPath-lite path of the first credential-shaped key in a tool's arguments (top level,
 * `context`, `ext` or any nesting), or undefined. Only the path is reported, never the value.
 */
export function findCredentialInArgs(args: Record<string, unknown>): string | undefined {
  return walk(args, '', undefined, 0);
}

function walk(
  value: unknown,
  path: string,
  parent: string | undefined,
  depth: number,
): string | undefined {
  if (depth > maxDepth) return undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = walk(item, `${path}[${index}]`, parent, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (carvedOut(parent, key)) continue;
    const at = path === '' ? key : `${path}.${key}`;
    if (credentialKey.test(snakeCase(key)) && child !== null && child !== undefined) return at;
    const found = walk(child, at, key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
