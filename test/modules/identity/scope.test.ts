import { describe, expect, it } from 'vitest';
import {
  assertMayTransact,
  assertStorefrontVisible,
  canSeeStorefront,
  maySeeStorefront,
  mayUseStorefrontAgent,
  storefrontScopeOf,
  type StorefrontExposure,
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

describe('one storefront policy for the buyer API and the storefront agents', () => {
  const storefront = (over: Partial<StorefrontExposure> = {}): StorefrontExposure => ({
    id: 7,
    organizationId: 3,
    marketplaceStatus: 'LISTED',
    hidden: false,
    archivedAt: null,
    activatedAt: new Date(),
    ...over,
  });
  const stranger = buyer(null);
  const owner = {
    ...buyer(null),
    customerId: 3,
    organizationId: 3,
    customerRole: 'SELLER' as const,
  };
  const sponsored = buyer({ storefrontId: 7, sellerOrganizationId: 3, status: 'active' });

  it('shows a listed storefront still being set up, but keeps its agent to its own people', () => {
    const configuring = storefront({ activatedAt: null });
    expect(maySeeStorefront(stranger, configuring)).toBe(true);
    expect(mayUseStorefrontAgent(stranger, configuring)).toBe(false);
    expect(mayUseStorefrontAgent(owner, configuring)).toBe(true);
    expect(mayUseStorefrontAgent(sponsored, configuring)).toBe(true);
  });

  it('opens a listed, transacting storefront to everyone, and hides a hidden one alike', () => {
    expect(mayUseStorefrontAgent(stranger, storefront())).toBe(true);
    const hidden = storefront({ hidden: true });
    expect(maySeeStorefront(stranger, hidden)).toBe(false);
    expect(mayUseStorefrontAgent(stranger, hidden)).toBe(false);
    expect(maySeeStorefront(owner, hidden)).toBe(true);
  });

  it('confines a sponsored buyer to its storefront on both, listed or not', () => {
    const other = storefront({ id: 8 });
    expect(maySeeStorefront(sponsored, other)).toBe(false);
    expect(mayUseStorefrontAgent(sponsored, other)).toBe(false);
    const unlisted = storefront({ marketplaceStatus: 'PENDING_REVIEW' });
    expect(maySeeStorefront(sponsored, unlisted)).toBe(true);
    expect(mayUseStorefrontAgent(sponsored, unlisted)).toBe(true);
  });

  it('closes an archived storefront’s agent even to its owner', () => {
    expect(mayUseStorefrontAgent(owner, storefront({ archivedAt: new Date() }))).toBe(false);
  });
});
