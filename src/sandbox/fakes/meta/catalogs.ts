import type { ErrorOf, GraphCall } from './graph-call.js';

/*
 * The fake Meta's product catalogs, from the Marketing API documentation:
 * - GET and POST /{business-id}/owned_product_catalogs (`name` required, `vertical` commerce by
 *   default), paged; DELETE /{catalog-id} ("Business Owned Product Catalogs", "Product
 *   Catalog"; developers.facebook.com/docs/marketing-api/reference/business/
 *   owned_product_catalogs, …/reference/product-catalog);
 * - POST /{catalog-id}/items_batch with `item_type` and `requests` (a JSON array of at most 5,000
 *   `{method, data}`; CREATE, UPDATE or DELETE keyed by `data.id`, the retailer id; UPDATE creates
 *   a missing item while `allow_upsert` is true), answering `handles` and a `validation_status`
 *   entry with `errors` for each request refused; a PRODUCT_ITEM needs id, title, description,
 *   availability, condition, price ("9.99 USD"), link, image_link and one of brand, gtin or mpn
 *   ("Product Catalog Items Batch", "Catalog Batch API: Send Product Updates", supported fields);
 * - GET and POST /{catalog-id}/product_feeds (`name`, `schedule: {url, interval}`), POST
 *   /{feed-id} to change the schedule ("Product Feed");
 * - managing catalogs needs the catalog_management permission: a token without it is answered
 *   error 200, "Permissions error" (the error codes of the same references).
 * Ingestion is the fake's own: an accepted item is in the catalog at once.
 */

const availabilities = [
  'in stock',
  'out of stock',
  'preorder',
  'available for order',
  'discontinued',
];
const conditions = ['new', 'refurbished', 'used'];
const required = [
  'title',
  'description',
  'availability',
  'condition',
  'price',
  'link',
  'image_link',
];

function parse(raw: string | undefined): unknown {
  try {
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

/** Why Meta refuses this product's data; null when it takes it. */
function productProblems(data: Record<string, unknown>, creating: boolean): string[] {
  const problems: string[] = [];
  if (creating) {
    for (const field of required) {
      if (typeof data[field] !== 'string' || data[field] === '') {
        problems.push(`The required field ${field} is missing`);
      }
    }
    if (!data.brand && !data.gtin && !data.mpn) {
      problems.push('One of brand, gtin or mpn is required');
    }
  }
  if (data.availability !== undefined && !availabilities.includes(String(data.availability))) {
    problems.push('availability is not a supported value');
  }
  if (data.condition !== undefined && !conditions.includes(String(data.condition))) {
    problems.push('condition is not a supported value');
  }
  for (const field of ['price', 'sale_price']) {
    if (data[field] !== undefined && !/^\d+(\.\d{1,2})? [A-Z]{3}$/.test(String(data[field]))) {
      problems.push(`${field} must be an amount and an ISO 4217 currency, as "9.99 USD"`);
    }
  }
  for (const field of ['link', 'image_link']) {
    if (data[field] !== undefined && !/^https?:\/\//.test(String(data[field]))) {
      problems.push(`${field} must be an http(s) URL`);
    }
  }
  return problems;
}

/**
 * POST /{catalog}/items_batch: CREATE, UPDATE (an upsert unless allow_upsert is false) and
 * DELETE of product items, up to 5,000 a call; what fails is in validation_status, per item.
 */
function itemsBatchAnswer(
  items: Map<string, Record<string, unknown>>,
  form: Record<string, string>,
  graphError: ErrorOf,
): [number, unknown] {
  const requests = parse(form.requests);
  if (form.item_type !== 'PRODUCT_ITEM' || !Array.isArray(requests) || !requests.length) {
    return [400, graphError(100, '(#100) item_type and requests are required')];
  }
  if (requests.length > 5000) {
    return [400, graphError(100, '(#100) requests can contain up to 5000 items')];
  }
  const upsert = form.allow_upsert !== 'false';
  const validation: Array<{ retailer_id: string; errors: Array<{ message: string }> }> = [];
  for (const raw of requests as Array<{ method?: string; data?: Record<string, unknown> }>) {
    const data = raw.data ?? {};
    const id = typeof data.id === 'string' ? data.id : '';
    const held = items.get(id);
    let problems = id ? [] : ['id is required'];
    const verb = String(raw.method ?? '').toUpperCase();
    if (!problems.length && verb === 'DELETE') {
      items.delete(id);
      continue;
    }
    if (!problems.length && (verb === 'CREATE' || verb === 'UPDATE')) {
      const creating = !held && (verb === 'CREATE' || upsert);
      if (!held && !creating) problems = ['The item does not exist'];
      else if (held && verb === 'CREATE') problems = ['An item with this id already exists'];
      else problems = productProblems(data, creating);
      if (!problems.length) items.set(id, { ...(held ?? {}), ...data });
    } else if (!problems.length) problems = ['method must be CREATE, UPDATE or DELETE'];
    if (problems.length) {
      validation.push({ retailer_id: id, errors: problems.map((message) => ({ message })) });
    }
  }
  return [200, { handles: [`AcatalogHandle${Date.now()}`], validation_status: validation }];
}

/** Answers the request if it is one of these endpoints; false otherwise. */
export function metaCatalogRoute(call: GraphCall, scopes: string[]): boolean {
  const { state, method, path, form, res, send, graphError, page } = call;
  const catalogEdge = /^\/(\d+)\/owned_product_catalogs$/.exec(path);
  const catalogNode = /^\/(\d+\w*)$/.exec(path);
  const itemsBatch = /^\/(\d+\w*)\/items_batch$/.exec(path);
  const feeds = /^\/(\d+\w*)\/product_feeds$/.exec(path);
  const catalogOf = (id: string) => {
    const found = state.objects.get(id);
    return found?.kind === 'productcatalog' ? found : undefined;
  };
  const feedOf = (id: string) => {
    const found = state.objects.get(id);
    return found?.kind === 'productfeed' ? found : undefined;
  };
  const concerned =
    catalogEdge ||
    itemsBatch ||
    feeds ||
    (catalogNode && (catalogOf(catalogNode[1]!) || feedOf(catalogNode[1]!)));
  if (!concerned) return false;
  if (!scopes.includes('catalog_management')) {
    send(res, 403, graphError(200, '(#200) Requires catalog_management permission'));
    return true;
  }

  if (catalogEdge) {
    const business = catalogEdge[1]!;
    if (!state.adAccounts.some((a) => a.business?.id === business)) {
      send(res, 400, graphError(100, 'Unsupported request: no such business'));
      return true;
    }
    if (method === 'GET') {
      const items = state
        .ofKind('productcatalog')
        .filter((c) => c.account === business)
        .map((c) => ({ id: c.id, name: c.fields.name }));
      send(res, 200, page(items));
      return true;
    }
    if (!form.name) {
      send(res, 400, graphError(100, '(#100) The parameter name is required'));
      return true;
    }
    const made = state.create('productcatalog', business, {
      name: form.name,
      vertical: form.vertical ?? 'commerce',
    });
    state.catalogItems.set(made.id, new Map());
    if (state.takeLostAnswer(path)) {
      send(res, 500, graphError(1, 'An unknown error occurred'));
      return true;
    }
    send(res, 200, { id: made.id });
    return true;
  }

  if (itemsBatch) {
    const items = state.catalogItems.get(itemsBatch[1]!);
    if (!items) {
      send(res, 400, graphError(100, 'Unsupported post request: no such catalog'));
      return true;
    }
    const [status, body] = itemsBatchAnswer(items, form, graphError);
    send(res, status, body);
    return true;
  }

  if (feeds) {
    const catalog = catalogOf(feeds[1]!);
    if (!catalog) {
      send(res, 400, graphError(100, 'Unsupported request: no such catalog'));
      return true;
    }
    if (method === 'GET') {
      const items = state
        .ofKind('productfeed')
        .filter((f) => f.account === catalog.id)
        .map((f) => ({ id: f.id, name: f.fields.name }));
      send(res, 200, page(items));
      return true;
    }
    const schedule = parse(form.schedule) as { url?: string; interval?: string } | undefined;
    if (!form.name || !schedule?.url || !schedule.interval) {
      send(res, 400, graphError(100, '(#100) name and schedule (url, interval) are required'));
      return true;
    }
    const made = state.create('productfeed', catalog.id, { name: form.name, schedule });
    send(res, 200, { id: made.id });
    return true;
  }

  const id = catalogNode![1]!;
  const feed = feedOf(id);
  if (feed && method === 'POST') {
    const schedule = parse(form.schedule);
    if (schedule) feed.fields.schedule = schedule;
    send(res, 200, { success: true });
    return true;
  }
  const catalog = catalogOf(id);
  if (catalog && method === 'DELETE') {
    state.objects.delete(id);
    state.catalogItems.delete(id);
    for (const f of state.ofKind('productfeed').filter((o) => o.account === id)) {
      state.objects.delete(f.id);
    }
    send(res, 200, { success: true });
    return true;
  }
  const object = catalog ?? feed!;
  send(res, 200, {
    id: object.id,
    ...object.fields,
    ...(catalog && { product_count: state.catalogItems.get(id)?.size ?? 0 }),
  });
  return true;
}
