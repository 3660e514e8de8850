import type { InventoryKind, InventoryPage, SyncedObject } from '../port.js';
import type { SpringServeCall } from './client.js';

/*
 * SpringServe inventory as the sync reads it, each list paged with `page` and `per`:
 * demand partners are the advertisers (GET /api/v0/demand_partners), keys and their values the
 * key-value targeting (GET /api/v0/keys, GET /api/v0/keys/{key_id}/values), supply tags the
 * placements a product sells (GET /api/v0/supply_tags). SpringServe has no ad units: that kind is
 * empty. The cursor is the next page's number (values: the key's page and the value page).
 * A supply tag says what it sells: its `format` (video; tile and pause_ad are images) and its
 * `environment` (Desktop, Mobile Web, In-App or Connected TV on SpringServe's Supply page), kept
 * as the placement's `mediaType` and AdCP `channels` (media.ts).
 */

type Row = Record<string, unknown>;

const id = (row: Row) => String(row['id']);
const str = (value: unknown) => (typeof value === 'string' ? value : null);
const statusOf = (row: Row) =>
  row['active'] === false || row['is_active'] === false ? 'INACTIVE' : 'ACTIVE';

const lists: Partial<Record<InventoryKind, { path: string; map: (row: Row) => SyncedObject }>> = {
  advertiser: {
    path: 'demand_partners',
    map: (row) => ({
      kind: 'advertiser',
      externalId: id(row),
      parentId: null,
      name: String(row['name'] ?? ''),
      status: statusOf(row),
      data: { code: str(row['code']) },
    }),
  },
  targeting_key: {
    path: 'keys',
    map: keyOf,
  },
  placement: {
    path: 'supply_tags',
    map: (row) => ({
      kind: 'placement',
      externalId: id(row),
      parentId: row['supply_partner_id'] == null ? null : String(row['supply_partner_id']),
      name: String(row['name'] ?? ''),
      status: statusOf(row),
      data: {
        description: str(row['note']),
        adUnitIds: [],
        format: str(row['format']),
        environment: str(row['environment']),
        ...supplyMedia(row),
        rate: row['rate'] ?? null,
      },
    }),
  },
};

/** What a supply tag's format and environment say it sells; nothing when they say nothing we know. */
export function supplyMedia(row: Row): { mediaType?: string; channels?: string[] } {
  const format = str(row['format'])?.toLowerCase();
  if (format === 'tile' || format === 'pause_ad') return { mediaType: 'display' };
  if (format !== 'video') return {};
  const environment = str(row['environment'])
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');
  const channel =
    environment === 'ctv' || environment === 'connected_tv'
      ? 'ctv'
      : environment && ['desktop', 'mobile_web', 'in_app', 'mobile_app'].includes(environment)
        ? 'olv'
        : undefined;
  return { mediaType: 'video', ...(channel && { channels: [channel] }) };
}

/** A key: its name is the parameter a product's key-values name (`key`), else its label. */
function keyOf(row: Row): SyncedObject {
  return {
    kind: 'targeting_key',
    externalId: id(row),
    parentId: null,
    name: String(row['key'] ?? row['name'] ?? ''),
    status: statusOf(row),
    data: { displayName: str(row['name']) },
  };
}

export async function inventoryPage(
  call: SpringServeCall,
  kind: InventoryKind,
  after: string | null,
  per: number,
): Promise<InventoryPage> {
  if (kind === 'targeting_value') return valuesPage(call, after, per);
  const list = lists[kind];
  if (!list) return { items: [], after: null };
  const page = after ? Number(after) : 1;
  const rows = await call<Row[]>('GET', list.path, { query: { page, per } });
  const items = (Array.isArray(rows) ? rows : []).map(list.map);
  return { items, after: items.length === per ? String(page + 1) : null };
}

/**
 * Values key by key: the cursor is `keyPage:valuePage`, one key per key page, so memory holds one
 * page of values whatever the number of keys.
 */
async function valuesPage(
  call: SpringServeCall,
  after: string | null,
  per: number,
): Promise<InventoryPage> {
  let [keyPage, valuePage] = (after ?? '1:1').split(':').map(Number) as [number, number];
  for (;;) {
    const keys = await call<Row[]>('GET', 'keys', { query: { page: keyPage, per: 1 } });
    const key = Array.isArray(keys) ? keys[0] : undefined;
    if (!key) return { items: [], after: null };
    const rows = await call<Row[]>('GET', `keys/${id(key)}/values`, {
      query: { page: valuePage, per },
    });
    const items: SyncedObject[] = (Array.isArray(rows) ? rows : []).map((row) => ({
      kind: 'targeting_value',
      externalId: id(row),
      parentId: id(key),
      name: String(row['value'] ?? row['name'] ?? ''),
      status: statusOf(row),
      data: { key: str(key['key']) },
    }));
    if (items.length === per) return { items, after: `${keyPage}:${valuePage + 1}` };
    keyPage += 1;
    valuePage = 1;
    if (items.length) return { items, after: `${keyPage}:1` };
  }
}
