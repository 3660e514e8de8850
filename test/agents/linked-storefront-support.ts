import { call, customer } from '../support/spawned-server.js';

/** A running Interchange reached over HTTP only (a server process), as the admin and its users. */
export interface Remote {
  url: string;
  adminKey: string;
  call(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown },
  ): Promise<{ status: number; body: any; text: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
}

export function remote(url: string, adminKey: string): Remote {
  return { url, adminKey, call: (method, path, options = {}) => call(url, method, path, options) };
}

/** A free loopback port (so a server process knows its own public URL before it starts). */
export { freePort } from '../../src/platform/db/embedded/postmaster.js';

/** A customer with a key and the terms accepted, made through the admin API. */
export async function remoteCustomer(r: Remote, role: 'BUYER' | 'SELLER', domain?: string) {
  const made = await customer(r.url, r.adminKey, role, domain);
  return { id: made.id as number, key: made.key };
}

export interface RemoteSource {
  sourceId: string;
  url: string;
  protocol?: 'MCP' | 'A2A';
  executionType?: 'AGENT' | 'LINKED_STOREFRONT';
  token?: string;
}

/** A seller's storefront on `r` drawing on `sources` (all ACTIVE), activated and listed. */
export async function remoteStorefront(
  r: Remote,
  sources: RemoteSource[],
  settings: Record<string, unknown> = {},
  domain?: string,
) {
  const seller = await remoteCustomer(r, 'SELLER', domain);
  const sf = await r.call('PUT', '/api/v2/storefront', {
    key: seller.key,
    body: {
      defaultCurrency: 'USD',
      mediaBuyApproval: 'auto',
      creativeApproval: 'auto',
      ...settings,
    },
  });
  if (sf.status !== 200) throw new Error(`storefront: ${sf.text}`);
  for (const source of sources) await addSource(r, seller.key, source);
  const activated = await r.call('POST', '/api/v2/storefront/activate', { key: seller.key });
  if (activated.status !== 200) throw new Error(`activate storefront: ${activated.text}`);
  await r.call('POST', `/api/v2/admin/storefronts/${sf.body.data.id}/marketplace`, {
    key: r.adminKey,
    body: { action: 'list' },
  });
  return { seller, id: sf.body.data.id as number, platformId: sf.body.data.platformId as string };
}

export async function addSource(r: Remote, sellerKey: string, source: RemoteSource) {
  const created = await r.call('POST', '/api/v2/storefront/inventory-sources', {
    key: sellerKey,
    body: {
      name: `Source ${source.sourceId}`,
      sourceId: source.sourceId,
      executionType: source.executionType ?? 'AGENT',
      endpointUrl: source.url,
      protocol: source.protocol ?? 'MCP',
      ...(source.token
        ? { authenticationType: 'API_KEY', auth: { type: 'bearer', token: source.token } }
        : { authenticationType: 'NO_AUTH' }),
    },
  });
  if (created.status !== 201) throw new Error(`source: ${created.text}`);
  const active = await r.call('PUT', `/api/v2/storefront/inventory-sources/${source.sourceId}`, {
    key: sellerKey,
    body: { status: 'ACTIVE' },
  });
  if (active.status !== 200) throw new Error(`activate source: ${active.text}`);
}
