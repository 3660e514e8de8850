import { AdcpError } from '@adcp/sdk/server';
import type { AccountReference, CreativeAsset, SyncCreativesSuccess } from '@adcp/sdk/types';
import type { InventorySource } from '../../../modules/inventory-sources/index.js';
import type { MediaBuyRow } from '../../../modules/orders/index.js';

import { speaks31 } from '../../adcp31/index.js';
import type { MerchandisingDeps } from '../deps.js';
import { formatLimitRefusal } from '../creatives/format-limits.js';
import { formatsNamed } from '../creatives/lists.js';
import { type PolicyGate, packagePolicyRefusal } from '../creatives/provenance/package.js';
import { parseProductId } from '../products/product-ids.js';
import { creativesOnPackage, inlineOnPackage } from './package-creatives.js';

/*
 * A package's `creatives` on create_media_buy and update_media_buy: creatives a buyer without a
 * creative-library flow sends inline (media-buy/package-request.json, package-update.json; 3.1's
 * media_buy.features.inline_creative_management). The storefront takes them as sync_creatives
 * takes creatives: checked (a 3.1 caller's against the limits of the formats it lists, its
 * sandbox's and its sources', every one against the creative policy of its package's product), kept in the buyer's library on the
 * storefront (its review mode, sent on to its library sources), and then assigned to their
 * package, so every source gets them the way it takes creatives (creative_assignments to a
 * library source, manifests inline to one without) and the package carries them on
 * get_media_buys. A creative a check refuses refuses the request at that creative's field:
 * nothing is kept, recorded or sent.
 */

type Assignment = { creative_id: string } & Record<string, unknown>;

/**
 * The storefront's sync_creatives (creatives/sync.ts), handed in by the platform that serves
 * both: sync_creatives applies assignments through a buy's update, so the buys cannot import it.
 */
export type LibrarySync = (
  deps: MerchandisingDeps,
  creatives: CreativeAsset[],
  account: { accountId: string; reference?: AccountReference; sandbox?: boolean },
  idempotencyKey: string | undefined,
) => Promise<SyncCreativesSuccess['creatives']>;
type InlinePackage = {
  package_id?: string;
  product_id?: string;
  creatives?: CreativeAsset[];
  creative_assignments?: Assignment[];
};

const hasInline = (pkg: unknown) => ((pkg as InlinePackage).creatives?.length ?? 0) > 0;

/** Whether any package of the request sends creatives inline. */
export const sendsInlineCreatives = (packages: readonly unknown[]) => packages.some(hasInline);

/** The field of a refusal named for `creatives[0]` (the checks' own) at the request's creative. */
const fieldAt = (field: string, at: string) => field.replace(/^creatives\[\d+\]/, at);

/**
 * Refuses the request at the first inline creative a check refuses: a 3.1 caller's against the
 * limits of the formats the storefront lists (format-limits.ts, lists.ts), then the creative policy of
 * its package's product (creatives/provenance/package.ts). `productOf` names a package's storefront product.
 */
export async function refuseUnfitInline(
  deps: MerchandisingDeps,
  packages: readonly unknown[],
  productOf: (pkg: InlinePackage) => string | undefined,
  gate: PolicyGate,
): Promise<void> {
  const sent = (packages as InlinePackage[]).flatMap((pkg) => pkg.creatives ?? []);
  const formats = speaks31() && sent.length > 0 ? (await formatsNamed(deps, sent)).formats : [];
  for (const [i, pkg] of (packages as InlinePackage[]).entries()) {
    for (const [j, creative] of (pkg.creatives ?? []).entries()) {
      const at = `packages[${i}].creatives[${j}]`;
      const asSent = { ...creative } as Record<string, unknown>;
      const limit = formatLimitRefusal(asSent, 0, formats);
      if (limit) {
        throw new AdcpError(limit.code, {
          ...limit,
          field: fieldAt(limit.field, at),
          recovery: 'correctable',
        });
      }
      const refusal = await packagePolicyRefusal(deps, asSent, productOf(pkg), gate);
      if (refusal) {
        throw new AdcpError(refusal.code, {
          message: `Creative ${creative.creative_id}: ${refusal.message}`,
          field: fieldAt(refusal.field, at),
          recovery: 'correctable',
          ...(refusal.details && { details: refusal.details }),
        });
      }
    }
  }
}

/**
 * Keeps the packages' inline creatives in the buyer's library on the storefront as
 * sync_creatives keeps them (review mode; approved ones sent on to its library sources under
 * `key`). One the library cannot take (an operator rejected it, or a policy refused it) refuses
 * the request at its field.
 */
export async function keepInlineCreatives(
  deps: MerchandisingDeps,
  syncCreatives: LibrarySync,
  packages: readonly unknown[],
  account: { accountId: string; reference?: AccountReference; sandbox: boolean },
  key: string,
): Promise<void> {
  const placed = (packages as InlinePackage[]).flatMap((pkg, i) =>
    (pkg.creatives ?? []).map((creative, j) => ({
      creative,
      at: `packages[${i}].creatives[${j}]`,
    })),
  );
  if (placed.length === 0) return;
  // The last body sent for an id is the one kept (a package names each creative once).
  const byId = new Map(placed.map((p) => [p.creative.creative_id, p.creative] as const));
  const answered = await syncCreatives(deps, [...byId.values()], account, key);
  for (const entry of answered) {
    if (entry.action !== 'failed') continue;
    const error = entry.errors?.[0];
    const where = placed.find((p) => p.creative.creative_id === entry.creative_id)?.at;
    throw new AdcpError(error?.code ?? 'CREATIVE_REJECTED', {
      message: `Creative ${entry.creative_id} was not accepted: ${error?.message ?? entry.status ?? 'refused'}`,
      ...(where && { field: where }),
      recovery: 'correctable',
    });
  }
}

/** A create's packages with their inline creatives assigned (the library holds them now). */
export function inlineAsAssigned<P>(packages: P[]): P[] {
  if (!sendsInlineCreatives(packages)) return packages;
  return packages.map((pkg) => {
    const { creatives, creative_assignments: given, ...rest } = pkg as InlinePackage;
    if (!creatives?.length) return pkg;
    return { ...rest, creative_assignments: merged(given ?? [], creatives) } as P;
  });
}

/** Assignments with the inline creatives added after them, each creative once. */
function merged(assignments: Assignment[], creatives: CreativeAsset[]): Assignment[] {
  const named = new Set(assignments.map((a) => a.creative_id));
  const added = creatives
    .filter((c) => !named.has(c.creative_id))
    .map((c) => ({ creative_id: c.creative_id }));
  return [...assignments, ...added];
}

/**
 * An update's packages with their inline creatives assigned: each such package's
 * `creative_assignments` becomes its whole list after the update (replacement semantics), the
 * list given or the one it carries, with the inline creatives it replaces (3.1: "Replace this
 * package's inline creative assets") or adds to (3.0: "assign to this package"). Answers, by
 * storefront package id, the creatives each such package now carries inline.
 */
export function inlineUpdate<P>(
  row: MediaBuyRow,
  packages: P[],
  replace: boolean,
): { packages: P[]; inline: Record<string, string[]> } {
  const inline: Record<string, string[]> = {};
  const out = packages.map((pkg) => {
    const { creatives, creative_assignments: given, ...rest } = pkg as InlinePackage;
    const packageId = rest.package_id;
    if (!creatives?.length || !packageId) return pkg;
    const before = inlineOnPackage(row, packageId);
    const ids = creatives.map((c) => c.creative_id);
    const replaced = new Set(replace ? before : []);
    const kept = (
      given ?? creativesOnPackage(row, packageId).map((creative_id) => ({ creative_id }))
    ).filter((a) => !replaced.has(a.creative_id) || ids.includes(a.creative_id));
    inline[packageId] = [...new Set([...(replace ? [] : before), ...ids])];
    return { ...rest, creative_assignments: merged(kept, creatives) } as P;
  });
  return { packages: out, inline };
}

/**
 * Refuses an update sending creatives inline for a package whose source cannot take a changed
 * creative list (its kind takes creatives only when a buy is booked): an error at the field,
 * never creatives silently dropped.
 */
export function refuseInlineUnsupported(
  packages: readonly unknown[],
  sources: readonly InventorySource[],
): void {
  const ids = sources.map((port) => port.source.sourceId);
  for (const [i, pkg] of (packages as InlinePackage[]).entries()) {
    if (!hasInline(pkg) || !pkg.package_id) continue;
    const owner = parseProductId(pkg.package_id, ids);
    const port = owner && sources.find((s) => s.source.sourceId === owner.sourceId);
    if (!port || port.inlineCreatives === true) continue;
    throw new AdcpError('UNSUPPORTED_FEATURE', {
      message: `Package ${pkg.package_id}'s source (${port.source.sourceId}) takes creatives only when the buy is booked: its creatives cannot be changed by update_media_buy; book a new media buy with them`,
      field: `packages[${i}].creatives`,
      recovery: 'correctable',
    });
  }
}
