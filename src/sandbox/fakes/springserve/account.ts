/*
 * The objects of one fake SpringServe account, as the v0 API documents them (see server.ts for
 * the pages): supply tags, demand partners, keys and their values, campaigns, demand tags with
 * their keys, tag creatives and video creatives; and a deterministic delivery per demand tag and
 * day.
 */

export type Obj = Record<string, unknown>;

export class ValidationError extends Error {
  constructor(readonly errors: Record<string, string>) {
    super('Validation failed');
  }
}

export interface FakeAccount {
  id: number;
  name: string;
  supplyTags: Map<number, Obj>;
  demandPartners: Map<number, Obj>;
  keys: Map<number, Obj>;
  values: Map<number, Obj>;
  campaigns: Map<number, Obj>;
  demandTags: Map<number, Obj>;
  demandTagKeys: Map<number, Obj>;
  tagCreatives: Map<number, Obj>;
  /** Video creatives (POST /api/v0/videos), registered by their file's URL. */
  videos: Map<number, Obj>;
  nextId(): number;
}

/** Named supply tags first (501 homepage, 502 sports), then `generated` more from 10001. */
export function makeAccount(generated: number): FakeAccount {
  let next = 900_000;
  const account: FakeAccount = {
    id: 4242,
    name: 'Sports News Video',
    supplyTags: new Map(),
    demandPartners: new Map([[301, { id: 301, name: 'House', active: true }]]),
    keys: new Map([
      [701, { id: 701, name: 'Section', key: 'section', definition_type: 'predefined' }],
      [702, { id: 702, name: 'Genre', key: 'genre', definition_type: 'predefined' }],
    ]),
    values: new Map([
      [80001, { id: 80001, key_id: 701, value: 'sports' }],
      [80002, { id: 80002, key_id: 701, value: 'news' }],
      [80003, { id: 80003, key_id: 702, value: 'drama' }],
    ]),
    campaigns: new Map(),
    demandTags: new Map(),
    demandTagKeys: new Map(),
    tagCreatives: new Map(),
    videos: new Map(),
    nextId: () => ++next,
  };
  const tag = (id: number, name: string, environment: string) =>
    account.supplyTags.set(id, {
      id,
      account_id: account.id,
      name,
      active: true,
      format: 'video',
      environment,
      rate: '2.0',
      supply_partner_id: 11,
      note: `${name} inventory`,
    });
  // The homepage plays in browsers, the sports section in the connected-TV app.
  tag(501, 'Homepage preroll', 'desktop');
  tag(502, 'Sports preroll', 'ctv');
  for (let i = 0; i < generated; i++) tag(10_001 + i, `Generated tag ${i + 1}`, 'ctv');
  return account;
}

/** One page of a map's values in id order (`page` from 1). */
export function pageOf(
  map: Map<number, Obj>,
  page: number,
  per: number,
  filter?: (o: Obj) => boolean,
) {
  const all = [...map.values()].filter(filter ?? (() => true));
  all.sort((a, b) => Number(a['id']) - Number(b['id']));
  return all.slice((page - 1) * per, page * per);
}

const required = (body: Obj, fields: string[]) => {
  const errors: Record<string, string> = {};
  for (const f of fields)
    if (body[f] === undefined || body[f] === null || body[f] === '') errors[f] = "can't be blank";
  if (Object.keys(errors).length) throw new ValidationError(errors);
};

export function createCampaign(account: FakeAccount, body: Obj): Obj {
  required(body, ['name', 'demand_partner_id']);
  if (!account.demandPartners.has(Number(body['demand_partner_id']))) {
    throw new ValidationError({ demand_partner_id: 'does not exist' });
  }
  const id = account.nextId();
  const campaign = { is_active: true, ...body, id, account_id: account.id, demand_tag_ids: [] };
  account.campaigns.set(id, campaign);
  return campaign;
}

/** A demand tag: line items (demand_class 11) belong to a campaign of their demand partner. */
export function createDemandTag(account: FakeAccount, body: Obj, refuseNamed?: string): Obj {
  required(body, ['name', 'demand_partner_id', 'rate']);
  if (refuseNamed && String(body['name']).includes(refuseNamed)) {
    throw new ValidationError({ rate: 'is below the floor of the targeted supply' });
  }
  const campaign = account.campaigns.get(Number(body['campaign_id']));
  if (body['demand_class'] === 11 && !campaign) {
    throw new ValidationError({ campaign_id: 'does not exist' });
  }
  if (campaign && campaign['demand_partner_id'] !== body['demand_partner_id']) {
    throw new ValidationError({ demand_partner_id: 'does not match the campaign' });
  }
  for (const p of (body['demand_tag_priorities'] as Obj[] | undefined) ?? []) {
    if (!account.supplyTags.has(Number(p['supply_tag_id']))) {
      throw new ValidationError({
        demand_tag_priorities: `supply tag ${String(p['supply_tag_id'])} does not exist`,
      });
    }
  }
  const id = account.nextId();
  const tag = { active: true, format: 'video', ...body, id, account_id: account.id };
  account.demandTags.set(id, tag);
  if (campaign) (campaign['demand_tag_ids'] as number[]).push(id);
  return tag;
}

export function deleteDemandTag(account: FakeAccount, id: number): boolean {
  const tag = account.demandTags.get(id);
  if (!tag) return false;
  account.demandTags.delete(id);
  const campaign = account.campaigns.get(Number(tag['campaign_id']));
  if (campaign) {
    campaign['demand_tag_ids'] = (campaign['demand_tag_ids'] as number[]).filter((t) => t !== id);
  }
  for (const [keyId, key] of account.demandTagKeys)
    if (key['demand_tag_id'] === id) account.demandTagKeys.delete(keyId);
  return true;
}

/**
 * Delivery of the demand tags asked for, per day from their start (or the report's) to the
 * report's end: 1,000 + id % 97 impressions a day, 1% clicks, revenue at the tag's rate.
 */
export function deliveryRows(account: FakeAccount, body: Obj): Obj[] {
  const ids = ((body['demand_tag_ids'] as unknown[] | undefined) ?? []).map(Number);
  const start = String(body['start_date'] ?? '');
  const end = String(body['end_date'] ?? '');
  const rows: Obj[] = [];
  for (const id of ids) {
    const tag = account.demandTags.get(id);
    if (!tag) continue;
    const from = [start, String(tag['start_date'] ?? start)].sort().at(-1)!;
    for (
      let d = new Date(`${from}T00:00:00Z`);
      d.toISOString().slice(0, 10) <= end;
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      const impressions = 1000 + (id % 97);
      rows.push({
        date: `${d.toISOString().slice(0, 10)} 00:00:00`,
        demand_tag_id: id,
        impressions,
        clicks: Math.floor(impressions / 100),
        revenue: Math.round(impressions * Number(tag['rate'])) / 1000,
      });
    }
  }
  return rows;
}

const videoTypes: Record<string, string> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

/**
 * A video creative registered by URL (the Video Creative API's "Remote URL" form): its demand
 * partner must exist and its remote URL be a video file's http(s) address; SpringServe reads the
 * file itself (the fake takes its type from the extension, as it does not fetch it).
 */
export function createVideo(account: FakeAccount, body: Obj): Obj {
  required(body, ['name', 'demand_partner_id', 'creative_remote_url']);
  if (!account.demandPartners.has(Number(body['demand_partner_id']))) {
    throw new ValidationError({ demand_partner_id: 'does not exist' });
  }
  const url = String(body['creative_remote_url']);
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (!/^https?:\/\//.test(url) || !videoTypes[extension]) {
    throw new ValidationError({ creative_remote_url: 'is not a video file URL' });
  }
  const id = account.nextId();
  const video = {
    is_active: true,
    ...body,
    id,
    account_id: account.id,
    demand_partner_id: Number(body['demand_partner_id']),
    creative_content_type: videoTypes[extension],
    creative_file_name: url.split('/').pop(),
  };
  account.videos.set(id, video);
  return video;
}

/** A demand tag's line_item_ratios name creatives (tag or video) of its own demand partner. */
export function checkRatios(account: FakeAccount, tag: Obj, body: Obj) {
  for (const ratio of (body['line_item_ratios'] as Obj[] | undefined) ?? []) {
    const id = Number(ratio['creative_id']);
    const creative = account.tagCreatives.get(id) ?? account.videos.get(id);
    if (!creative) {
      throw new ValidationError({ line_item_ratios: `creative ${id} does not exist` });
    }
    if (Number(creative['demand_partner_id']) !== Number(tag['demand_partner_id'])) {
      throw new ValidationError({ line_item_ratios: `creative ${id} is another demand partner's` });
    }
  }
}
