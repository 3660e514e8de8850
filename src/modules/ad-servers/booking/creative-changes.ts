import type { AdServerAdapter, CreativePair } from '../adapters/port.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { resolveProduct } from '../products.js';
import type { ProductRule } from '../schemas.js';
import { BookingRefused, type OrderRow } from './booking-request.js';
import { packageCreatives, type PlannedCreative } from './creatives.js';
import { updateOrder } from './orders-store.js';

/*
 * A placed buy's creatives changed (update_media_buy's packages[].creative_assignments and
 * creatives; sync_creatives' assignments reach it the same way), as an Ad Manager integration
 * does it: each creative newly on a package uploaded and associated with its line item
 * (LineItemCreativeAssociation), each taken off it dissociated (its association deactivated),
 * the order's record following. Everything is checked before the first write: a package not in
 * the buy, a creative assigned without its manifest, one the product cannot show, an adapter that
 * cannot take creatives off a line item (Ad Manager's can: `dissociate`) refuse the whole change,
 * and nothing is written.
 */

type Line = OrderRow['lines'][number];
type OnLine = NonNullable<Line['creatives']>[number];

/** One package's creatives as an update asks for them. */
export interface CreativeChange {
  /** Where the package is in the request (its refusals' field). */
  index: number;
  packageId: string;
  /** The package's whole list after the update (creative_assignments), when given. */
  assigned?: string[];
  /** The manifests sent inline (the storefront sends each assigned creative's). */
  manifests: Array<Record<string, unknown>>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** The packages of an update that change creatives (none: the update changes none). */
export function creativeChangesOf(packages: unknown): CreativeChange[] {
  if (!Array.isArray(packages)) return [];
  return packages.flatMap((pkg: unknown, index) => {
    if (!isObject(pkg)) return [];
    const assignments = pkg['creative_assignments'];
    const manifests = Array.isArray(pkg['creatives']) ? pkg['creatives'].filter(isObject) : [];
    if (!Array.isArray(assignments) && manifests.length === 0) return [];
    return [
      {
        index,
        packageId: String(pkg['package_id']),
        ...(Array.isArray(assignments) && {
          assigned: assignments.filter(isObject).map((a) => String(a['creative_id'])),
        }),
        manifests,
      },
    ];
  });
}

/** The advertiser a buy's creatives are uploaded under: the connection's default, else its brand's. */
export async function advertiserOf(
  adapter: AdServerAdapter,
  connection: ConnectionRow,
  brandName: string,
): Promise<string> {
  const configured = connection.config['defaultAdvertiserId'];
  return typeof configured === 'string' ? configured : adapter.ensureAdvertiser(brandName);
}

/** A host reserved for tests (RFC 2606, RFC 6761): it never resolves. */
const testHost = (url: string) => {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return (
      /\.(example|test|invalid|localhost)$/.test(host) || /(^|\.)example\.(com|net|org)$/.test(host)
    );
  } catch {
    return false;
  }
};

/**
 * Uploads planned creatives and associates them with a line item; answers them as it holds them.
 * A sandbox order's image on a reserved test host (the storyboards' creatives) is registered by
 * its URL instead of its bytes, which cannot be fetched: the order is never approved, so it never
 * serves (traffic.ts). A live order's image is always uploaded, and one unreachable is refused.
 */
export async function attachCreatives(
  adapter: AdServerAdapter,
  advertiserId: string,
  line: { lineItemId: string; mediaType?: 'display' | 'video' | undefined; sandbox?: boolean },
  planned: PlannedCreative[],
): Promise<OnLine[]> {
  const attached: OnLine[] = [];
  for (const { creativeId, plan } of planned) {
    const byUrl = line.sandbox === true && plan.imageUrl !== undefined && testHost(plan.imageUrl);
    const asked = byUrl ? { ...plan, imageByUrl: true } : plan;
    attached.push({ creativeId, adServerId: await adapter.createCreative(advertiserId, asked) });
  }
  await adapter.associate(
    attached.map((c) => ({
      lineItemId: line.lineItemId,
      creativeId: c.adServerId,
      ...(line.mediaType && { mediaType: line.mediaType }),
    })),
  );
  return attached;
}

/** The creatives on a line now (an order before issue 70 kept only the ad server's ids). */
const onLine = (line: Line): OnLine[] =>
  line.creatives ??
  (line.creativeIds ?? []).map((adServerId) => ({ creativeId: adServerId, adServerId }));

interface Planned {
  line: Line & { lineItemId: string };
  kept: OnLine[];
  added: PlannedCreative[];
  removed: OnLine[];
  mediaType: 'display' | 'video';
}

/** Each change checked and planned against its line and product, before anything is written. */
async function planChanges(
  ctx: AdServerContext,
  connection: ConnectionRow,
  adapter: AdServerAdapter,
  order: OrderRow,
  changes: CreativeChange[],
  seeded: ProductRule[],
): Promise<Planned[]> {
  if (!adapter.dissociate) {
    // SpringServe's link replaces a demand tag's creatives, FreeWheel's has no removal here yet.
    throw new BookingRefused(
      'UNSUPPORTED_FEATURE',
      `Changing the creatives of a placed ${adapter.type} order is not supported yet: book a new media buy with them`,
      `packages[${changes[0]?.index ?? 0}].creative_assignments`,
    );
  }
  if (order.status !== 'active' && order.status !== 'paused') {
    throw new BookingRefused(
      'INVALID_STATE',
      `Media buy ${order.id} is ${order.status}: creatives change on a buy written in the ad server`,
    );
  }
  const planned: Planned[] = [];
  for (const change of changes) {
    const at = `packages[${change.index}]`;
    const line = order.lines.find((l) => l.packageId === change.packageId);
    if (!line?.lineItemId) {
      throw new BookingRefused(
        'PACKAGE_NOT_FOUND',
        `Media buy ${order.id} has no package ${change.packageId}`,
        `${at}.package_id`,
      );
    }
    const current = onLine(line);
    const sent = change.manifests.map((m) => String(m['creative_id']));
    const wanted = [...new Set(change.assigned ?? [...current.map((c) => c.creativeId), ...sent])];
    const fresh = wanted.filter((id) => !current.some((c) => c.creativeId === id));
    const missing = fresh.find((id) => !sent.includes(id));
    if (missing) {
      throw new BookingRefused(
        'CREATIVE_NOT_FOUND',
        `Creative ${missing} is not in the buyer's library: sync it first`,
        `${at}.creative_assignments`,
      );
    }
    const product = await resolveProduct(ctx, connection, line.productId, seeded);
    if (!product) {
      throw new BookingRefused('PRODUCT_NOT_FOUND', `No product ${line.productId}`, at);
    }
    const size = product.sizes[0] ?? { width: 300, height: 250 };
    const manifests = change.manifests.filter((m) => fresh.includes(String(m['creative_id'])));
    const removed = current.filter((c) => !wanted.includes(c.creativeId));
    planned.push({
      line: { ...line, lineItemId: line.lineItemId },
      kept: current.filter((c) => wanted.includes(c.creativeId)),
      added: packageCreatives(manifests, product, size, `${at}.creatives`),
      removed,
      mediaType: product.media.mediaType,
    });
  }
  return planned;
}

/**
 * Checks and plans `changes` of a placed order's packages' creatives, writing nothing; answers
 * what puts them, in the ad server and then in the order's record (the order as saved).
 */
export async function creativeChanges(
  ctx: AdServerContext,
  connection: ConnectionRow,
  order: OrderRow,
  changes: CreativeChange[],
  seeded: ProductRule[] = [],
): Promise<(latest: OrderRow) => Promise<OrderRow>> {
  const adapter = ctx.adapterFor(connection);
  const planned = await planChanges(ctx, connection, adapter, order, changes, seeded);
  const sandbox = order.request['sandbox'] === true;
  return async (latest) => {
    const advertiserId = planned.some((p) => p.added.length > 0)
      ? await advertiserOf(adapter, connection, String(latest.request['brandName'] ?? ''))
      : '';
    const lines = new Map(latest.lines.map((l) => [l.packageId, l]));
    for (const { line, kept, added, removed, mediaType } of planned) {
      const attached = added.length
        ? await attachCreatives(adapter, advertiserId, { ...line, mediaType, sandbox }, added)
        : [];
      const off: CreativePair[] = removed.map((c) => ({
        lineItemId: line.lineItemId,
        creativeId: c.adServerId,
      }));
      if (off.length) await adapter.dissociate!(off);
      const creatives = [...kept, ...attached];
      lines.set(line.packageId, {
        ...(lines.get(line.packageId) ?? line),
        creatives,
        creativeIds: creatives.map((c) => c.adServerId),
      });
    }
    return updateOrder(ctx.db, latest.id, {
      lines: latest.lines.map((l) => lines.get(l.packageId) ?? l),
      updatedAt: ctx.now(),
    });
  };
}
