import { describe, expect, it } from 'vitest';
import {
  assertMayTransact,
  assertStorefrontVisible,
  canSeeStorefront,
  storefrontScopeOf,
} from '../../../src/modules/identity/index.js';
import type { CustomerPrincipal, Sponsorship } from '../../../src/platform/principal.js';

const buyer = (sponsorship: Sponsorship | null): CustomerPrincipal => ({
  kind: 'customer',
  keyId: 'key_x',
  userId: 1,
  customerId: 10,
  customerRole: 'BUYER',
  customerType: 'STANDALONE',
  organizationId: 10,
  membershipRole: 'ADMIN',
  tosAccepted: true,
  sponsorship,
});

describe('sponsored-buyer scope', () => {
  it('leaves marketplace buyers unconfined', () => {
    const p = buyer(null);
    expect(storefrontScopeOf(p)).toBeNull();
    expect(canSeeStorefront(p, 1)).toBe(true);
    expect(() => assertMayTransact(p, 1)).not.toThrow();
  });

  it('confines a sponsored buyer to its storefront: others read as NOT_FOUND', () => {
    const p = buyer({ storefrontId: 7, sellerOrganizationId: 3, status: 'active' });
    expect(storefrontScopeOf(p)).toBe(7);
    expect(canSeeStorefront(p, 8)).toBe(false);
    expect(() => assertStorefrontVisible(p, 8)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => assertMayTransact(p, 8)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => assertMayTransact(p, 7)).not.toThrow();
  });

  it.each(['pending', 'suspended'] as const)(
    'stops a %s sponsored buyer from transacting',
    (status) => {
      const p = buyer({ storefrontId: 7, sellerOrganizationId: 3, status });
      expect(canSeeStorefront(p, 7)).toBe(true);
      expect(() => assertMayTransact(p, 7)).toThrow(
        expect.objectContaining({ code: 'SPONSORED_BUYER_NOT_ACTIVE', kind: 'forbidden' }),
      );
    },
  );
});
