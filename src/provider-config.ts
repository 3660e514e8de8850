/**
 * Wired provider adapters' instance configuration (docs/adapters.md): each provider's OAuth app
 * (`INTERCHANGE_<PROVIDER>_CLIENT_ID` and `_CLIENT_SECRET`) and where its API lives. The base
 * URLs default to the provider's own; tests and staging point them elsewhere. A provider without
 * a client id cannot be connected (its sources say so).
 */
export interface ProviderApp {
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Where the provider's consent dialog is (the browser is sent there). */
  authorizeUrl: string;
  /** The provider's API base (Meta: the Graph API with its version; TikTok: open_api/v1.3). */
  apiUrl: string;
}

export interface ProviderConfig {
  audiostack: AudioStackConfig;
  pinterest: ProviderApp;
  reddit: ProviderApp;
  snap: SnapApp;
  spotify: ProviderApp;
  meta: ProviderApp;
  tiktok: ProviderApp;
  google: GoogleAdsApp;
  amazon: AmazonAdsApp;
  /**
   * The providers whose every URL above is a sandbox fake (INTERCHANGE_SANDBOX_PROVIDERS, which
   * the sandbox sets, src/demo/sandbox): their products are marked "Sandbox" wherever they show.
   */
  sandboxed: ReadonlySet<string>;
}

/**
 * AudioStack, the creative provider: no app of ours (each buyer connects its own API key), only
 * where its API is and how a production is followed (docs/adapters.md).
 */
export interface AudioStackConfig {
  apiUrl: string;
  /** Wait between two looks at a step AudioStack is still working on (202). */
  pollIntervalMs: number;
  /** First wait before a production that met a throttle or an outage is tried again (doubling). */
  retryDelaySeconds: number;
}

/**
 * Snap also has its Conversions API on a host of its own (tr.snapchat.com/v3): events go there,
 * the rest of the Marketing API to `apiUrl`.
 */
export interface SnapApp extends ProviderApp {
  conversionsUrl: string;
}

/** Amazon Ads: Login with Amazon's token endpoint beside its consent page and the API host. */
export interface AmazonAdsApp extends ProviderApp {
  tokenUrl: string;
}

/** Google Ads also needs its token and revocation endpoints and the app's developer token. */
export interface GoogleAdsApp extends ProviderApp {
  tokenUrl: string;
  revokeUrl: string;
  /** Sent as the `developer-token` header on every Google Ads API call; never logged. */
  developerToken: string | undefined;
}

/** The Google Ads API version the adapter is written against (REST, googleads.googleapis.com). */
export const googleAdsApiVersion = 'v26';

const metaGraphVersion = 'v21.0';

export function providerConfigOf(env: Record<string, string | undefined>): ProviderConfig {
  const value = (name: string) => (env[name] === '' ? undefined : env[name]);
  const url = (name: string, fallback: string) => {
    const raw = value(name) ?? fallback;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new Error(`${name}: must be an absolute URL (got ${JSON.stringify(raw)})`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new Error(`${name}: must be http(s)`);
    return raw.replace(/\/+$/, '');
  };
  const positive = (name: string, fallback: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: must be a positive number`);
    return n;
  };
  return {
    sandboxed: new Set(
      (value('INTERCHANGE_SANDBOX_PROVIDERS') ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
    audiostack: {
      apiUrl: url('INTERCHANGE_AUDIOSTACK_API_URL', 'https://v2.api.audio'),
      pollIntervalMs: positive('INTERCHANGE_AUDIOSTACK_POLL_INTERVAL_MS', 2000),
      retryDelaySeconds: positive('INTERCHANGE_AUDIOSTACK_RETRY_DELAY_SECONDS', 30),
    },
    pinterest: {
      clientId: value('INTERCHANGE_PINTEREST_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_PINTEREST_CLIENT_SECRET'),
      authorizeUrl: url('INTERCHANGE_PINTEREST_AUTHORIZE_URL', 'https://www.pinterest.com/oauth/'),
      apiUrl: url('INTERCHANGE_PINTEREST_API_URL', 'https://api.pinterest.com/v5'),
    },
    reddit: {
      clientId: value('INTERCHANGE_REDDIT_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_REDDIT_CLIENT_SECRET'),
      // The token and revocation endpoints are `access_token` and `revoke_token` beside it.
      authorizeUrl: url(
        'INTERCHANGE_REDDIT_AUTHORIZE_URL',
        'https://www.reddit.com/api/v1/authorize',
      ),
      apiUrl: url('INTERCHANGE_REDDIT_API_URL', 'https://ads-api.reddit.com/api/v3'),
    },
    snap: {
      clientId: value('INTERCHANGE_SNAP_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_SNAP_CLIENT_SECRET'),
      // The token endpoint is `access_token` beside it (snap/oauth.ts).
      authorizeUrl: url(
        'INTERCHANGE_SNAP_AUTHORIZE_URL',
        'https://accounts.snapchat.com/login/oauth2/authorize',
      ),
      apiUrl: url('INTERCHANGE_SNAP_API_URL', 'https://adsapi.snapchat.com/v1'),
      conversionsUrl: url('INTERCHANGE_SNAP_CONVERSIONS_URL', 'https://tr.snapchat.com/v3'),
    },
    spotify: {
      clientId: value('INTERCHANGE_SPOTIFY_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_SPOTIFY_CLIENT_SECRET'),
      // The token endpoint is `/api/token` on the same Accounts service (spotify/oauth.ts).
      authorizeUrl: url(
        'INTERCHANGE_SPOTIFY_AUTHORIZE_URL',
        'https://accounts.spotify.com/authorize',
      ),
      apiUrl: url('INTERCHANGE_SPOTIFY_API_URL', 'https://api-partner.spotify.com/ads/v3'),
    },
    meta: {
      clientId: value('INTERCHANGE_META_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_META_CLIENT_SECRET'),
      authorizeUrl: url(
        'INTERCHANGE_META_AUTHORIZE_URL',
        `https://www.facebook.com/${metaGraphVersion}/dialog/oauth`,
      ),
      apiUrl: url('INTERCHANGE_META_API_URL', `https://graph.facebook.com/${metaGraphVersion}`),
    },
    tiktok: {
      clientId: value('INTERCHANGE_TIKTOK_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_TIKTOK_CLIENT_SECRET'),
      authorizeUrl: url(
        'INTERCHANGE_TIKTOK_AUTHORIZE_URL',
        'https://business-api.tiktok.com/portal/auth',
      ),
      apiUrl: url('INTERCHANGE_TIKTOK_API_URL', 'https://business-api.tiktok.com/open_api/v1.3'),
    },
    google: {
      clientId: value('INTERCHANGE_GOOGLE_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_GOOGLE_CLIENT_SECRET'),
      developerToken: value('INTERCHANGE_GOOGLE_DEVELOPER_TOKEN'),
      authorizeUrl: url(
        'INTERCHANGE_GOOGLE_AUTHORIZE_URL',
        'https://accounts.google.com/o/oauth2/v2/auth',
      ),
      tokenUrl: url('INTERCHANGE_GOOGLE_TOKEN_URL', 'https://oauth2.googleapis.com/token'),
      revokeUrl: url('INTERCHANGE_GOOGLE_REVOKE_URL', 'https://oauth2.googleapis.com/revoke'),
      apiUrl: url(
        'INTERCHANGE_GOOGLE_API_URL',
        `https://googleads.googleapis.com/${googleAdsApiVersion}`,
      ),
    },
    amazon: {
      clientId: value('INTERCHANGE_AMAZON_CLIENT_ID'),
      clientSecret: value('INTERCHANGE_AMAZON_CLIENT_SECRET'),
      authorizeUrl: url('INTERCHANGE_AMAZON_AUTHORIZE_URL', 'https://www.amazon.com/ap/oa'),
      tokenUrl: url('INTERCHANGE_AMAZON_TOKEN_URL', 'https://api.amazon.com/auth/o2/token'),
      // North America; Europe is advertising-api-eu.amazon.com, Far East advertising-api-fe.
      apiUrl: url('INTERCHANGE_AMAZON_API_URL', 'https://advertising-api.amazon.com'),
    },
  };
}
