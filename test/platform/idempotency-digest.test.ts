import { describe, expect, it } from 'vitest';
import { upstreamIdempotencyKey } from '../../src/agents/merchandising/buys/create/forward.js';
import { idempotencyDigest } from '../../src/platform/crypto/idempotency-digest.js';

/**
 * Keys already sent to sellers must read the same after a deploy: a retried request under a
 * changed key is a new request to the seller (for create_media_buy, a second buy). These are
 * the keys the code sent before the digest became one helper, for fixed inputs.
 */
describe('outbound idempotency keys', () => {
  it('forwards a buyer’s buy under the key it was first forwarded with', () => {
    expect(upstreamIdempotencyKey(7, 42, 'buyer-key-1', 'demo')).toBe(
      'sf7.AJ1UdhWTu0wppDjdI1nxKsEXaRbNNkfHb7e3_kSI',
    );
  });

  it('keeps the creative keys’ digests (24 characters for assignments, 32 for a sync)', () => {
    expect(idempotencyDigest('pkg_1:cr_1,cr_2', 24)).toBe('pUSNz2pBc7bCYhCGFBxJyNp3');
    expect(idempotencyDigest('agt_x\n{"creatives":[]}', 32)).toBe(
      'kCE2cTlMYB5FKwJBQEc_rfcFRfyadub-',
    );
  });
});
