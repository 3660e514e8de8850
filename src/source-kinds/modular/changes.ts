import type { SourceUpdateRequest } from '../../modules/inventory-sources/index.js';
import { BuyRefused, type BuyAmend } from '../../modules/modular-sources/index.js';

/** What of a package a modular source changes itself; the rest only its operator can. */
const honoured = new Set([
  'package_id',
  'budget',
  'impressions',
  'paused',
  'creatives',
  'creative_assignments',
  'context',
  'ext',
]);

/**
 * A buyer's update_media_buy as a modular source's change of the buy (buys/changes/amend.ts):
 * a new flight, and each package's budget, impressions, pause and creatives. A package change the
 * ledger cannot honour (targeting, pacing, a package's own flight or cancel…) is refused at its
 * field before anything changes; new packages too (the buyer makes another buy).
 */
export function amendOf(request: SourceUpdateRequest): BuyAmend {
  if (request.new_packages !== undefined) {
    throw new BuyRefused(
      'UNSUPPORTED_FEATURE',
      'A modular source adds no package to a placed buy: make another buy',
      {},
      'new_packages',
    );
  }
  const packages = (request.packages ?? []).map((pkg, index) => {
    const unhonoured = Object.entries(pkg).find(
      ([k, value]) => !honoured.has(k) && value !== undefined,
    )?.[0];
    if (unhonoured) {
      throw new BuyRefused(
        'UNSUPPORTED_FEATURE',
        `A modular source changes a package's budget, impressions, pause and creatives; ${unhonoured} only through its operator`,
        {},
        `packages[${index}].${unhonoured}`,
      );
    }
    // Inline manifests as the storefront sends them (create/forward.ts withInlineCreatives).
    const inline = (pkg as { creatives?: Array<{ creative_id: string; name?: string }> }).creatives;
    return {
      packageId: pkg.package_id ?? '',
      budget: pkg.budget,
      impressions: pkg.impressions,
      paused: pkg.paused,
      creatives: inline?.map((c) => ({ creativeId: c.creative_id, name: c.name ?? null })),
      assigned: pkg.creative_assignments?.map((a) => a.creative_id),
    };
  });
  const instant = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    startTime: instant(request.start_time),
    endTime: instant(request.end_time),
    packages,
  };
}
