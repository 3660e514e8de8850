import { startFakeReddit } from '../../../src/sandbox/fakes/reddit/server.js';
import type { Pair, Boot } from './pairs.js';
import { buysBySource, opened, seller, sourcesApi } from './setup.js';

/**
 * A sandbox provider adapter: a storefront whose only source is its Reddit ad account, the
 * Reddit adapter over the fake Reddit (src/sandbox/fakes/reddit/: OAuth 2 and the Ads API v3 on
 * a real socket), connected through the consent flow as a seller would (the provider's dialog,
 * its redirect to our callback, the callback's confirmation). The server is started with the
 * fake's URLs (the adapter reads them at start). The source's own record: the campaigns (buys)
 * and ad groups (packages) the fake Reddit holds.
 */
export async function redditPair(boot: Boot): Promise<Pair> {
  const reddit = await startFakeReddit({ clientId: 'matrix-app', clientSecret: 'matrix-secret' });
  try {
    const server = await boot({
      INTERCHANGE_REDDIT_CLIENT_ID: 'matrix-app',
      INTERCHANGE_REDDIT_CLIENT_SECRET: 'matrix-secret',
      INTERCHANGE_REDDIT_AUTHORIZE_URL: reddit.authorizeUrl,
      INTERCHANGE_REDDIT_API_URL: reddit.apiUrl,
    });
    reddit.state.options.redirectUris = [
      `${server.baseUrl}/api/v2/storefront/adapters/oauth/callback`,
    ];
    const { key, storefront, call } = await seller(server, 'Matrix reddit');
    await call('POST', `${sourcesApi}/adapter`, key, {
      provider: 'reddit',
      name: 'Reddit ads',
      sourceId: 'reddit',
    });
    const started = await call('POST', `${sourcesApi}/reddit/adapter/connect`, key);
    await consent(started['authorizationUrl'] as string);
    const view = await call('GET', `${sourcesApi}/reddit/adapter`, key);
    if (view['status'] !== 'CONNECTED') {
      throw new Error(`the Reddit source did not connect: ${JSON.stringify(view)}`);
    }
    const target = await opened(server, key, storefront);
    return {
      kind: 'provider-reddit',
      target,
      storefrontBuys: buysBySource(server, key),
      sourceRecord: async () => ({
        buys: reddit.state.ofKind('campaign').length,
        packages: reddit.state.ofKind('ad_group').length,
      }),
      close: () => reddit.close(),
    };
  } catch (error) {
    await reddit.close();
    throw error;
  }
}

const unescaped = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * The consent as a browser gives it: the provider's dialog redirects to our callback, whose
 * page asks a browser that did not start from the console to confirm the source (its form).
 */
async function consent(authorizationUrl: string): Promise<void> {
  const dialog = await fetch(authorizationUrl, { redirect: 'manual' });
  const callback = dialog.headers.get('location');
  if (dialog.status !== 302 || !callback) throw new Error(`consent dialog: ${dialog.status}`);
  const page = await fetch(callback, { redirect: 'manual' });
  const text = await page.text();
  const form = /<form method="post" action="([^"]+)">/.exec(text);
  if (!form?.[1]) return;
  const fields = new URLSearchParams(
    [...text.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(
      (m): [string, string] => [m[1] ?? '', unescaped(m[2] ?? '')],
    ),
  );
  const confirmed = await fetch(new URL(unescaped(form[1]), callback), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  if (confirmed.status >= 400) throw new Error(`consent confirmation: ${confirmed.status}`);
}
