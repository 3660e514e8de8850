import { createHash } from 'node:crypto';
import type { UpdateMediaBuyRequest } from '@adcp/sdk/types';
import { agentRequest } from './caller.js';
import type { MerchandisingDeps } from './deps.js';
import { applyMediaBuyUpdate } from './media-buy-update.js';
import { creativesOnPackage } from './package-creatives.js';

/**
 * Takes creatives the buyer archived off every package of the buyer's buys on this storefront
 * that carries one and whose flight has not ended: update_media_buy with the package's
 * assignments without them (replacement semantics), forwarded to each source as any update is
 * (a source without a creative library gets the remaining manifests inline). Answers what
 * failed, one message per buy and source; never throws.
 */
export async function unassignArchived(
  deps: MerchandisingDeps,
  archived: Set<string>,
): Promise<string[]> {
  const { storefront, principal } = agentRequest();
  const now = Date.now();
  const buys = (await deps.mediaBuys.recordsOf(storefront.id, principal.customerId)).filter(
    (row) =>
      row.forwardResult?.some((leg) => leg.upstreamMediaBuyId) &&
      !(Date.parse(String(row.submittedPayload['end_time'])) <= now),
  );
  const problems: string[] = [];
  for (const row of buys) {
    const packageIds = (row.forwardResult ?? []).flatMap((leg) =>
      leg.upstreamMediaBuyId ? (leg.packages ?? []).map((p) => p.packageId) : [],
    );
    const packages = packageIds.flatMap((packageId) => {
      const carried = creativesOnPackage(row, packageId);
      if (!carried.some((id) => archived.has(id))) return [];
      return [
        {
          package_id: packageId,
          creative_assignments: carried
            .filter((id) => !archived.has(id))
            .map((creative_id) => ({ creative_id })),
        },
      ];
    });
    if (packages.length === 0) continue;
    // The same withdrawal asked again replays at each source; the buy's updatedAt (moved by
    // every assignment change) keeps a later, identical-looking one from replaying this one.
    const key = createHash('sha256')
      .update(`${row.mediaBuyId}@${row.updatedAt.getTime()}\n${JSON.stringify(packages)}`)
      .digest('base64url')
      .slice(0, 32);
    try {
      const { outcomes } = await applyMediaBuyUpdate(deps, row.mediaBuyId, {
        media_buy_id: row.mediaBuyId,
        idempotency_key: `archive.${key}`,
        packages,
      } as unknown as UpdateMediaBuyRequest);
      for (const o of outcomes) {
        if (!o.ok) problems.push(`${row.mediaBuyId} at ${o.source.sourceId}: ${o.error.message}`);
      }
    } catch (error) {
      problems.push(`${row.mediaBuyId}: ${(error as Error).message}`);
    }
  }
  return problems;
}
