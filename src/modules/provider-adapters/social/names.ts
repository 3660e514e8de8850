import { createHash } from 'node:crypto';
import type { SocialKind, SocialOwner } from './store.js';

/**
 * The name a buyer's audience or event source carries in the provider account: the buyer's own
 * words for it (as the operator sees it there), and a tag no other buyer's object can share (a
 * digest of the source, the buyer and the buyer's id), which finds it again when the answer to
 * its create was lost.
 */
export function providerNameOf(
  owner: SocialOwner,
  kind: SocialKind,
  buyerRef: string,
  name: string | undefined,
): string {
  const tag = createHash('sha256')
    .update(`${owner.inventorySourceId}\n${owner.buyerCustomerId}\n${kind}\n${buyerRef}`)
    .digest('hex')
    .slice(0, 16);
  const words = (name ?? buyerRef).replace(/\s+/g, ' ').trim().slice(0, 80);
  return `${words} [ix-${tag}]`;
}
