import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { AdServerError, type AdServerAdapter } from './port.js';
import { gamAdapter, type GamEndpoints } from './gam/adapter.js';

/** Where each ad server's API is (configuration: a test points them at fakes). */
export interface AdServerEndpoints {
  gam: GamEndpoints;
}

export const defaultEndpoints: AdServerEndpoints = {
  gam: {
    soapUrl: 'https://ads.google.com/apis/ads/publisher',
    tokenUrl: 'https://oauth2.googleapis.com/token',
  },
};

/** The ad servers a connection may name; FreeWheel and SpringServe are one adapter file each, to come. */
export const adServerTypes = ['google_ad_manager'] as const;

/** The adapter of one connection: its type, non-secret config and opened credentials. */
export function adapterOf(
  type: string,
  config: Record<string, unknown>,
  credentials: Record<string, unknown>,
  options: {
    endpoints: AdServerEndpoints;
    fetch: OutboundFetch;
    pageSize?: number;
    backoffMs?: number;
  },
): AdServerAdapter {
  switch (type) {
    case 'google_ad_manager': {
      const key = credentials['serviceAccountKey'] as Record<string, unknown> | undefined;
      if (
        !key ||
        typeof key['client_email'] !== 'string' ||
        typeof key['private_key'] !== 'string'
      ) {
        throw new AdServerError('ADAPTER_INVALID_CONFIG', 'No service-account key is configured');
      }
      return gamAdapter({
        networkCode: String(config['networkCode']),
        key: {
          client_email: key['client_email'],
          private_key: key['private_key'],
          private_key_id:
            typeof key['private_key_id'] === 'string' ? key['private_key_id'] : undefined,
        },
        endpoints: options.endpoints.gam,
        fetch: options.fetch,
        ...(options.pageSize && { pageSize: options.pageSize }),
        ...(options.backoffMs !== undefined && { backoffMs: options.backoffMs }),
      });
    }
    default:
      throw new AdServerError('ADAPTER_INVALID_CONFIG', `The ${type} adapter is not available yet`);
  }
}
