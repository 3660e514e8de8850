import type { OutboundFetch } from '../../../platform/outbound/index.js';
import { AdServerError, type AdServerAdapter } from './port.js';
import { gamAdapter, type GamEndpoints } from './gam/adapter.js';
import type { ServiceAccountKey } from './gam/token.js';
import { springServeAdapter, type SpringServeEndpoints } from './springserve/adapter.js';
import { freeWheelAdapter, type FreeWheelEndpoints } from './freewheel/adapter.js';

/** Where each ad server's API is (configuration: a test points them at fakes). */
export interface AdServerEndpoints {
  gam: GamEndpoints;
  springserve: SpringServeEndpoints;
  freewheel: FreeWheelEndpoints;
}

export const defaultEndpoints: AdServerEndpoints = {
  gam: {
    soapUrl: 'https://ads.google.com/apis/ads/publisher',
    tokenUrl: 'https://oauth2.googleapis.com/token',
  },
  springserve: { baseUrl: 'https://console.springserve.com' },
  freewheel: {
    productionUrl: 'https://api.freewheel.tv',
    stagingUrl: 'https://api.stg.freewheel.tv',
  },
};

/** The ad servers a connection may name (the kind's descriptor lists them). */
export { adServerTypes } from '../../../source-kinds/ad-server/descriptor.js';

/**
 * The ad servers whose adapter forecasts availability (`availabilityForecast`: Ad Manager's
 * ForecastService), known from the type alone, so get_products need not open a connection's
 * credentials to learn it.
 */
export const forecastingTypes: ReadonlySet<string> = new Set(['google_ad_manager']);

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
    /** The instance's own Ad Manager service account, for sources without a key of their own. */
    gamServiceAccountKey?: ServiceAccountKey | undefined;
  },
): AdServerAdapter {
  switch (type) {
    case 'google_ad_manager': {
      // A source's own key, when it has one, is always the one used: never the instance's instead.
      const own = credentials['serviceAccountKey'] as Record<string, unknown> | undefined;
      const key = own ? ownKeyOf(own) : options.gamServiceAccountKey;
      if (!key) {
        throw new AdServerError(
          'ADAPTER_INVALID_CONFIG',
          own
            ? 'The source’s service-account key is unusable: save a current JSON key'
            : 'The source has no service-account key of its own and this instance has none configured: send serviceAccountKey, or ask the operator to configure INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE',
        );
      }
      return gamAdapter({
        networkCode: String(config['networkCode']),
        key,
        keyOwner: own ? 'publisher' : 'instance',
        endpoints: options.endpoints.gam,
        fetch: options.fetch,
        ...(options.pageSize && { pageSize: options.pageSize }),
        ...(options.backoffMs !== undefined && { backoffMs: options.backoffMs }),
      });
    }
    case 'springserve': {
      const secret = (name: string) =>
        typeof credentials[name] === 'string' ? (credentials[name] as string) : undefined;
      const email = typeof config['email'] === 'string' ? config['email'] : undefined;
      return springServeAdapter({
        credentials: { email, password: secret('password'), apiToken: secret('apiToken') },
        endpoints: options.endpoints.springserve,
        fetch: options.fetch,
        defaultDemandPartnerId:
          typeof config['defaultDemandPartnerId'] === 'number'
            ? config['defaultDemandPartnerId']
            : undefined,
        pageSize: options.pageSize,
        backoffMs: options.backoffMs,
      });
    }
    case 'freewheel': {
      const text = (source: Record<string, unknown>, name: string) =>
        typeof source[name] === 'string' ? (source[name] as string) : undefined;
      return freeWheelAdapter({
        credentials: {
          clientId: text(config, 'clientId'),
          clientSecret: text(credentials, 'clientSecret'),
          username: text(config, 'username'),
          password: text(credentials, 'password'),
          apiToken: text(credentials, 'apiToken'),
        },
        environment: text(config, 'environment') ?? 'production',
        endpoints: options.endpoints.freewheel,
        fetch: options.fetch,
        pageSize: options.pageSize,
        backoffMs: options.backoffMs,
      });
    }
    default:
      throw new AdServerError('ADAPTER_INVALID_CONFIG', `The ${type} adapter is not available yet`);
  }
}

function ownKeyOf(key: Record<string, unknown>): ServiceAccountKey | undefined {
  if (typeof key['client_email'] !== 'string' || typeof key['private_key'] !== 'string') {
    return undefined;
  }
  return {
    client_email: key['client_email'],
    private_key: key['private_key'],
    private_key_id: typeof key['private_key_id'] === 'string' ? key['private_key_id'] : undefined,
  };
}
