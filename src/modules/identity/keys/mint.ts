import { randomBytes } from 'node:crypto';
import { displayPrefixOf, mintApiKey } from '../../../platform/crypto/api-keys.js';
import type { Db } from '../../../platform/db/database.js';
import { isoDate } from '../../../platform/formats.js';
import * as store from '../store.js';

/** Mints and stores an API key (hash and lookup prefix only); the key itself is returned once. */
export async function mintKey(
  db: Db,
  input:
    | {
        kind: 'user';
        customerId: number;
        userId: number;
        name: string | null;
        sandbox?: boolean;
      }
    | { kind: 'platform_admin'; name: string | null },
) {
  const minted = mintApiKey();
  const row = await store.insertApiKey(db, {
    id: `key_${randomBytes(10).toString('hex')}`,
    lookup: minted.prefix,
    hash: minted.hash,
    displayPrefix: displayPrefixOf(minted.key),
    kind: input.kind,
    name: input.name,
    ...(input.kind === 'user' && { userId: input.userId, activeCustomerId: input.customerId }),
    ...(input.kind === 'user' && input.sandbox === true && { sandbox: true }),
  });
  return {
    id: row.id,
    key: minted.key,
    prefix: row.displayPrefix,
    name: row.name,
    customerId: row.activeCustomerId,
    userId: row.userId,
    ...(row.sandbox && { sandbox: true }),
    createdAt: isoDate(row.createdAt),
  };
}
