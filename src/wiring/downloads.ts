import { createUrlSigner } from '../platform/signed-urls.js';
import type { Base } from './base.js';

/**
 * Signed CSV downloads served by this server: links signed with a key derived for `purpose`,
 * on this server's own origin, valid for the configured report-download lifetime.
 */
export function signedDownloads(base: Base, purpose: string) {
  return {
    signer: createUrlSigner(base.secrets.derive(purpose)),
    publicUrl: base.ownOrigin,
    ttlSeconds: base.config.reporting.downloadTtlSeconds,
  };
}
