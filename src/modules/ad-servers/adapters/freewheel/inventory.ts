import type { XmlNode } from '../shared/xml-reader.js';
import type { InventoryKind, InventoryPage, SyncedObject } from '../port.js';
import type { FreeWheelClient } from './client.js';

/*
 * FreeWheel inventory as the sync reads it: site sections are the placements products sell
 * (GET /services/v4/site_sections, api-docs.freewheel.tv/publisher/reference/site-section), sites
 * the units they contain (GET /services/v4/sites), advertisers the companies orders are placed
 * under (the V3 Advertiser API, XML: GET /services/v3/advertiser.xml). Lists page with `page`
 * (from 1) and `per_page`; the cursor is the next page's number. FreeWheel's key-value
 * targeting has no listing resource in the documentation we read, so keys and values are not
 * synced (a product rule naming key-values is refused for a FreeWheel source).
 */

type Row = Record<string, unknown>;

const str = (value: unknown) => (typeof value === 'string' ? value : null);
const statusOf = (row: Row) =>
  String(row['status'] ?? 'ACTIVE').toUpperCase() === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE';

/** The rows of a V4 list answer: the resource's own array (`sites`, `site_sections`, `items`). */
function rowsOf(answer: unknown, resource: string): Row[] {
  if (Array.isArray(answer)) return answer as Row[];
  if (!answer || typeof answer !== 'object') return [];
  const body = answer as Row;
  for (const name of [resource, 'items', 'data']) {
    if (Array.isArray(body[name])) return body[name] as Row[];
  }
  return [];
}

/** Whether a V4 list answer has a page after `page` (total pages when given, else a full page). */
function hasNext(answer: unknown, page: number, count: number, per: number): boolean {
  const body = (answer && typeof answer === 'object' ? answer : {}) as Row;
  const total = Number(body['total_page'] ?? body['total_pages']);
  if (Number.isFinite(total) && total > 0) return page < total;
  return count === per;
}

const v4Lists: Partial<
  Record<InventoryKind, { resource: string; map: (row: Row) => SyncedObject }>
> = {
  placement: {
    resource: 'site_sections',
    map: (row) => ({
      kind: 'placement',
      externalId: String(row['id']),
      parentId: null,
      name: String(row['name'] ?? ''),
      status: statusOf(row),
      data: {
        description: str(row['description']),
        tag: str(row['tag']),
        rating: str(row['rating']),
        adUnitIds: [],
        updatedAt: str(row['updated_at']),
      },
    }),
  },
  ad_unit: {
    resource: 'sites',
    map: (row) => ({
      kind: 'ad_unit',
      externalId: String(row['id']),
      parentId: null,
      name: String(row['name'] ?? ''),
      status: statusOf(row),
      data: { url: str(row['url']), sizes: [], updatedAt: str(row['updated_at']) },
    }),
  },
};

function advertiserOf(node: XmlNode): SyncedObject {
  return {
    kind: 'advertiser',
    externalId: String(node['id'] ?? ''),
    parentId: null,
    name: String(node['name'] ?? ''),
    status: statusOf(node),
    data: { externalId: str(node['external_id']) },
  };
}

const advertiserLists = new Set(['advertiser']);

export async function inventoryPage(
  client: FreeWheelClient,
  kind: InventoryKind,
  after: string | null,
  per: number,
): Promise<InventoryPage> {
  const page = after ? Number(after) : 1;
  if (kind === 'advertiser') {
    const root = await client.xml('GET', 'services/v3/advertiser.xml', {
      query: { page, per_page: per },
      lists: advertiserLists,
    });
    const list = (root['advertisers'] ?? {}) as XmlNode;
    const nodes = (Array.isArray(list['advertiser']) ? list['advertiser'] : []) as XmlNode[];
    const total = Number((list['@_total_page'] as string | undefined) ?? NaN);
    const more = Number.isFinite(total) ? page < total : nodes.length === per;
    return { items: nodes.map(advertiserOf), after: more ? String(page + 1) : null };
  }
  const list = v4Lists[kind];
  if (!list) return { items: [], after: null };
  const answer = await client.json<unknown>('GET', `services/v4/${list.resource}`, {
    query: { page, per_page: per },
  });
  const items = rowsOf(answer, list.resource).map(list.map);
  return { items, after: hasNext(answer, page, items.length, per) ? String(page + 1) : null };
}
