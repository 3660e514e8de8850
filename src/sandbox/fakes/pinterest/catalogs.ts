import type { ServerResponse } from 'node:http';
import { reply, type Request } from './http.js';
import type { PinterestState } from './state.js';

/*
 * The fake Pinterest's catalogs (API v5 reference, v5/openapi.json 5.23: "catalogs",
 * "catalogs/items/batch", "catalogs/items/batch/{batch_id}"):
 * - every call names `ad_account_id` (Business Access): the catalogs are that ad account's
 *   owner's, and the user needs an Owner, Admin or Catalogs Manager role on it; the token needs
 *   the catalogs:read (and, to write, catalogs:write) scope, else 403 code 29 (our assumption:
 *   the reference documents 401 and 403 without saying which a missing scope gets);
 * - GET /catalogs (bookmark-paged `{items, bookmark}`), POST /catalogs with exactly
 *   `catalog_type` and `name` (additionalProperties false), answering the Catalog;
 * - POST /catalogs/items/batch with `catalog_type`, `catalog_id`, `country`, `language` and 1 to
 *   1,000 `items` of `{operation, item_id, attributes}` (UPSERT needs title, description, link,
 *   image_link, price and availability for a new item; a sale_price lower than the price, a link
 *   of at most 511 characters, availability and condition among their values; DELETE only
 *   item_id), answered
 *   `{batch_id, status: PROCESSING}`; GET /catalogs/items/batch/{id} then answers it COMPLETED
 *   with an ItemProcessingRecord per item (`status` SUCCESS or FAILURE, `errors` with
 *   attribute, code and message).
 * Ingestion is the fake's own: a batch is applied when it is posted.
 */

type Item = Record<string, unknown>;

const catalogRoles = ['OWNER', 'ADMIN', 'CATALOGS_MANAGER'];
const creating = ['title', 'description', 'link', 'image_link', 'price', 'availability'];
const bad = (res: ServerResponse, message: string) => reply(res, 400, { code: 1, message });
const forbidden = (res: ServerResponse) =>
  reply(res, 403, { code: 29, message: 'You are not permitted to access that resource.' });

function problemsOf(attributes: Item, isNew: boolean) {
  const errors: Array<{ attribute: string; code: number; message: string }> = [];
  if (isNew) {
    for (const field of creating) {
      const v = attributes[field];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) {
        errors.push({ attribute: field, code: 106, message: `${field} is missing` });
      }
    }
  }
  for (const field of ['price', 'sale_price']) {
    const v = attributes[field];
    if (v !== undefined && !/^\d+(\.\d{1,2})? ?([A-Z]{3})?$/.test(String(v))) {
      errors.push({ attribute: field, code: 111, message: `${field} is not a valid price` });
    }
  }
  const amount = (v: unknown) => parseFloat(String(v));
  if (
    attributes.sale_price !== undefined &&
    amount(attributes.sale_price) >= amount(attributes.price)
  ) {
    errors.push({
      attribute: 'sale_price',
      code: 112,
      message: 'The sale_price must be lower than the price',
    });
  }
  if (typeof attributes.link === 'string' && attributes.link.length > 511) {
    errors.push({ attribute: 'link', code: 113, message: 'link is longer than 511 characters' });
  }
  const availability = String(attributes.availability ?? 'in stock').toLowerCase();
  if (!['in stock', 'out of stock', 'preorder'].includes(availability)) {
    errors.push({ attribute: 'availability', code: 114, message: 'availability is not valid' });
  }
  const condition = String(attributes.condition ?? 'new').toLowerCase();
  if (!['new', 'used', 'refurbished'].includes(condition)) {
    errors.push({ attribute: 'condition', code: 115, message: 'condition is not valid' });
  }
  return errors;
}

/** Answers a catalogs call, or returns false when the path is not one. */
export function catalogsApi(state: PinterestState, req: Request, res: ServerResponse): boolean {
  const { method, path } = req;
  if (!path.startsWith('/catalogs')) return false;
  const accountId = req.query.get('ad_account_id') ?? '';
  const account = state.accounts.find((a) => a.id === accountId);
  const scopes = state.scopesOf(req.grant.token);
  const writing = method !== 'GET';
  if (
    !account ||
    !req.grant.accountIds.includes(accountId) ||
    !account.permissions.some((r) => catalogRoles.includes(r)) ||
    !scopes.includes('catalogs:read') ||
    (writing && !scopes.includes('catalogs:write'))
  ) {
    forbidden(res);
    return true;
  }
  const body = (req.body ?? {}) as Item;

  if (path === '/catalogs' && method === 'GET') {
    const items = [...state.catalogs.values()].filter((c) => c.owner === accountId);
    reply(res, 200, {
      items: items.map(({ owner: _owner, ...c }) => c),
      bookmark: null,
    });
    return true;
  }
  if (path === '/catalogs' && method === 'POST') {
    const extra = Object.keys(body).find((k) => k !== 'catalog_type' && k !== 'name');
    if (extra) return (bad(res, `Additional properties are not allowed ('${extra}')`), true);
    if (!['RETAIL', 'HOTEL', 'CREATIVE_ASSETS'].includes(String(body.catalog_type))) {
      return (bad(res, 'catalog_type: invalid value.'), true);
    }
    if (typeof body.name !== 'string' || !body.name) return (bad(res, 'name is required.'), true);
    const made = state.addCatalog(accountId, String(body.catalog_type), body.name);
    if (state.takeLostAnswer('/catalogs')) {
      reply(res, 500, { code: 1, message: 'Internal server error.' });
      return true;
    }
    reply(res, 200, made);
    return true;
  }
  if (path === '/catalogs/items/batch' && method === 'POST') {
    const catalog = state.catalogs.get(String(body.catalog_id ?? ''));
    const items = Array.isArray(body.items) ? (body.items as Item[]) : [];
    if (body.catalog_type !== 'RETAIL' || !body.country || !body.language) {
      return (bad(res, 'catalog_type, country and language are required.'), true);
    }
    if (!catalog || catalog.owner !== accountId) return (bad(res, 'catalog_id: not found.'), true);
    if (items.length < 1 || items.length > 1000) {
      return (bad(res, 'items: between 1 and 1000 operations.'), true);
    }
    const held = state.catalogItems.get(catalog.id)!;
    const records = items.map((op) => {
      const id = String(op.item_id ?? '');
      if (op.operation === 'DELETE') {
        held.delete(id);
        return { item_id: id, status: 'SUCCESS', errors: [], warnings: [] };
      }
      const attributes = (op.attributes ?? {}) as Item;
      const errors =
        op.operation === 'UPSERT'
          ? problemsOf(attributes, !held.has(id))
          : [{ attribute: 'operation', code: 1, message: 'operation: invalid value.' }];
      if (!errors.length) held.set(id, { ...(held.get(id) ?? {}), ...attributes });
      return { item_id: id, status: errors.length ? 'FAILURE' : 'SUCCESS', errors, warnings: [] };
    });
    const batchId = state.addBatch(records);
    reply(res, 200, {
      catalog_type: 'RETAIL',
      batch_id: batchId,
      created_time: new Date().toISOString().slice(0, 19),
      completed_time: null,
      status: 'PROCESSING',
    });
    return true;
  }
  const batch = /^\/catalogs\/items\/batch\/([\w-]+)$/.exec(path);
  if (batch && method === 'GET') {
    const records = state.batches.get(batch[1]!);
    if (!records) return (reply(res, 404, { code: 4, message: 'Batch not found.' }), true);
    reply(res, 200, {
      catalog_type: 'RETAIL',
      batch_id: batch[1],
      status: 'COMPLETED',
      items: records,
    });
    return true;
  }
  reply(res, 404, { code: 3, message: 'Not found.' });
  return true;
}
