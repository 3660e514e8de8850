import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { credentialHeaders } from '../credentials/auth.js';
import type { ProbeSession } from '../session.js';
import type { UpstreamTarget } from '../types.js';

const clientInfo = { name: 'interchange', version: '1.0.0' };
/** A connection unused this long is closed; the next call opens a new one. */
const idleMs = 60_000;
const maxClients = 500;

interface Entry {
  client: Promise<Client>;
  lastUsed: number;
}

/**
 * Connected MCP clients kept per (credential owner, endpoint, credential), so a tool call is one
 * POST rather than a handshake (initialize, initialized) and the call. A connection carries an
 * MCP session the agent may keep state in, so two owners never share one, even with equal
 * credentials (two storefronts on the same open agent); a target naming no owner is connected
 * afresh for its call. Each request still goes through the calling session's fetch (its
 * deadline, its SSRF guard, its credentials): the transport looks the session up in async
 * context, so one client serves concurrent calls each bound to its own. A call that fails
 * drops the client; the next one connects afresh.
 */
export function createMcpClientCache() {
  const current = new AsyncLocalStorage<ProbeSession>();
  const entries = new Map<string, Entry>();

  const keyOf = (target: UpstreamTarget & { owner: string }) =>
    createHash('sha256')
      .update(JSON.stringify([target.owner, target.endpointUrl, credentialHeaders(target.auth)]))
      .digest('base64url');

  function sweep(now: number) {
    for (const [key, entry] of entries) {
      if (now - entry.lastUsed > idleMs || entries.size > maxClients) {
        entries.delete(key);
        void entry.client.then((client) => client.close()).catch(() => undefined);
      }
    }
  }

  function open(target: UpstreamTarget, requestOptions: RequestOptions): Promise<Client> {
    const client = new Client(clientInfo);
    const transport = new StreamableHTTPClientTransport(new URL(target.endpointUrl), {
      fetch: (input, init) => {
        const session = current.getStore();
        if (!session) throw new Error('MCP request outside a bounded upstream call');
        return session.fetch(input as string | URL, init);
      },
    });
    return client.connect(transport, requestOptions).then(() => client);
  }

  return {
    /** Runs `work` with a connected client for the target, inside the session's bounds. */
    async use<T>(
      target: UpstreamTarget,
      session: ProbeSession,
      work: (client: Client, requestOptions: () => RequestOptions) => Promise<T>,
    ): Promise<T> {
      const requestOptions = () => ({ signal: session.signal, timeout: session.remainingMs() });
      const owner = target.owner;
      if (owner === undefined) {
        return current.run(session, async () => {
          const client = await open(target, requestOptions());
          try {
            return await work(client, requestOptions);
          } finally {
            await client.close().catch(() => undefined);
          }
        });
      }
      return current.run(session, async () => {
        const now = Date.now();
        sweep(now);
        const key = keyOf({ ...target, owner });
        let entry = entries.get(key);
        if (!entry) {
          entry = { client: open(target, requestOptions()), lastUsed: now };
          entries.set(key, entry);
        }
        entry.lastUsed = now;
        const mine = entry;
        try {
          return await work(await mine.client, requestOptions);
        } catch (error) {
          // A broken connection (or a session the server forgot) must not serve the next call.
          if (entries.get(key) === mine) entries.delete(key);
          void mine.client.then((client) => client.close()).catch(() => undefined);
          throw error;
        }
      });
    },
    async close() {
      const all = [...entries.values()];
      entries.clear();
      await Promise.all(all.map((e) => e.client.then((c) => c.close()).catch(() => undefined)));
    },
  };
}

export type McpClientCache = ReturnType<typeof createMcpClientCache>;
