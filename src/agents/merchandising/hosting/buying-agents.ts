import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { mayUseStorefrontAgent, storefrontScopeOf } from '../../../modules/identity/index.js';
import type { BuyingAgent, BuyingAgents } from '../../../modules/discovery/index.js';
import {
  agentIdOf,
  platformIdOfAgent,
  type StorefrontRow,
  type StorefrontsService,
} from '../../../modules/storefronts/index.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { callInProcessTool } from '../../../upstream/index.js';
import { runAsCaller } from '../caller.js';
import type { Merchandising } from './runtime.js';

const clientInfo = { name: 'interchange-buyer', version: '1.0.0' };

/**
 * The buying flow's way to the storefront agents: the same AdCP servers outside buyers reach at
 * /adcp/storefront-{platformId}/mcp, connected in process through an in-memory MCP transport
 * pair and run as the buyer (runAsCaller), so discovery and execution go through the very tools,
 * validation, idempotency store and policies an outside buyer meets. Which agents a buyer may
 * use is identity's rule (mayUseStorefrontAgent), the one the HTTP host applies.
 */
export function createBuyingAgents(options: {
  merchandising: Merchandising;
  storefronts: Pick<StorefrontsService, 'listForBuyer' | 'findByPlatformId'>;
  publicUrl: () => string;
}): BuyingAgents {
  const { merchandising, storefronts } = options;

  const describe = (row: StorefrontRow): BuyingAgent => ({
    agentId: agentIdOf(row.platformId),
    agentName: row.name,
    storefrontId: row.id,
    storefrontName: row.name,
    publisherDomain: row.publisherDomain,
  });

  async function usableRows(principal: CustomerPrincipal): Promise<StorefrontRow[]> {
    const scope = storefrontScopeOf(principal) ?? undefined;
    const lists = await Promise.all([
      storefronts.listForBuyer({
        visibility: 'public',
        ...(scope !== undefined && { onlyId: scope }),
        limit: 10_000,
        offset: 0,
      }),
      storefronts.listForBuyer({
        visibility: 'organization',
        organizationId: principal.organizationId,
        ...(scope !== undefined && { onlyId: scope }),
        limit: 10_000,
        offset: 0,
      }),
    ]);
    const byId = new Map<number, StorefrontRow>();
    for (const row of lists.flatMap((l) => l.rows)) byId.set(row.id, row);
    return [...byId.values()]
      .filter((row) => mayUseStorefrontAgent(principal, row))
      .sort((a, b) => a.id - b.id);
  }

  async function usableRow(principal: CustomerPrincipal, agentId: string) {
    const platformId = platformIdOfAgent(agentId);
    const row = platformId ? await storefronts.findByPlatformId(platformId) : undefined;
    return row && mayUseStorefrontAgent(principal, row) ? row : undefined;
  }

  return {
    // Storefront agents book under the advertiser's linked accounts (campaigns, discovery).
    accountFor: async () => undefined,
    async usableBy(principal) {
      return (await usableRows(principal)).map(describe);
    },
    async call(principal, agentId, tool, args, callOptions) {
      const storefront = await usableRow(principal, agentId);
      if (!storefront) {
        return {
          ok: false,
          latencyMs: 0,
          error: { code: 'unreachable', message: `No AdCP agent "${agentId}" here` },
        };
      }
      const runtime = await merchandising.runtimeFor(storefront, options.publicUrl());
      const authInfo = {
        token: principal.keyId,
        clientId: `customer-${principal.customerId}`,
        scopes: [],
        extra: { customerId: principal.customerId },
      };
      return callInProcessTool<Record<string, unknown>>(
        (work, signal) =>
          runAsCaller({ principal, storefront }, () =>
            runtime.pool.use(async (server) => {
              // Waited for a server past the deadline: the caller has been answered already.
              if (signal.aborted) throw new Error('deadline passed before the agent was free');
              const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
              // The HTTP host hands the caller to tools as req.auth; here every message carries it.
              const send = clientSide.send.bind(clientSide);
              clientSide.send = (message: JSONRPCMessage, sendOptions) =>
                send(message, { ...sendOptions, authInfo });
              const client = new Client(clientInfo);
              try {
                await server.connect(serverSide);
                await client.connect(clientSide);
                return await work(client);
              } finally {
                await client.close().catch(() => undefined);
                await server.close();
              }
            }),
          ),
        storefront.name,
        tool,
        args,
        { timeoutMs: callOptions.timeoutMs },
      );
    },
  };
}
