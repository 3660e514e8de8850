/*
 * The objects of one fake FreeWheel MRM network, as the Publisher API documents them (see
 * server.ts for the pages): sites, site sections, advertisers, campaigns, insertion orders,
 * placements, creatives, ads and creative instances; and a deterministic delivery per placement
 * and day.
 */

export type Obj = Record<string, unknown>;

export interface FakeNetwork {
  id: number;
  sites: Map<number, Obj>;
  siteSections: Map<number, Obj>;
  advertisers: Map<number, Obj>;
  campaigns: Map<number, Obj>;
  insertionOrders: Map<number, Obj>;
  placements: Map<number, Obj>;
  creatives: Map<number, Obj>;
  ads: Map<number, Obj>;
  /** Creative instances: a creative linked to an ad (and so to the ad's placement). */
  creativeInstances: Map<number, Obj>;
  nextId(): number;
}

/** Named site sections first (501 homepage, 502 sports), then `generated` more from 10001. */
export function makeNetwork(generated: number): FakeNetwork {
  let next = 700_000;
  const network: FakeNetwork = {
    id: 171_717,
    sites: new Map([
      [
        31,
        { id: 31, name: 'sportsnews.example', url: 'https://sportsnews.example', status: 'ACTIVE' },
      ],
      [32, { id: 32, name: 'Sports News CTV app', url: null, status: 'ACTIVE' }],
    ]),
    siteSections: new Map(),
    advertisers: new Map([[401, { id: 401, name: 'House', status: 'ACTIVE' }]]),
    campaigns: new Map(),
    insertionOrders: new Map(),
    placements: new Map(),
    creatives: new Map(),
    ads: new Map(),
    creativeInstances: new Map(),
    nextId: () => ++next,
  };
  const section = (id: number, name: string) =>
    network.siteSections.set(id, {
      id,
      name,
      tag: name.toLowerCase().replace(/\W+/g, '_'),
      rating: 'Unrated',
      status: 'ACTIVE',
      updated_at: '2026-11-01T00:00:00Z',
    });
  section(501, 'Homepage video');
  section(502, 'Sports video');
  for (let i = 0; i < generated; i++) section(10_001 + i, `Section ${10_001 + i}`);
  return network;
}

/** One page of a map's values in id order, with FreeWheel's V4 paging fields. */
/** What a fake route answers: status, body type, body. */
export type Answer = [number, 'json' | 'xml', unknown];

/** A list's page as V3 and V4 answer it (`page` from 1, `per_page` 1-500, 10 unless asked). */
export const listOf = (map: Map<number, Obj>, query: URLSearchParams) =>
  pageOf(
    map,
    Math.max(1, Number(query.get('page') ?? 1)),
    Math.min(500, Math.max(1, Number(query.get('per_page') ?? 10))),
  );

export function pageOf(map: Map<number, Obj>, page: number, per: number) {
  const all = [...map.values()];
  return {
    items: all.slice((page - 1) * per, page * per),
    page,
    per_page: per,
    total_page: Math.max(1, Math.ceil(all.length / per)),
  };
}

/** A value as XML: objects nest, arrays repeat their element, null writes nothing. */
export function toXml(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Obj)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  }
  const text = String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<${name}>${text}</${name}>`;
}

/**
 * Delivery per placement and day from its start to `to`: 1,000 impressions a day per placement,
 * 10 clicks, revenue at the placement's CPM (deterministic, so a test can check its sums).
 */
export function deliveryRows(network: FakeNetwork, ids: number[], from: string, to: string) {
  const rows: Obj[] = [];
  for (const id of ids) {
    const placement = network.placements.get(id);
    if (!placement) continue;
    const schedule = (placement['schedule'] ?? {}) as Obj;
    const start = String(schedule['start_time'] ?? from).slice(0, 10);
    const first = start > from ? start : from;
    const rate = Number(((placement['price'] ?? {}) as Obj)['rate'] ?? 0);
    for (let day = new Date(`${first}T00:00:00Z`); day.toISOString().slice(0, 10) <= to;) {
      rows.push({
        placement_id: id,
        date: day.toISOString().slice(0, 10),
        impressions: 1000,
        clicks: 10,
        revenue: rate,
      });
      day = new Date(day.getTime() + 86_400_000);
    }
  }
  return rows;
}
