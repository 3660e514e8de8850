import { hashApiKey, keyMatches, lookupOf } from '../../../platform/crypto/api-keys.js';
import type { Db } from '../../../platform/db/database.js';
import { isoDate } from '../../../platform/formats.js';
import type { Principal } from '../../../platform/principal.js';
import { apiKeyNotFound, customerNotFound } from '../errors.js';
import type { createKeyCache } from './cache.js';
import { mintKey } from './mint.js';
import { principalFromKey } from './principals.js';
import * as store from '../store.js';

const lastUsedWriteIntervalMs = 60_000;

/**
 * API keys: resolving a bearer token to its principal (through the short key cache, noting
 * when a key was last used at most once a minute), minting customer and admin keys, the
 * configured or bootstrap admin key, and revocation with its hooks.
 */
export function createKeyService(deps: {
  db: Db;
  cache: ReturnType<typeof createKeyCache>;
  now: () => Date;
  onKeyRevoked?: ((keyId: string) => Promise<void>)[] | undefined;
  onError?: ((error: unknown, context: string) => void) | undefined;
}) {
  const { db, cache, now } = deps;
  const lastUsedWrites = new Map<string, number>();

  function noteKeyUsed(keyId: string): void {
    const t = now().getTime();
    const last = lastUsedWrites.get(keyId);
    if (last !== undefined && t - last < lastUsedWriteIntervalMs) return;
    lastUsedWrites.set(keyId, t);
    store.touchApiKey(db, keyId, new Date(t)).catch((e) => deps.onError?.(e, 'touchApiKey'));
  }

  async function mintAdminKey(name: string | null) {
    const minted = await mintKey(db, { kind: 'platform_admin', name });
    return { id: minted.id, key: minted.key, createdAt: minted.createdAt };
  }

  return {
    /** Resolves a bearer token; undefined when unknown, revoked, or its customer is gone. */
    async authenticate(token: string): Promise<Principal | undefined> {
      const hash = hashApiKey(token);
      let principal = cache.get(hash);
      if (principal === undefined) {
        const row = await store.findKeyForAuth(db, lookupOf(token));
        principal = row && keyMatches(token, row.hash) ? principalFromKey(row) : null;
        cache.set(hash, principal);
      }
      if (principal) noteKeyUsed(principal.keyId);
      return principal ?? undefined;
    },

    /**
     * Issues a key acting for the customer's first ADMIN user; the key is returned only here. A
     * sandbox key's storefront accounts are all sandbox accounts (principal.ts `sandbox`).
     */
    async createCustomerApiKey(customerId: number, name: string | null, sandbox = false) {
      const customer = await store.findCustomer(db, customerId);
      if (!customer) throw customerNotFound();
      const admin = await store.findFirstAdmin(db, customerId);
      if (!admin) throw customerNotFound();
      return mintKey(db, { kind: 'user', customerId, userId: admin.id, name, sandbox });
    },

    createAdminApiKey: (name: string | null) => mintAdminKey(name),

    /**
     * Makes sure a platform admin key exists: the configured one (stored hashed), or a generated
     * one on first start. Returns the generated key, which the caller prints once.
     */
    async ensureAdminKey(configured: string | undefined): Promise<string | undefined> {
      if (configured) {
        await store.upsertConfiguredAdminKey(db, {
          id: 'key_env_admin',
          lookup: lookupOf(configured),
          hash: hashApiKey(configured),
        });
        cache.clear();
        return undefined;
      }
      if ((await store.countActiveAdminKeys(db)) > 0) return undefined;
      return (await mintAdminKey('bootstrap admin key')).key;
    },

    async revokeApiKey(id: string) {
      const row = await store.revokeApiKey(db, id, now());
      if (!row || !row.revokedAt) throw apiKeyNotFound();
      cache.clear();
      // The key is revoked (committed) whatever a hook does: a failing hook is reported, not
      // answered as a 500 that a retry would then meet as a 404. Console sessions signed in
      // with the key are refused anyway, since every console request re-authenticates it.
      for (const hook of deps.onKeyRevoked ?? []) {
        await hook(row.id).catch((error: unknown) => deps.onError?.(error, 'onKeyRevoked'));
      }
      return { id: row.id, revokedAt: isoDate(row.revokedAt) };
    },
  };
}
