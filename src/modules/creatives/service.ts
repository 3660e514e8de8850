import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { CampaignForCreatives } from '../campaigns/index.js';
import type { FormatsService } from '../formats/index.js';
import type { AssetService } from './assets/service.js';
import type { CreativeDelivery } from './delivery/delivery.js';
import { mergeSlots, type SlotDraft, slotsOf, storedSlot } from './manifest.js';
import type { CreateCreativeInput, ListCreativesQuery, UpdateCreativeInput } from './schemas.js';
import * as store from './store.js';
import type { CreativeRow } from './store.js';
import type { ManifestSlot } from './tables.js';
import { pickSlot, validateAgainstFormat, type Warning } from './validation.js';
import { creativeSummaryView, creativeView } from './views.js';

type Json = Record<string, unknown>;

export interface CreativesDeps {
  db: Db;
  campaigns: { forCreatives(customerId: number, id: string): Promise<CampaignForCreatives> };
  formats: Pick<FormatsService, 'findFormat'>;
  assets: AssetService;
  delivery: CreativeDelivery;
  now?: () => Date;
}

export type CreativesService = ReturnType<typeof createCreativesService>;

const withdrawingConflict = () =>
  conflict(
    'The creative is being withdrawn from its sellers after a delete; delete it again to finish',
  );
const creativeNotFound = () => notFound('Creative');
/**
 * How long a delete's claim on a withdrawal holds: longer than any withdrawal takes (each
 * agent's two calls, agents side by side, each within the agent budget), so only a claim left
 * by a delete whose process died expires.
 */
const withdrawalClaimMs = 2 * 60_000;
const claimPollMs = 200;

/**
 * Creative manifests under a buyer's campaigns (seed 004): built against a format one of the
 * buyer's storefront agents offers, validated against its asset slots, and sent to the sellers
 * of the campaign's buys (delivery.ts). Everything is the caller's own: another customer's
 * campaign, creative or asset is NOT_FOUND.
 */
export function createCreativesService(deps: CreativesDeps) {
  const { db, assets, delivery } = deps;
  const now = deps.now ?? (() => new Date());
  const linkOf = (assetId: string) => assets.linkOf({ id: assetId });

  async function requireCreative(customerId: number, campaignId: string, id: string) {
    const row = await store.findCreative(db, customerId, campaignId, id);
    if (!row) throw creativeNotFound();
    return row;
  }

  /** The format the manifest is built against, from the caller's agents; 400 when none offers it. */
  async function formatOf(principal: CustomerPrincipal, formatId: Json | null) {
    if (!formatId) return undefined;
    const found = await deps.formats.findFormat(
      principal,
      formatId as { agent_url: string; id: string },
    );
    if (found.length === 0) {
      throw invalid(
        `No storefront agent you may buy from offers format ${String(formatId['id'])} of ${String(formatId['agent_url'])} (see GET /api/v2/buyer/formats)`,
        'format_id',
      );
    }
    return found[0]!.format;
  }

  async function view(
    principal: CustomerPrincipal,
    campaign: CampaignForCreatives,
    row: CreativeRow,
    warnings: Warning[] = [],
  ) {
    const placements = await store.placementsOf(db, principal.customerId, [row.id]);
    const uploads = await store.assetsOf(
      db,
      principal.customerId,
      row.slots.flatMap((s) => (s.assetId ? [s.assetId] : [])),
    );
    return creativeView(
      row,
      campaign.brandDomain,
      placements,
      new Map(uploads.map((a) => [a.id, a])),
      linkOf,
      warnings,
    );
  }

  /** Checks new slots (and, when the format changed, the ones kept) against the format. */
  function check(
    format: Json | undefined,
    formatId: Json | null,
    drafts: SlotDraft[],
    all: ManifestSlot[],
  ): Warning[] {
    if (!format || !formatId) {
      return [
        {
          code: 'FORMAT_NOT_CHECKED',
          message:
            'Without a format_id the manifest is not checked against a format, nor sent to sellers (AdCP names formats by format_id)',
        },
      ];
    }
    return validateAgainstFormat(format, formatId, drafts, all);
  }

  async function toLive(
    principal: CustomerPrincipal,
    campaign: CampaignForCreatives,
    row: CreativeRow,
  ) {
    if (campaign.liveBuys.length === 0) return [];
    const problems = await delivery.toLiveBuys(principal, campaign, [row]);
    return problems.map((message) => ({ code: 'SELLER_SYNC_FAILED', message }));
  }

  /**
   * Claims the creative's withdrawal, waiting while another delete of it holds the claim (the
   * same requests under the same idempotency keys would be refused as in flight, a false 409).
   * Answers undefined when that delete finished it. A claim left by a delete that died expires
   * after withdrawalClaimMs.
   */
  async function claimWithdrawal(customerId: number, id: string) {
    for (;;) {
      const at = now();
      const row = await store.claimWithdrawal(
        db,
        customerId,
        id,
        at,
        new Date(at.getTime() - withdrawalClaimMs),
      );
      if (row) return { row, at };
      if (!(await store.creativeExists(db, customerId, id))) return undefined;
      await new Promise((resolve) => setTimeout(resolve, claimPollMs));
    }
  }

  return {
    async create(principal: CustomerPrincipal, campaignId: string, input: CreateCreativeInput) {
      const campaign = await deps.campaigns.forCreatives(principal.customerId, campaignId);
      if (!input.format_id && !input.format_kind) {
        throw invalid(
          'Name the format the creative is for: format_id (or format_kind)',
          'format_id',
        );
      }
      const formatId = (input.format_id as Json | undefined) ?? null;
      const format = await formatOf(principal, formatId);
      const uploads = await assets.requireOwned(
        principal.customerId,
        (input.assets ?? []).map((a) => a.asset_id),
      );
      const drafts = slotsOf(input, uploads, (type, taken) => pickSlot(format, type, taken));
      const slots = mergeSlots([], drafts.map(storedSlot));
      const warnings = check(format, formatId, drafts, slots);
      const at = now();
      const row = await store.insertCreative(db, {
        id: `cm_${randomBytes(10).toString('hex')}`,
        customerId: principal.customerId,
        campaignId: campaign.id,
        advertiserId: campaign.advertiserId,
        name: input.name ?? `${String(formatId?.['id'] ?? input.format_kind)} creative`,
        message: input.message ?? null,
        formatId,
        formatKind: input.format_kind ?? null,
        slots,
        industryIdentifiers: input.industry_identifiers ?? null,
        createdAt: at,
        updatedAt: at,
      });
      warnings.push(...(await toLive(principal, campaign, row)));
      return view(principal, campaign, row, warnings);
    },

    async get(principal: CustomerPrincipal, campaignId: string, creativeId: string) {
      const campaign = await deps.campaigns.forCreatives(principal.customerId, campaignId);
      const row = await requireCreative(principal.customerId, campaignId, creativeId);
      await delivery.refreshReviews(
        principal,
        await store.placementsOf(db, principal.customerId, [row.id]),
      );
      return view(principal, campaign, row);
    },

    async list(principal: CustomerPrincipal, campaignId: string, query: ListCreativesQuery) {
      const campaign = await deps.campaigns.forCreatives(principal.customerId, campaignId);
      // Every creative here is uploaded and flight-specific (no library roles).
      if (
        query.promoted === 'true' ||
        query.role !== undefined ||
        (query.source !== undefined && query.source !== 'uploaded')
      ) {
        return { manifests: [], total: 0 };
      }
      const [width, height] = query.dimensions?.split(/[x×]/).map(Number) ?? [];
      const { rows, total } = await store.pageCreatives(
        db,
        principal.customerId,
        campaignId,
        {
          search: query.search,
          formatKind: query.format_kind,
          assetType: query.asset_type,
          ...(width && height && { dimensions: { width, height } }),
        },
        query,
      );
      const placements = await store.placementsOf(
        db,
        principal.customerId,
        rows.map((r) => r.id),
      );
      return {
        manifests: rows.map((r) =>
          creativeSummaryView(
            r,
            campaign.brandDomain,
            placements.filter((p) => p.creativeId === r.id),
            linkOf,
          ),
        ),
        total,
      };
    },

    async update(
      principal: CustomerPrincipal,
      campaignId: string,
      creativeId: string,
      input: UpdateCreativeInput,
    ) {
      const campaign = await deps.campaigns.forCreatives(principal.customerId, campaignId);
      const row = await requireCreative(principal.customerId, campaignId, creativeId);
      // A change would sync it to the sellers again while the delete takes it off them.
      if (row.withdrawingSince) throw withdrawingConflict();
      const formatChanged = input.format_id !== undefined;
      const formatId = (input.format_id as Json | undefined) ?? row.formatId;
      const format = await formatOf(principal, formatId);
      const removing = new Set(input.delete_asset_ids ?? []);
      for (const [i, id] of (input.delete_asset_ids ?? []).entries()) {
        if (!row.slots.some((s) => s.assetId === id || `${row.id}.${s.slot}` === id)) {
          throw invalid(`The creative has no asset ${id}`, `delete_asset_ids.${i}`);
        }
      }
      const kept = row.slots.filter(
        (s) => !(s.assetId && removing.has(s.assetId)) && !removing.has(`${row.id}.${s.slot}`),
      );
      const uploads = await assets.requireOwned(
        principal.customerId,
        (input.assets ?? []).map((a) => a.asset_id),
      );
      // A file without a slot takes its type's slot, replacing what filled it (hosted update).
      const drafts = slotsOf(input, uploads, (type, taken) => pickSlot(format, type, taken));
      const slots = mergeSlots(kept, drafts.map(storedSlot));
      // A new format is checked against everything the manifest keeps, not only what changed.
      const toCheck = formatChanged
        ? [...kept.map((s) => ({ ...s, field: 'format_id' })), ...drafts]
        : drafts;
      const warnings = check(format, formatId, toCheck, slots);
      const written = await store.updateCreative(db, row.id, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.message !== undefined && { message: input.message || null }),
        ...(formatChanged && { formatId }),
        ...(input.format_kind !== undefined && { formatKind: input.format_kind }),
        ...(input.industry_identifiers !== undefined && {
          industryIdentifiers: input.industry_identifiers,
        }),
        slots,
      });
      // Deleted, or marked for withdrawal by a delete since it was read above.
      if (!written) throw withdrawingConflict();
      const updated = written;
      // Seed 004: changes are re-synced to the media buys that carry the creative.
      warnings.push(...(await toLive(principal, campaign, updated)));
      return view(principal, campaign, updated, warnings);
    },

    /**
     * Withdraws the creative from every seller that holds it (withdrawal.ts), then deletes the
     * manifest. While a seller still carries it the delete is refused (409 naming the sellers)
     * and the creative is kept, so nothing claims "deleted" while it may still serve; a retry
     * asks only the sellers that have not withdrawn it yet.
     */
    async remove(principal: CustomerPrincipal, campaignId: string, creativeId: string) {
      const campaign = await deps.campaigns.forCreatives(principal.customerId, campaignId);
      const found = await requireCreative(principal.customerId, campaignId, creativeId);
      // Marked first, so an execute or campaign change meanwhile sends it to no seller again.
      const claim = await claimWithdrawal(principal.customerId, found.id);
      if (!claim) return; // a concurrent delete finished it: its outcome is this one's
      const { row, at } = claim;
      try {
        const failures = await delivery.withdraw(principal, campaign, row);
        if (failures.length > 0) {
          throw new AppError(
            'conflict',
            `The creative is still at ${[...new Set(failures.map((f) => f.agentName))].join(', ')} and was not deleted: ${failures.map((f) => f.message).join('; ')}. Delete it again to retry.`,
            {
              details: {
                sellers: failures.map((f) => ({
                  agent_id: f.agentId,
                  agent_name: f.agentName,
                  ...(f.mediaBuyId && { media_buy_id: f.mediaBuyId }),
                  message: f.message,
                })),
              },
            },
          );
        }
        // Deleted while the claim is held, so the claim goes with the row: a waiting delete
        // then finds the creative gone (this outcome), never a free claim on a withdrawn one.
        if (!(await store.deleteCreative(db, principal.customerId, row.id))) {
          throw creativeNotFound();
        }
      } finally {
        // Only a withdrawal that did not finish leaves a row to release (a no-op once deleted).
        await store.releaseWithdrawal(db, principal.customerId, row.id, at);
      }
    },
  };
}
