import { registerClearable } from '../../platform/cache-clearing.js';
import type { Db } from '../../platform/db/database.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { slugify, withRandomSuffix } from '../../platform/slug.js';
import type { IdentityService } from '../identity/index.js';
import type { StorefrontsService } from '../storefronts/index.js';
import { joinLinkNotFound, linkUnavailable, storefrontNotFound } from './errors.js';
import type { CreateJoinLinkInput, JoinContext, SignupInput, SignupResult } from './schemas.js';
import * as store from './store.js';
import { joinLinkView, unusableReason } from './views.js';

export interface JoinLinksDeps {
  db: Db;
  storefronts: StorefrontsService;
  identity: IdentityService;
  now?: () => Date;
  contextCacheMs?: number;
}

export type JoinLinksService = ReturnType<typeof createJoinLinksService>;

export function createJoinLinksService(deps: JoinLinksDeps) {
  const { db, storefronts, identity } = deps;
  const now = deps.now ?? (() => new Date());
  // join-context is public, polled by every page view, and answered with a 30 s Cache-Control
  // anyway; a short in-process cache spares the database without changing what is promised.
  // Signups never read it: they take a use in the database. A disable clears it on every
  // instance (platform/cache-clearing.ts), so no instance shows a disabled link as valid.
  const contexts = new Map<string, { context: JoinContext; expiresAt: number }>();
  const clearContexts = registerClearable(() => contexts.clear());
  const contextTtlMs = deps.contextCacheMs ?? 2000;

  async function derivedSlug(name: string): Promise<string> {
    const base = slugify(name, 64).padEnd(2, '0');
    return (await store.activeSlugTaken(db, base)) ? withRandomSuffix(base, 64) : base;
  }

  async function resolveContext(slug: string): Promise<JoinContext> {
    const invalid = invalidContext(slug);
    const link = await store.findActiveBySlug(db, slug);
    if (!link || unusableReason(link, now())) return invalid;
    const storefront = await storefronts.findById(link.storefrontId);
    if (!storefront || storefront.archivedAt) return invalid;
    const colors = storefront.brandColors;
    return {
      slug,
      valid: true,
      storefrontName: storefront.name,
      operatorDomain: storefront.operatorDomain,
      logoUrl: storefront.logoUrl,
      brandColors:
        colors && Object.keys(colors).length > 0 ? (colors as Record<string, string>) : null,
      defaultCurrency: storefront.defaultCurrency,
      supportedLanguages: storefront.supportedLanguages.length
        ? storefront.supportedLanguages
        : null,
    };
  }

  return {
    /** Mints a link for a storefront of the caller's organisation (seed 000 check order). */
    async create(principal: CustomerPrincipal, input: CreateJoinLinkInput) {
      const storefront = await storefronts.findById(input.storefrontId);
      if (!storefront || storefront.organizationId !== principal.organizationId) {
        throw storefrontNotFound();
      }
      const row = await store.insertJoinLink(db, {
        slug: input.slug ?? (await derivedSlug(storefront.name)),
        storefrontId: storefront.id,
        sellerCustomerId: principal.customerId,
        organizationId: principal.organizationId,
        approvalPolicy: input.approvalPolicy,
        maxUses: input.maxUses ?? null,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        createdBy: principal.userId,
      });
      return joinLinkView(row);
    },

    /** The organisation's active links across all its storefronts. */
    async list(principal: CustomerPrincipal) {
      const rows = await store.listActive(db, principal.organizationId);
      return { items: rows.map(joinLinkView), total: rows.length };
    },

    /** Soft revoke: joined buyers keep their accounts; a second call finds no active link. */
    async disable(principal: CustomerPrincipal, linkId: number) {
      const row = await store.revoke(db, linkId, principal.organizationId, now());
      if (!row) throw joinLinkNotFound();
      clearContexts();
      return { disabled: true as const, id: String(row.id) };
    },

    /** Seed 001: brand-safe context for the signup page; never an error for unusable links. */
    async context(slug: string): Promise<JoinContext> {
      const hit = contexts.get(slug);
      if (hit && hit.expiresAt > Date.now()) return hit.context;
      const context = await resolveContext(slug);
      if (contexts.size > 10_000) contexts.clear();
      contexts.set(slug, { context, expiresAt: Date.now() + contextTtlMs });
      return context;
    },
    /**
     * Signs an advertiser up through a link. The use is taken and the sponsored buyer created in
     * one transaction: a refused or failed signup consumes nothing and creates nothing.
     */
    async signup(slug: string, input: SignupInput): Promise<SignupResult> {
      const at = now();
      // Read the storefront before the transaction, so the transaction holds its connection
      // only for the writes.
      const candidate = await store.findActiveBySlug(db, slug);
      const storefront = candidate ? await storefronts.findById(candidate.storefrontId) : undefined;
      if (storefront?.archivedAt) throw linkUnavailable('archived');
      return db.transaction(async (tx) => {
        const link = await store.claimUse(tx, slug, at);
        if (!link || !storefront || link.storefrontId !== storefront.id) {
          const latest = await store.findLatestBySlug(tx, slug);
          const reason = latest ? unusableReason(latest, at) : null;
          if (!latest || !reason) throw joinLinkNotFound();
          throw linkUnavailable(reason);
        }
        const status = link.approvalPolicy === 'auto_approve' ? 'active' : 'pending';
        const created = await identity.sponsorships.create(tx, {
          storefrontId: storefront.id,
          sellerOrganizationId: link.organizationId,
          joinLinkId: String(link.id),
          status,
          name: input.name,
          country: input.country,
          company: input.company,
          email: input.email,
          brandDomain: input.brandDomain,
        });
        return {
          status,
          buyerCustomerId: created.buyerCustomerId,
          storefrontName: storefront.name,
          apiKey: created.apiKey,
          message:
            status === 'active'
              ? `Welcome to ${storefront.name}. Your API key is shown once: store it now.`
              : `${storefront.name} will review your request. Keep your API key: it works for reading now and for buying once you are approved.`,
        };
      });
    },
  };
}

/** Seed 001: what an unusable (or unknown) link answers: valid false, every field null. */
export function invalidContext(slug: string): JoinContext {
  return {
    slug,
    valid: false,
    storefrontName: null,
    operatorDomain: null,
    logoUrl: null,
    brandColors: null,
    defaultCurrency: null,
    supportedLanguages: null,
  };
}
