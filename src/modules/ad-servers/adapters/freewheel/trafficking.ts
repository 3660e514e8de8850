import type { XmlNode } from '../shared/xml-reader.js';
import { element, type XmlValue } from '../shared/xml.js';
import {
  AdServerError,
  type CreativePair,
  type CreativePlan,
  type DeliveryPages,
  type LineChange,
  type LinePlan,
} from '../port.js';
import type { FreeWheelClient } from './client.js';

/*
 * Booking in FreeWheel MRM (api-docs.freewheel.tv/publisher/reference: "Campaign API V3",
 * "Insertion Order API V3", "Placement API V3", "Creative Management API V4", "Creative Instance
 * API v4" and the V4 ads): an order is an insertion
 * order in a campaign of the buyer's advertiser, booked on approval; each line is a placement
 * in it (schedule, CPM price, impression budget, frequency cap, the site sections and sites it
 * targets). V3 resources are XML only. FreeWheel has no batch create and no placement delete, so
 * all or none is ours: a refused placement fails the booking and the insertion order (with the
 * placements made before the refusal) is deleted by archiveOrder, as is its campaign.
 */

const lists = new Set(['insertion_order', 'placement', 'error']);
const numeric = (values: string[]) => values.filter((v) => /^\d+$/.test(v));
const iso = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The most pages an insertion-order look-up reads (100,000 orders at 100 a page). */
export const MAX_ORDER_LOOKUP_PAGES = 1000;

const idOf = (root: XmlNode, name: string, what: string): string => {
  const node = root[name] as XmlNode | undefined;
  const id = node?.['id'];
  if (id === undefined || id === null || id === '') {
    throw new AdServerError(
      'ADAPTER_CONNECTION_FAILED',
      `FreeWheel answered the ${what} without an id`,
      undefined,
      true,
    );
  }
  return String(id);
};

const xmlOf = (root: string, fields: Record<string, XmlValue>) =>
  `<?xml version="1.0" encoding="UTF-8"?>${element(root, fields)}`;

export async function createCampaignAndOrder(
  client: FreeWheelClient,
  input: { name: string; advertiserId: string; poNumber?: string | undefined },
): Promise<string> {
  const campaign = await client.xml('POST', 'services/v3/campaign.xml', {
    body: xmlOf('campaign', { name: input.name, advertiser_id: input.advertiserId }),
  });
  const campaignId = idOf(campaign, 'campaign', 'campaign');
  const order = await client.xml('POST', 'v3/insertion_orders.xml', {
    body: xmlOf('insertion_order', {
      campaign_id: campaignId,
      name: input.name,
      client_po: input.poNumber,
      external_id: input.name,
    }),
  });
  return idOf(order, 'insertion_order', 'insertion order');
}

/** Our insertion order by name, page by page (the list has no name filter we can rely on). */
export async function findOrderByName(client: FreeWheelClient, name: string, per = 100) {
  for (let page = 1; page <= MAX_ORDER_LOOKUP_PAGES; page++) {
    const root = await client.xml('GET', 'v3/insertion_orders.xml', {
      query: { page, per_page: per },
      lists,
    });
    const orders = ((root['insertion_orders'] as XmlNode | undefined)?.['insertion_order'] ??
      []) as XmlNode[];
    const found = orders.find((o) => o['name'] === name);
    if (found) return String(found['id']);
    if (orders.length < per) return null;
  }
  // A list that never ends is not one where the order is known to be missing.
  throw new AdServerError(
    'ADAPTER_REFUSED',
    `FreeWheel's insertion order list did not end within ${MAX_ORDER_LOOKUP_PAGES} pages`,
  );
}

/** The body of one line's placement. */
export function placementOf(orderId: string, line: LinePlan, currency: string) {
  const cap = line.frequencyCap;
  return xmlOf('placement', {
    insertion_order_id: orderId,
    name: line.name,
    external_id: line.packageId,
    schedule: { start_time: iso(line.start), end_time: iso(line.end), time_zone: 'UTC' },
    price: { pricing_model: 'CPM', rate: line.cpm, currency },
    budget: { budget_model: 'IMPRESSION', impression: line.impressions },
    ...(cap && {
      delivery: {
        frequency_cap: {
          value: cap.maxImpressions,
          type: 'IMPRESSION',
          period:
            cap.numTimeUnits === 1 ? cap.timeUnit : cap.numTimeUnits * minutesOf[cap.timeUnit],
        },
      },
    }),
    targeting: {
      content: {
        site_section: { include: { id: numeric(line.placementIds) } },
        site: { include: { id: numeric(line.adUnitIds) } },
      },
    },
  });
}

const minutesOf = { HOUR: 60, DAY: 1440, WEEK: 10_080 } as const;

/** One placement per line, in order; a refusal stops the rest (the caller deletes the order). */
export async function createPlacements(
  client: FreeWheelClient,
  orderId: string,
  lines: LinePlan[],
  currency: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const line of lines) {
    const created = await client.xml('POST', 'services/v3/placement.xml', {
      body: placementOf(orderId, line, currency),
    });
    ids.push(idOf(created, 'placement', 'placement'));
  }
  return ids;
}

/**
 * A failed creation's order (never booked) is deleted with its campaign, so nothing empty is
 * left; a booked one (a cancellation) is unbooked, keeping its history.
 */
export async function removeOrder(client: FreeWheelClient, orderId: string) {
  const root = await client.xml('GET', `v3/insertion_orders/${Number(orderId)}.xml`);
  const order = (root['insertion_order'] ?? {}) as XmlNode;
  if (String(order['status'] ?? '').toUpperCase() === 'BOOKED') {
    await client.xml('PUT', `v3/insertion_orders/${Number(orderId)}/unbook.xml`);
    return;
  }
  await client.xml('DELETE', `v3/insertion_orders/${Number(orderId)}.xml`);
  if (order['campaign_id']) {
    await client.xml('DELETE', `services/v3/campaign/${Number(order['campaign_id'])}.xml`);
  }
}

export async function setPlacementStatus(client: FreeWheelClient, ids: string[], paused: boolean) {
  for (const id of ids) {
    await client.xml('PUT', `services/v3/placement/${Number(id)}.xml`, {
      body: xmlOf('placement', { status: paused ? 'INACTIVE' : 'ACTIVE' }),
    });
  }
}

/** Budget and flight changes: each placement's impression budget and schedule. */
export async function updatePlacements(client: FreeWheelClient, changes: LineChange[]) {
  for (const change of changes) {
    await client.xml('PUT', `services/v3/placement/${Number(change.lineItemId)}.xml`, {
      body: xmlOf('placement', {
        ...(change.impressions !== undefined && {
          budget: { budget_model: 'IMPRESSION', impression: change.impressions },
        }),
        ...((change.start || change.end) && {
          schedule: {
            start_time: change.start && iso(change.start),
            end_time: change.end && iso(change.end),
          },
        }),
      }),
    });
  }
}

/**
 * A creative in FreeWheel's creative library ("Creative Management API V4",
 * POST /services/v4/creative_resources, JSON only) with one rendition by URL: the video file (its
 * MIME type when known), the VAST tag FreeWheel wraps, or the image; FreeWheel detects the rest
 * of the rendition (`content_type` "auto", as its rendition object documents).
 */
export async function createCreative(
  client: FreeWheelClient,
  advertiserId: string,
  creative: CreativePlan,
): Promise<string> {
  const url =
    creative.videoUrl ??
    creative.vastUrl ??
    creative.imageUrl ??
    (/^https?:\/\//.test(creative.snippet ?? '') ? creative.snippet : undefined);
  if (!url) {
    throw new AdServerError(
      'ADAPTER_REFUSED',
      'FreeWheel takes creatives by URL (an asset or a VAST tag); this creative has none',
    );
  }
  const created = await client.json<Record<string, unknown>>(
    'POST',
    'services/v4/creative_resources',
    {
      body: {
        creative: {
          name: creative.name,
          advertiser_ids: [Number(advertiserId)],
          click_through_url: creative.clickUrl,
          ...(creative.durationMs && { duration: Math.round(creative.durationMs / 1000) }),
          renditions: [
            {
              uri: url,
              content_type: creative.videoUrl ? (creative.mimeType ?? 'auto') : 'auto',
              ...(!creative.vastUrl && { width: creative.width, height: creative.height }),
            },
          ],
        },
      },
    },
  );
  const body = (created?.['data'] ?? created) as Record<string, unknown> | undefined;
  const id = ((body?.['creative'] ?? body) as Record<string, unknown> | undefined)?.['id'];
  if (id === undefined || id === null || id === '') {
    throw new AdServerError(
      'ADAPTER_CONNECTION_FAILED',
      'FreeWheel answered the creative without an id',
      undefined,
      true,
    );
  }
  return String(id);
}

/**
 * Creatives attached to their placements by an ad: one ad per placement (instream for a video
 * line, display otherwise, the types FreeWheel's ads take), then one creative instance per
 * creative linking it to that ad ("Creative Instance API v4": ad_id and creative_id).
 */
export async function attachCreatives(client: FreeWheelClient, pairs: CreativePair[]) {
  const byPlacement = new Map<string, CreativePair[]>();
  for (const p of pairs)
    byPlacement.set(p.lineItemId, [...(byPlacement.get(p.lineItemId) ?? []), p]);
  for (const [placementId, mine] of byPlacement) {
    const ad = await client.json<Record<string, unknown>>('POST', 'services/v4/ads', {
      body: {
        placement_id: Number(placementId),
        type: mine[0]!.mediaType === 'video' ? 'INSTREAM' : 'DISPLAY',
      },
    });
    const adId = ad?.['id'];
    if (adId === undefined || adId === null) {
      throw new AdServerError(
        'ADAPTER_CONNECTION_FAILED',
        'FreeWheel answered the ad without an id',
        undefined,
        true,
      );
    }
    for (const pair of mine) {
      await client.json('POST', 'services/v4/creative_instances', {
        body: { ad_id: Number(adId), creative_id: Number(pair.creativeId) },
      });
    }
  }
}

/**
 * Delivery per placement and day, page by page. The report resource is not in the documentation
 * we could read (docs/ad-servers.md): its shape here is an assumption to check on a network.
 */
export async function* deliveryPages(
  client: FreeWheelClient,
  lineItemIds: string[],
  from: string,
  to: string,
  maxPages: number,
): DeliveryPages {
  const ids = numeric(lineItemIds);
  if (!ids.length) return { complete: true };
  for (let page = 1; page <= maxPages; page++) {
    const answer = await client.json<Record<string, unknown>>(
      'GET',
      'services/v4/reports/placement_delivery',
      {
        query: { placement_id: ids.join(','), start_date: from, end_date: to, page, per_page: 500 },
      },
    );
    const rows = Array.isArray(answer?.['items'])
      ? (answer['items'] as Record<string, unknown>[])
      : [];
    if (!rows.length) return { complete: true };
    yield rows.map((row) => ({
      lineItemId: String(row['placement_id']),
      day: String(row['date'] ?? '').slice(0, 10),
      impressions: Number(row['impressions'] ?? 0),
      clicks: Number(row['clicks'] ?? 0),
      spend: Number(row['revenue'] ?? 0),
    }));
    const total = Number(answer['total_page']);
    if (Number.isFinite(total) && page >= total) return { complete: true };
  }
  return { complete: false };
}
