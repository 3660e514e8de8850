import {
  AdServerError,
  type CreativePair,
  type CreativePlan,
  type DeliveryPages,
  type LineChange,
  type LinePlan,
} from '../port.js';
import type { SpringServeCall } from './client.js';

/*
 * Booking in SpringServe (springserve.atlassian.net, "Demand Tag API", "Campaign API", and the
 * v0 OpenAPI document served at console.springserve.com/api-docs): an order is a Campaign under
 * the buyer's demand partner, created inactive and activated on approval; each line is a demand
 * tag of the line-item class (demand_class 11) in that campaign, with its rate, flight, an
 * impressions budget, frequency caps, the supply tags it serves on (demand_tag_priorities), and
 * key-value targeting as demand tag keys. A video line's demand tag says `format: video`.
 * Creatives are video creatives registered by their file's URL (the "Video Creative API":
 * POST /api/v0/videos with `creative_remote_url`; SpringServe fetches the file itself, so nothing
 * is uploaded) or tag creatives (a VAST tag's URL, "Tag Creative API"), linked to line items by
 * line_item_ratios. Delivery is POST /api/v0/report by demand tag and day, paged until empty.
 */

type Row = Record<string, unknown>;

/** demand_class of a line-item demand tag (the v0 document's "Line Item" examples). */
export const lineItemDemandClass = 11;

const day = (at: Date) => at.toISOString().slice(0, 10);
const numeric = (values: string[]) => values.filter((v) => /^\d+$/.test(v)).map(Number);
const capUnit = { HOUR: 'hours', DAY: 'days', WEEK: 'weeks' } as const;

/** The most pages a name look-up reads before it gives up (100,000 rows at the default size). */
export const MAX_LOOKUP_PAGES = 1000;

/** Every row of a list endpoint, page by page (used for name look-ups, which have no filter). */
export async function findByName(
  call: SpringServeCall,
  path: string,
  name: string,
  per = 100,
): Promise<Row | undefined> {
  for (let page = 1; page <= MAX_LOOKUP_PAGES; page++) {
    const rows = await call<Row[]>('GET', path, { query: { page, per } });
    if (!Array.isArray(rows) || !rows.length) return undefined;
    const found = rows.find((r) => r['name'] === name);
    if (found) return found;
    if (rows.length < per) return undefined;
  }
  // A list that never ends is not one where the name is known to be missing: creating it again
  // could duplicate it, so the look-up fails instead.
  throw new AdServerError(
    'ADAPTER_REFUSED',
    `SpringServe's ${path} list did not end within ${MAX_LOOKUP_PAGES} pages`,
  );
}

/** The body of one line item's demand tag. */
export function demandTagOf(
  line: LinePlan,
  campaign: { id: string; demandPartnerId: unknown },
  currency: string,
) {
  return {
    name: line.name,
    demand_class: lineItemDemandClass,
    demand_partner_id: campaign.demandPartnerId,
    campaign_id: Number(campaign.id),
    rate: line.cpm,
    rate_currency: currency,
    start_date: day(line.start),
    end_date: day(line.end),
    flight_dates_timezone: 'UTC',
    budget_timezone: 'UTC',
    budgets: [
      {
        budget_period: 'lifetime',
        budget_metric: 'impressions',
        budget_value: line.impressions,
        budget_pacing: 'smooth',
      },
    ],
    ...(line.frequencyCap && {
      frequency_caps: [
        {
          imps: line.frequencyCap.maxImpressions,
          duration: line.frequencyCap.numTimeUnits,
          duration_unit: capUnit[line.frequencyCap.timeUnit],
        },
      ],
    }),
    demand_tag_priorities: numeric(line.placementIds).map((supplyTagId) => ({
      supply_tag_id: supplyTagId,
      priority: 1,
      tier: 1,
    })),
    key_value_targeting: line.keyValues.length > 0,
    ...(line.mediaType === 'video' && { format: 'video' }),
    active: true,
  };
}

/**
 * Creates every line item of a campaign, all or none: SpringServe has no batch create, so the
 * demand tags made before a refusal are deleted again before the refusal is answered.
 */
export async function createDemandTags(
  call: SpringServeCall,
  orderId: string,
  lines: LinePlan[],
  currency: string,
): Promise<string[]> {
  const campaign = await call<Row>('GET', `campaigns/${Number(orderId)}`);
  const owner = { id: orderId, demandPartnerId: campaign['demand_partner_id'] };
  const created: string[] = [];
  try {
    for (const line of lines) {
      const tag = await call<Row>('POST', 'demand_tags', {
        body: demandTagOf(line, owner, currency),
      });
      const tagId = String(tag['id']);
      created.push(tagId);
      for (const kv of line.keyValues) {
        await call('POST', `demand_tags/${tagId}/demand_tag_keys`, {
          body: {
            key_id: Number(kv.keyId),
            demand_tag_key_type: 'values',
            list_type: 'white_list',
            value_ids: numeric(kv.valueIds),
          },
        });
      }
    }
    return created;
  } catch (error) {
    for (const tagId of created) {
      await call('DELETE', `demand_tags/${tagId}`).catch(() => undefined);
    }
    throw error;
  }
}

/** Budget and flight changes: each demand tag's lifetime impressions budget and flight dates. */
export async function updateDemandTags(call: SpringServeCall, changes: LineChange[]) {
  for (const change of changes) {
    await call('PUT', `demand_tags/${Number(change.lineItemId)}`, {
      body: {
        ...(change.impressions !== undefined && {
          budgets: [
            {
              budget_period: 'lifetime',
              budget_metric: 'impressions',
              budget_value: change.impressions,
              budget_pacing: 'smooth',
            },
          ],
        }),
        ...(change.start && { start_date: day(change.start) }),
        ...(change.end && { end_date: day(change.end) }),
      },
    });
  }
}

/**
 * A creative in SpringServe: a video file as a video creative registered by its URL, anything
 * else as a tag creative (a VAST tag's URL as its VAST endpoint), with its click-through.
 */
export async function createSpringServeCreative(
  call: SpringServeCall,
  demandPartnerId: string,
  creative: CreativePlan,
): Promise<string> {
  if (creative.videoUrl) {
    const video = await call<Row>('POST', 'videos', {
      body: {
        name: creative.name,
        demand_partner_id: Number(demandPartnerId),
        creative_remote_url: creative.videoUrl,
        creative_landing_page_url: creative.clickUrl,
      },
    });
    return String(video['id']);
  }
  const url =
    creative.vastUrl ??
    creative.imageUrl ??
    (/^https?:\/\//.test(creative.snippet ?? '') ? creative.snippet : undefined);
  if (!url) {
    throw new AdServerError(
      'ADAPTER_REFUSED',
      'SpringServe takes creatives by URL (a VAST tag); this creative has none',
    );
  }
  const created = await call<Row>('POST', 'tag_creatives', {
    body: {
      name: creative.name,
      demand_partner_id: Number(demandPartnerId),
      vast_endpoint_url: url,
      creative_landing_page_url: creative.clickUrl,
    },
  });
  return String(created['id']);
}

/** Creatives linked to their line items (line_item_ratios on each demand tag, even weights). */
export async function linkCreatives(call: SpringServeCall, pairs: CreativePair[]) {
  const byTag = new Map<string, number[]>();
  for (const p of pairs)
    byTag.set(p.lineItemId, [...(byTag.get(p.lineItemId) ?? []), Number(p.creativeId)]);
  for (const [tagId, creativeIds] of byTag) {
    await call('PUT', `demand_tags/${tagId}`, {
      body: {
        line_item_ratios: creativeIds.map((creativeId) => ({ creative_id: creativeId, ratio: 1 })),
      },
    });
  }
}

/**
 * Delivery per demand tag and day from the reporting API, page by page until an empty page, one
 * page in memory at a time; a report still going at `maxPages` ends incomplete (never silently).
 */
export async function* deliveryReport(
  call: SpringServeCall,
  lineItemIds: string[],
  from: string,
  to: string,
  maxPages: number,
): DeliveryPages {
  const ids = numeric(lineItemIds);
  if (!ids.length) return { complete: true };
  for (let page = 1; page <= maxPages; page++) {
    const answer = await call<Row[] | Row>('POST', 'report', {
      body: {
        start_date: from,
        end_date: to,
        interval: 'day',
        timezone: 'UTC',
        dimensions: ['demand_tag_id'],
        demand_tag_ids: ids,
        metrics: ['impressions', 'clicks', 'revenue'],
        page,
      },
    });
    const data = Array.isArray(answer) ? answer : ((answer['data'] as Row[] | undefined) ?? []);
    if (!data.length) return { complete: true };
    yield data.map((row) => ({
      lineItemId: String(row['demand_tag_id']),
      day: String(row['date'] ?? '').slice(0, 10),
      impressions: Number(row['impressions'] ?? row['total_impressions'] ?? 0),
      clicks: Number(row['clicks'] ?? 0),
      spend: Number(row['revenue'] ?? 0),
    }));
  }
  return { complete: false };
}
