import type { OutboundFetch } from '../../../../platform/outbound/index.js';
import { AdServerError, type AdServerAdapter, type AdServerErrorCode } from '../port.js';
import { connectionChecks } from '../shared/checks.js';
import { springServeClient, type SpringServeCall, type SpringServeCredentials } from './client.js';
import { inventoryPage } from './inventory.js';
import {
  createDemandTags,
  createSpringServeCreative,
  deliveryReport,
  findByName,
  linkCreatives,
  updateDemandTags,
} from './trafficking.js';

/*
 * SpringServe (Magnite) over its v0 REST API as the publisher's API user (docs/ad-servers.md):
 * supply tags are the placements products sell, an approved buy is a campaign with one
 * line-item demand tag per package, delivery comes from the reporting API.
 */

export interface SpringServeEndpoints {
  /** e.g. https://console.springserve.com */
  baseUrl: string;
}

export interface SpringServeAdapterOptions {
  credentials: SpringServeCredentials;
  endpoints: SpringServeEndpoints;
  fetch: OutboundFetch;
  /** The demand partner every campaign is placed under (else one per buyer brand). */
  defaultDemandPartnerId?: number | undefined;
  pageSize?: number | undefined;
  attempts?: number | undefined;
  backoffMs?: number | undefined;
}

/** What the operator does about each failure, in SpringServe's words. */
export const springServeRemediations: Partial<Record<AdServerErrorCode, string>> = {
  ADAPTER_INVALID_CREDENTIALS:
    'SpringServe refused the API user: check its email and password (Settings > Users), or mint a new API token.',
  ADAPTER_PERMISSION_DENIED:
    'Give the API user a role that can read supply and demand and edit campaigns (Settings > Users).',
  ADAPTER_NETWORK_NOT_FOUND:
    'The API user has no active SpringServe account: add it to the account that owns the supply.',
};

type Row = Record<string, unknown>;

export function springServeAdapter(options: SpringServeAdapterOptions): AdServerAdapter {
  const per = options.pageSize ?? 500;
  const call: SpringServeCall = springServeClient({
    baseUrl: options.endpoints.baseUrl,
    credentials: options.credentials,
    fetch: options.fetch,
    attempts: options.attempts ?? 4,
    backoffMs: options.backoffMs ?? 500,
  });

  return {
    type: 'springserve',

    testConnection: () =>
      connectionChecks(
        {
          async network() {
            const current = await call<Row | null>('GET', 'accounts/current').catch((error) => {
              if (error instanceof AdServerError && /HTTP 404/.test(error.message)) return null;
              throw error;
            });
            if (!current || current['id'] == null) {
              throw new AdServerError(
                'ADAPTER_NETWORK_NOT_FOUND',
                'The SpringServe API user has no active account',
              );
            }
          },
          skipped: 'Skipped: the account check failed',
          async inventoryRead() {
            await call('GET', 'supply_tags', { query: { page: 1, per: 1 } });
          },
          async traffickingRead() {
            await call('GET', 'campaigns', { query: { page: 1, per: 1 } });
          },
          reporting:
            'The reporting API (10 requests a minute) is checked by the first delivery import',
        },
        springServeRemediations,
      ),

    page: (kind, after) => inventoryPage(call, kind, after, per),

    async ensureAdvertiser(name) {
      if (options.defaultDemandPartnerId) return String(options.defaultDemandPartnerId);
      const found = await findByName(call, 'demand_partners', name);
      if (found) return String(found['id']);
      const created = await call<Row>('POST', 'demand_partners', { body: { name } });
      return String(created['id']);
    },

    async findOrder(name) {
      const found = await findByName(call, 'campaigns', name);
      return found ? String(found['id']) : null;
    },

    async createOrder(input) {
      const created = await call<Row>('POST', 'campaigns', {
        body: {
          name: input.name,
          demand_partner_id: Number(input.advertiserId),
          ...(input.poNumber && { code: input.poNumber }),
          // Activated on approval (approveOrder), never before.
          is_active: false,
        },
      });
      return String(created['id']);
    },

    createLineItems: (orderId, lines, currency) => createDemandTags(call, orderId, lines, currency),

    createCreative: (advertiserId, creative) =>
      createSpringServeCreative(call, advertiserId, creative),

    associate: (pairs) => linkCreatives(call, pairs),

    async approveOrder(orderId) {
      await call('PUT', `campaigns/${Number(orderId)}`, { body: { is_active: true } });
    },

    /**
     * A campaign with no demand tags (a failed creation) is deleted, so no empty campaign is left;
     * one that has served is deactivated, keeping its history.
     */
    async archiveOrder(orderId) {
      const campaign = await call<Row>('GET', `campaigns/${Number(orderId)}`);
      const tags = campaign['demand_tag_ids'];
      if (Array.isArray(tags) && tags.length === 0) {
        await call('DELETE', `campaigns/${Number(orderId)}`);
      } else {
        await call('PUT', `campaigns/${Number(orderId)}`, { body: { is_active: false } });
      }
    },

    async pauseLineItems(ids, paused) {
      for (const tagId of ids) {
        await call('PUT', `demand_tags/${Number(tagId)}`, { body: { active: !paused } });
      }
    },

    updateLineItems: (changes) => updateDemandTags(call, changes),

    deliveryReport: (lineItemIds, from, to, maxPages) =>
      deliveryReport(call, lineItemIds, from, to, maxPages),
  };
}
