import type { CreateMediaBuyRequest } from '@adcp/sdk/types';
import type { PackagedComponentRecord } from '../discovery-runs/index.js';
import { cents } from '../../sources/money.js';

/**
 * The rules of a media buy placed through a storefront, whatever protocol carried it: its
 * flight, how its packages route to sources, how a packaged product splits, and whether the
 * operator approves it first. The agent layer applies them and speaks AdCP about the outcome.
 */
export type Package = NonNullable<CreateMediaBuyRequest['packages']>[number];

/** Why the flight cannot be booked (an end before the start, or before now), if it cannot. */
export function flightProblem(startTime: string, endTime: string, now = Date.now()) {
  const end = Date.parse(endTime);
  const start = startTime === 'asap' ? now : Date.parse(startTime);
  if (Number.isFinite(end) && Number.isFinite(start) && end <= start)
    return 'end_time must be after start_time';
  return undefined;
}

/** When the storefront placed a buy at its sources: when its operator approved it, else when taken. */
export const placedAtOf = (row: { reviewedAt: Date | null; createdAt: Date }) =>
  row.reviewedAt ?? row.createdAt;

/**
 * A buy's flight start as its sources are sent it and its buyer is shown it. A buyer may ask for
 * `asap` (core/start-timing.json), but every answer carries a date-time (get-media-buys-response
 * .json; core/package.json's start_time is "not asap", the resolved value): `asap` is resolved to
 * when the storefront placed the buy, one instant for all its sources and every retry of its
 * forward (a source replays a repeated idempotency key only for the same request).
 */
export function flightStartOf(row: {
  submittedPayload: object;
  reviewedAt: Date | null;
  createdAt: Date;
}): string | undefined {
  const start = (row.submittedPayload as { start_time?: unknown }).start_time;
  if (start === 'asap') return placedAtOf(row).toISOString();
  return typeof start === 'string' ? start : undefined;
}

/**
 * Packages grouped by the source whose product each names (`locate`: the storefront's product
 * id scheme), each with the source's own product id; the ids no source offers are `missing`.
 */
export function routePackages(
  packages: Package[],
  locate: (productId: string) => { sourceId: string; upstreamProductId: string } | undefined,
) {
  const bySource = new Map<string, Package[]>();
  const missing: string[] = [];
  for (const pkg of packages) {
    const parsed = locate(pkg.product_id);
    if (!parsed) {
      missing.push(pkg.product_id);
      continue;
    }
    const list = bySource.get(parsed.sourceId) ?? [];
    list.push({ ...pkg, product_id: parsed.upstreamProductId });
    bySource.set(parsed.sourceId, list);
  }
  return { bySource, missing };
}

/**
 * A buy of a packaged product (product rules) becomes one package per component, as the buyer
 * was shown them: the budget split evenly (cents; the remainder on the first), each on the
 * component's pricing option at the position the buyer chose in the package's options.
 * Returns undefined when no package of the request is a packaged product.
 */
export function expandPackaged(
  packages: Package[],
  shown: Record<string, PackagedComponentRecord[]>,
): Package[] | undefined {
  if (!packages.some((pkg) => shown[pkg.product_id])) return undefined;
  return packages.flatMap((pkg) => {
    const components = shown[pkg.product_id];
    if (!components?.length) return [pkg];
    const position = Math.max(0, components[0]!.pricingOptionIds.indexOf(pkg.pricing_option_id));
    const share = Math.floor((pkg.budget * 100) / components.length) / 100;
    const first = cents(pkg.budget - share * (components.length - 1));
    return components.map((component, index) => ({
      ...pkg,
      product_id: component.productId,
      pricing_option_id:
        component.pricingOptionIds[position] ??
        component.pricingOptionIds[0] ??
        pkg.pricing_option_id,
      budget: index === 0 ? first : share,
    }));
  });
}
