import { startFakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import type { Boot, Pair } from './pairs.js';
import { buysBySource, opened, seller, sourcesApi, type Call } from './setup.js';

/**
 * The sandbox Ad Manager: a storefront whose only source is a Google Ad Manager network, the
 * fake Ad Manager (src/sandbox/fakes/gam/: OAuth's JWT grant and the SOAP API on a real socket)
 * with the publisher's own products over its inventory, connected with a service account's key
 * as a publisher connects one (docs/ad-servers.md); the server is started with the fake's URLs.
 *
 * Every live buy to an ad server waits for the operator's approval, even on an `auto` storefront
 * (nothing is written to the ad server before then); a sandbox account's buy of a fixture the
 * source holds follows the storefront's mode (its order is written unapproved, never serving). The operator approves here as a seller
 * would: while the storyboards run, the matrix reads the storefront's approval queue every
 * second over the seller REST API and approves each buy waiting there
 * (`POST /api/v2/storefront/media-buy-approvals/{id}/decide {status: "approved"}`). The fake
 * network's own approver approves at once (the fake's default). The source's own record: the
 * orders (buys) and line items (packages) the fake network holds, archived ones left out.
 */
const networkCode = '21700070';

/** The publisher's products over the fake network's inventory (as the GAM tests sell). */
const products = [
  {
    productId: 'sports_display',
    name: 'Sports display',
    description: 'Sports section display, sports readers',
    placementIds: ['502'],
    keyValues: { section: ['sports'] },
    cpm: 12,
  },
  {
    productId: 'run_of_site_display',
    name: 'Run of site display',
    description: 'Display across the whole site',
    placementIds: ['501'],
    cpm: 8,
  },
];

export async function gamPair(boot: Boot): Promise<Pair> {
  const gam = await startFakeGam({ networkCode, adUnits: 12 });
  let approver: NodeJS.Timeout | undefined;
  try {
    const server = await boot({
      INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
      INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    });
    const { key, storefront, call } = await seller(server, 'Matrix ad manager');
    await call('PUT', `${sourcesApi}/gam/ad-server`, key, {
      type: 'google_ad_manager',
      networkCode,
      name: 'Our Ad Manager',
      publisherDomain: 'sportsnews.example',
      serviceAccountKey: gam.serviceAccount([networkCode]),
      products,
    });
    await settledSync(call, key, 'gam');
    const target = await opened(server, key, storefront);
    const approved = new Set<string>();
    approver = setInterval(() => void approveWaiting(call, key, approved), 1_000);
    const network = () => gam.networks.get(networkCode);
    return {
      kind: 'gam',
      target,
      storefrontBuys: buysBySource(server, key),
      sourceRecord: async () => {
        const live = [...(network()?.orders.values() ?? [])].filter((o) => !o['isArchived']);
        const ids = new Set(live.map((o) => String(o['id'])));
        const lines = [...(network()?.lineItems.values() ?? [])].filter((li) =>
          ids.has(String(li['orderId'])),
        );
        return { buys: live.length, packages: lines.length, approved: approved.size };
      },
      close: async () => {
        clearInterval(approver);
        await gam.close();
      },
    };
  } catch (error) {
    clearInterval(approver);
    await gam.close();
    throw error;
  }
}

/** Polls the source's inventory sync until its first run settles (completed, or why not). */
export async function settledSync(
  call: Call,
  key: string,
  sourceId: string,
  timeoutMs = 120_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const history = await call('GET', `${sourcesApi}/${sourceId}/sync-history?limit=1`, key);
    const [run] = (history['runs'] ?? []) as { status: string }[];
    if (run && run.status !== 'running') {
      if (run.status !== 'completed')
        throw new Error(`the ${sourceId} sync: ${JSON.stringify(run)}`);
      return;
    }
    if (Date.now() > until) throw new Error(`the ${sourceId} sync did not settle`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The operator approves every buy waiting in the storefront's approval queue. */
export async function approveWaiting(
  call: Call,
  key: string,
  approved: Set<string>,
): Promise<void> {
  try {
    const queue = await call('GET', '/api/v2/storefront/media-buy-approvals', key);
    for (const item of queue['items'] as { mediaBuyId: string }[]) {
      if (approved.has(item.mediaBuyId)) continue;
      await call('POST', `/api/v2/storefront/media-buy-approvals/${item.mediaBuyId}/decide`, key, {
        status: 'approved',
      });
      approved.add(item.mediaBuyId);
    }
  } catch {
    // The next tick asks again.
  }
}
