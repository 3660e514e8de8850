import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

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
  return {
    url,
    adminKey,
    async call(method, path, options = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(options.key && { authorization: `Bearer ${options.key}` }),
          ...(options.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.status, body, text };
    },
  };
}

/** A free loopback port (so a server process knows its own public URL before it starts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A customer with a key and the terms accepted, made through the admin API. */
export async function remoteCustomer(r: Remote, role: 'BUYER' | 'SELLER', domain?: string) {
  const suffix = randomBytes(4).toString('hex');
  const created = await r.call('POST', '/api/v2/admin/customers', {
    key: r.adminKey,
    body: {
      name: `${role === 'SELLER' ? 'Publisher' : 'Agency'} ${suffix}`,
      customerRole: role,
      customerDomain: domain ?? `${role.toLowerCase()}-${suffix}.example`,
    },
  });
  if (created.status !== 201) throw new Error(`create customer: ${created.text}`);
  const key = await r.call('POST', `/api/v2/admin/customers/${created.body.data.id}/api-keys`, {
    key: r.adminKey,
  });
  if (key.status !== 201) throw new Error(`create key: ${key.text}`);
  const accepted = await r.call('POST', '/api/v2/accounts/terms/accept', {
    key: key.body.data.key,
  });
  if (accepted.status !== 200) throw new Error(`accept terms: ${accepted.text}`);
  return { id: created.body.data.id as number, key: key.body.data.key as string };
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
