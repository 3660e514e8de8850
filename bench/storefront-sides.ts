import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { builtCustomer, type BuiltServer } from './built-server.js';

/**
 * The sides the storefront get_products benches (issue 30) drive: the demo sellers, a storefront
 * over them on a built server, the SDK-only floor proxies, and the buyer's MCP client.
 */
export type Child = ChildProcessByStdio<Writable, Readable, null>;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The call every side answers: a wholesale listing, no brief. */
export const getProductsCall = { name: 'get_products', arguments: { buying_mode: 'wholesale' } };

/** Starts a process that prints one JSON line once ready; answers it and the child. */
function startPrinting<T>(label: string, args: string[], env: Record<string, string> = {}) {
  const child: Child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
  });
  return new Promise<{ child: Child; line: T }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ child, line: JSON.parse(line) as T }),
    );
  });
}

/** `count` demo sellers of `perSource` products each (a multiple of 30), in one process. */
export async function startSellers(count: number, perSource: number) {
  const { child, line } = await startPrinting<{ urls: string[] }>('sellers', [
    '--import',
    'tsx',
    'bench/storefront-products-serve.ts',
    'sellers',
    `${perSource / 30}`,
    `${count}`,
  ]);
  return { child, urls: line.urls };
}

/** Which floor proxy (bench/mcp-proxy-floor-serve.ts): the bare MCP server's or @adcp/sdk's. */
export type FloorKind = 'mcp' | 'adcp';
export const floorLabels: Record<FloorKind, string> = {
  mcp: 'SDK floor',
  adcp: 'AdCP SDK floor',
};

/** The SDK-only proxy over the sellers at `urls`; `nodeArgs` go to its node. */
export async function startFloor(urls: string[], kind: FloorKind, nodeArgs: string[] = []) {
  const { child, line } = await startPrinting<{ url: string }>(
    'floor proxy',
    [...nodeArgs, '--import', 'tsx', 'bench/mcp-proxy-floor-serve.ts', ...urls],
    { FLOOR_SERVER: kind },
  );
  return { child, url: line.url };
}

/** A composition storefront over the sellers at `urls` on `server`, listed; its agent's URL. */
export async function storefrontOver(server: BuiltServer, urls: string[], name: string) {
  const seller = await builtCustomer(server, 'SELLER', name);
  const sf = await server.api(seller.key, 'PUT', '/api/v2/storefront', { defaultCurrency: 'USD' });
  for (const [i, url] of urls.entries()) {
    const sourceId = `seller-${i + 1}`;
    await server.api(seller.key, 'POST', '/api/v2/storefront/inventory-sources', {
      name: `Seller ${i + 1}`,
      sourceId,
      endpointUrl: url,
      protocol: 'MCP',
      authenticationType: 'NO_AUTH',
    });
    await server.api(seller.key, 'PUT', `/api/v2/storefront/inventory-sources/${sourceId}`, {
      status: 'ACTIVE',
    });
  }
  await server.api(seller.key, 'POST', '/api/v2/storefront/activate');
  const path = `/api/v2/admin/storefronts/${sf['id'] as string}/marketplace`;
  await server.api(server.adminKey, 'POST', path, { action: 'list' });
  return `${server.url}/adcp/storefront-${sf['platformId'] as string}/mcp`;
}

/** The official MCP client, connected once (as a buyer keeps its connection). */
export async function connect(url: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: 'bench-buyer', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

/** The products of one get_products call; throws on an error answer or no products list. */
export async function productsOf(client: Client): Promise<unknown[]> {
  const result = await client.callTool(getProductsCall);
  const products = (result.structuredContent as { products?: unknown[] } | undefined)?.products;
  if (result.isError || !products)
    throw new Error(`get_products failed: ${JSON.stringify(result).slice(0, 500)}`);
  return products;
}
