import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { AdServerError, type AdServerAdapter, type CreativePair } from '../port.js';
import { connectionChecks } from '../shared/checks.js';
import { gamChangedListing } from './changed.js';
import { runDeliveryReport, uploadCreative } from './creatives-and-reports.js';
import { reportRowPages } from './report-stream.js';
import { availabilityForecast, orderState } from './forecast-and-approval.js';
import { dateTimeOf, lineItemOf, readers, syncedOf } from './objects.js';
import { gamRemediations, type GamKeyOwner } from './remediations.js';
import { soapClient, type SoapCall } from './soap.js';
import { tokenSource, type ServiceAccountKey } from './token.js';
import { child, list, text, typed, writable, type XmlValue } from '../shared/xml.js';

/*
 * Google Ad Manager over its SOAP API, as a service account (docs/ad-servers.md): inventory read
 * in id-ordered pages of PQL statements, orders written as an order plus its line items, creatives
 * uploaded and associated, delivery read from a report job.
 */

export interface GamEndpoints {
  /** SOAP base, e.g. https://ads.google.com/apis/ads/publisher */
  soapUrl: string;
  /** OAuth token endpoint, e.g. https://oauth2.googleapis.com/token */
  tokenUrl: string;
}

export interface GamAdapterOptions {
  networkCode: string;
  key: ServiceAccountKey;
  /** Whose account the key is (the publisher's by default): remediations say who fixes what. */
  keyOwner?: GamKeyOwner;
  endpoints: GamEndpoints;
  fetch: OutboundFetch;
  /** Objects per page (Ad Manager's suggested maximum is 500). */
  pageSize?: number;
  /** Attempts for retryable failures of one call. */
  attempts?: number;
  backoffMs?: number;
  /** How long a report job is waited for. */
  reportWaitMs?: number;
}

const quote = (value: string) => `'${value.replace(/'/g, "\\'")}'`;
const ids = (values: string[]) => values.filter((v) => /^\d+$/.test(v)).join(', ');

export function gamAdapter(options: GamAdapterOptions): AdServerAdapter {
  const pageSize = options.pageSize ?? 500;
  const call: SoapCall = soapClient({
    baseUrl: options.endpoints.soapUrl,
    networkCode: options.networkCode,
    token: tokenSource({
      key: options.key,
      tokenUrl: options.endpoints.tokenUrl,
      fetch: options.fetch,
    }),
    fetch: options.fetch,
    attempts: options.attempts ?? 4,
    backoffMs: options.backoffMs ?? 500,
  });
  const statement = (query: string) => ({ query });
  const remediations = gamRemediations(options.key.client_email, options.keyOwner ?? 'publisher');
  let trafficker: Promise<string> | undefined;

  const adapter: AdServerAdapter = {
    type: 'google_ad_manager',
    changes: gamChangedListing(call, pageSize),

    testConnection: () =>
      connectionChecks(
        {
          async network() {
            const rval = child(await call('NetworkService', 'getCurrentNetwork', {}), 'rval');
            if (text(rval, 'networkCode') !== options.networkCode) {
              throw new AdServerError(
                'ADAPTER_NETWORK_NOT_FOUND',
                'The network answered is not the one configured',
              );
            }
          },
          skipped: 'Skipped: the network check failed',
          async inventoryRead() {
            await call('InventoryService', 'getAdUnitsByStatement', {
              filterStatement: statement('LIMIT 1'),
            });
          },
          async traffickingRead() {
            await call('OrderService', 'getOrdersByStatement', {
              filterStatement: statement('LIMIT 1'),
            });
          },
          reporting: 'Report jobs are checked by the first delivery import',
        },
        remediations,
      ),

    async page(kind, after) {
      const reader = readers[kind];
      const where = [reader.where, after ? `id > ${Number(after)}` : null]
        .filter(Boolean)
        .join(' AND ');
      const rval = child(
        await call(reader.service, reader.method, {
          filterStatement: statement(`WHERE ${where} ORDER BY id ASC LIMIT ${pageSize}`),
        }),
        'rval',
      );
      const items = list(rval, 'results').map((node) => syncedOf(kind, node));
      return {
        items,
        after: items.length === pageSize ? items[items.length - 1]!.externalId : null,
      };
    },

    async ensureAdvertiser(name) {
      const found = list(
        child(
          await call('CompanyService', 'getCompaniesByStatement', {
            filterStatement: statement(
              `WHERE name = ${quote(name)} AND type = 'ADVERTISER' LIMIT 1`,
            ),
          }),
          'rval',
        ),
        'results',
      )[0];
      if (found) return text(found, 'id')!;
      const created = list(
        await call('CompanyService', 'createCompanies', {
          companies: [{ name, type: 'ADVERTISER' }],
        }),
        'rval',
      )[0];
      return text(created, 'id')!;
    },

    async findOrder(name) {
      const found = list(
        child(
          await call('OrderService', 'getOrdersByStatement', {
            filterStatement: statement(
              `WHERE name = ${quote(name)} AND isArchived = false LIMIT 1`,
            ),
          }),
          'rval',
        ),
        'results',
      )[0];
      return found ? (text(found, 'id') ?? null) : null;
    },

    async createOrder(input) {
      trafficker ??= call('UserService', 'getCurrentUser', {}).then(
        (r) => text(child(r, 'rval'), 'id') ?? '',
      );
      const created = list(
        await call('OrderService', 'createOrders', {
          orders: [
            {
              name: input.name,
              // In the WSDL's order: notes come before poNumber.
              ...(input.notes && { notes: input.notes }),
              poNumber: input.poNumber,
              advertiserId: input.advertiserId,
              traffickerId: await trafficker,
            },
          ],
        }),
        'rval',
      )[0];
      return text(created, 'id')!;
    },

    async createLineItems(orderId, lines, currency) {
      const created = list(
        await call('LineItemService', 'createLineItems', {
          lineItems: lines.map((line) => lineItemOf(orderId, line, currency)),
        }),
        'rval',
      );
      return created.map((node) => text(node, 'id')!);
    },

    createCreative: (advertiserId, creative) =>
      uploadCreative(call, options.fetch, advertiserId, creative),

    async associate(pairs) {
      if (!pairs.length) return;
      await call('LineItemCreativeAssociationService', 'createLineItemCreativeAssociations', {
        lineItemCreativeAssociations: pairs.map((p) => ({
          lineItemId: p.lineItemId,
          creativeId: p.creativeId,
        })),
      });
    },

    // A creative taken off a line item: its association deactivated (Ad Manager keeps it, so
    // the trafficker still sees what ran), never deleted.
    async dissociate(pairs) {
      for (const [lineItemId, creativeIds] of byLineItem(pairs)) {
        await call(
          'LineItemCreativeAssociationService',
          'performLineItemCreativeAssociationAction',
          {
            lineItemCreativeAssociationAction: typed('DeactivateLineItemCreativeAssociations', {}),
            filterStatement: statement(
              `WHERE lineItemId = ${Number(lineItemId)} AND creativeId IN (${creativeIds.map(Number).join(', ')})`,
            ),
          },
        );
      }
    },

    async approveOrder(orderId) {
      await call('OrderService', 'performOrderAction', {
        orderAction: typed('ApproveOrders', {}),
        filterStatement: statement(`WHERE id = ${Number(orderId)}`),
      });
    },

    async archiveOrder(orderId) {
      await call('OrderService', 'performOrderAction', {
        orderAction: typed('ArchiveOrders', {}),
        filterStatement: statement(`WHERE id = ${Number(orderId)}`),
      });
    },

    async pauseLineItems(lineItemIds, paused) {
      if (!lineItemIds.length) return;
      await call('LineItemService', 'performLineItemAction', {
        lineItemAction: typed(paused ? 'PauseLineItems' : 'ResumeLineItems', {}),
        filterStatement: statement(`WHERE id IN (${ids(lineItemIds)})`),
      });
    },

    /** Budget and flight: the line items read, their goal and dates changed, written back whole. */
    async updateLineItems(changes) {
      const byId = new Map(changes.map((c) => [c.lineItemId, c]));
      const found = list(
        child(
          await call('LineItemService', 'getLineItemsByStatement', {
            filterStatement: statement(`WHERE id IN (${ids([...byId.keys()])})`),
          }),
          'rval',
        ),
        'results',
      );
      if (found.length !== byId.size) {
        throw new AdServerError('ADAPTER_REFUSED', 'A line item to change is not in Ad Manager');
      }
      const lineItems = found.map((node) => {
        const change = byId.get(text(node, 'id') ?? '')!;
        const item = writable(node) as Record<string, XmlValue>;
        if (change.start) item['startDateTime'] = dateTimeOf(change.start);
        if (change.end) item['endDateTime'] = dateTimeOf(change.end);
        if (change.impressions !== undefined) {
          item['primaryGoal'] = {
            ...(item['primaryGoal'] as Record<string, XmlValue>),
            units: change.impressions,
          };
        }
        return item;
      });
      await call('LineItemService', 'updateLineItems', { lineItems });
    },

    async *deliveryReport(lineItemIds, from, to, maxPages) {
      // Ad Manager answers one CSV download, read as a stream and handed on in pages like the
      // other ad servers' (report-stream.ts): a page of rows in memory at a time.
      const body = await runDeliveryReport(
        call,
        options.fetch,
        lineItemIds,
        from,
        to,
        options.reportWaitMs,
      );
      if (!body) return { complete: true };
      let pages = 0;
      for await (const rows of reportRowPages(body, 500)) {
        if (pages >= maxPages) return { complete: false };
        pages++;
        yield rows;
      }
      return { complete: true };
    },

    availabilityForecast: (target) => availabilityForecast(call, target),
    orderState: (orderId) => orderState(call, orderId),
  };
  return adapter;
}

/** Pairs grouped by line item: each line item's creative ids. */
function byLineItem(pairs: CreativePair[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const p of pairs)
    grouped.set(p.lineItemId, [...(grouped.get(p.lineItemId) ?? []), p.creativeId]);
  return grouped;
}
