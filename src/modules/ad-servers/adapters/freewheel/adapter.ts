import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { element } from '../shared/xml.js';
import { AdServerError, type AdServerAdapter, type AdServerErrorCode } from '../port.js';
import { connectionChecks } from '../shared/checks.js';
import { freeWheelClient, type FreeWheelCredentials } from './client.js';
import { inventoryPage } from './inventory.js';
import {
  attachCreatives,
  createCampaignAndOrder,
  createCreative,
  createPlacements,
  deliveryPages,
  findOrderByName,
  removeOrder,
  setPlacementStatus,
  updatePlacements,
} from './trafficking.js';

/*
 * FreeWheel MRM over its Publisher API as the publisher's API user (docs/ad-servers.md): site
 * sections are the placements products sell, an approved buy is an insertion order (in a
 * campaign of the buyer's advertiser) with one placement per package, booked on approval.
 */

export interface FreeWheelEndpoints {
  /** e.g. https://api.freewheel.tv */
  productionUrl: string;
  /** e.g. https://api.stg.freewheel.tv (the hosted `staging` and `sandbox` environments). */
  stagingUrl: string;
}

export interface FreeWheelAdapterOptions {
  credentials: FreeWheelCredentials;
  environment: string;
  endpoints: FreeWheelEndpoints;
  fetch: OutboundFetch;
  pageSize?: number | undefined;
  attempts?: number | undefined;
  backoffMs?: number | undefined;
}

/** What the operator does about each failure, in FreeWheel's words. */
export const freeWheelRemediations: Partial<Record<AdServerErrorCode, string>> = {
  ADAPTER_INVALID_CREDENTIALS:
    'FreeWheel refused the API credentials: check the client ID and secret (or the API user’s password, which expires every 180 or 365 days; reset it on the User Setup page).',
  ADAPTER_PERMISSION_DENIED:
    'Ask the network administrator to give the API user access to inventory and to campaigns, insertion orders and placements in MRM.',
  ADAPTER_NETWORK_NOT_FOUND:
    'The credentials reach no FreeWheel network: check the environment (production or staging) and that the API user belongs to the network that owns the inventory.',
};

export function freeWheelAdapter(options: FreeWheelAdapterOptions): AdServerAdapter {
  const per = Math.min(options.pageSize ?? 100, 500);
  const client = freeWheelClient({
    baseUrl:
      options.environment === 'production'
        ? options.endpoints.productionUrl
        : options.endpoints.stagingUrl,
    credentials: options.credentials,
    fetch: options.fetch,
    attempts: options.attempts ?? 4,
    backoffMs: options.backoffMs ?? 500,
  });

  return {
    type: 'freewheel',

    testConnection: () =>
      connectionChecks(
        {
          async network() {
            const sites = await client
              .json<unknown>('GET', 'services/v4/sites', { query: { page: 1, per_page: 1 } })
              .catch((error) => {
                if (error instanceof AdServerError && /HTTP 404/.test(error.message)) return null;
                throw error;
              });
            if (sites === null) {
              throw new AdServerError(
                'ADAPTER_NETWORK_NOT_FOUND',
                'FreeWheel found no network for these credentials',
              );
            }
          },
          skipped: 'Skipped: the network check failed',
          async inventoryRead() {
            await client.json('GET', 'services/v4/site_sections', {
              query: { page: 1, per_page: 1 },
            });
          },
          async traffickingRead() {
            await client.xml('GET', 'v3/insertion_orders.xml', { query: { page: 1, per_page: 1 } });
          },
          reporting: 'Reporting is checked by the first delivery import',
        },
        freeWheelRemediations,
      ),

    page: (kind, after) => inventoryPage(client, kind, after, per),

    async ensureAdvertiser(name) {
      let after: string | null = null;
      do {
        const page = await inventoryPage(client, 'advertiser', after, per);
        const found = page.items.find((a) => a.name === name);
        if (found) return found.externalId;
        after = page.after;
      } while (after);
      const created = await client.xml('POST', 'services/v3/advertiser.xml', {
        body: `<?xml version="1.0" encoding="UTF-8"?>${element('advertiser', { name })}`,
      });
      const id = (created['advertiser'] as Record<string, unknown> | undefined)?.['id'];
      if (!id) {
        throw new AdServerError(
          'ADAPTER_CONNECTION_FAILED',
          'FreeWheel answered the new advertiser without an id',
          undefined,
          true,
        );
      }
      return String(id);
    },

    findOrder: (name) => findOrderByName(client, name),
    createOrder: (input) => createCampaignAndOrder(client, input),
    createLineItems: (orderId, lines, currency) =>
      createPlacements(client, orderId, lines, currency),
    createCreative: (advertiserId, creative) => createCreative(client, advertiserId, creative),
    associate: (pairs) => attachCreatives(client, pairs),

    async approveOrder(orderId) {
      await client.xml('PUT', `v3/insertion_orders/${Number(orderId)}/book.xml`);
    },

    archiveOrder: (orderId) => removeOrder(client, orderId),
    pauseLineItems: (ids, paused) => setPlacementStatus(client, ids, paused),
    updateLineItems: (changes) => updatePlacements(client, changes),

    deliveryReport: (lineItemIds, from, to, maxPages) =>
      deliveryPages(client, lineItemIds, from, to, maxPages),
  };
}
