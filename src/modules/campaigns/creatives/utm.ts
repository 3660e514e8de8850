import { z } from 'zod';
import type { CampaignUtmParam } from '../tables.js';

/**
 * UTM parameters (issue 32, item 5): an advertiser's `utmConfig` and a campaign's, merged per
 * key (the campaign's value wins), are added to creatives' click-through URLs as they are sent
 * to sellers. Parameters a URL already has are kept as they are.
 */

const utmParam = z.object({
  paramKey: z.string().regex(/^[a-zA-Z0-9_-]{1,100}$/, 'letters, digits, _ or -, up to 100'),
  paramValue: z.string().min(1).max(200),
});

/** Hosted CampaignUtmConfig: `deleteMissing` replaces the campaign's params, else adds/updates. */
export const campaignUtmInput = z.object({
  params: z.array(utmParam).max(20),
  deleteMissing: z.boolean().optional(),
});
export type CampaignUtmInput = z.output<typeof campaignUtmInput>;

/** The campaign's params after an update (hosted: additive unless deleteMissing). */
export function updatedUtm(current: CampaignUtmParam[], input: CampaignUtmInput) {
  if (input.deleteMissing) return input.params;
  const byKey = new Map(current.map((p) => [p.paramKey, p.paramValue]));
  for (const p of input.params) byKey.set(p.paramKey, p.paramValue);
  return [...byKey].map(([paramKey, paramValue]) => ({ paramKey, paramValue }));
}

/** The params that apply: the advertiser's, with the campaign's overriding per key. */
export function mergedUtm(advertiser: CampaignUtmParam[], campaign: CampaignUtmParam[]) {
  const byKey = new Map<string, { paramValue: string; source: 'advertiser' | 'campaign' }>();
  for (const p of advertiser)
    byKey.set(p.paramKey, { paramValue: p.paramValue, source: 'advertiser' });
  for (const p of campaign) byKey.set(p.paramKey, { paramValue: p.paramValue, source: 'campaign' });
  return [...byKey].map(([paramKey, v]) => ({ paramKey, ...v }));
}

/** What the macros in a param value stand for when a creative is sent. */
export interface UtmMacros {
  campaignId: string;
  advertiserId: number;
  creativeId?: string;
}

const resolve = (value: string, m: UtmMacros) =>
  value
    .replaceAll('{CAMPAIGN_ID}', m.campaignId)
    .replaceAll('{ADVERTISER_ID}', String(m.advertiserId))
    .replaceAll('{CREATIVE_ID}', m.creativeId ?? '{CREATIVE_ID}');

/**
 * A click-through URL with the params added (macros resolved); keys the URL already carries
 * are left as the creative has them. A URL that does not parse is sent unchanged.
 */
export function withUtm(url: string, params: CampaignUtmParam[], macros: UtmMacros): string {
  if (params.length === 0) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  for (const p of params) {
    if (!parsed.searchParams.has(p.paramKey)) {
      parsed.searchParams.append(p.paramKey, resolve(p.paramValue, macros));
    }
  }
  return parsed.toString();
}
