import type { Db } from '../../platform/db/database.js';
import { pageOf } from '../../platform/http/pagination.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { BuyingAgent, BuyingAgents } from '../discovery/index.js';
import { channelOf } from './channels.js';
import type { ListFormatsQuery } from './schemas.js';
import * as store from './store.js';
import type { FormatCacheRow } from './store.js';

type Json = Record<string, unknown>;

/**
 * Queues a refresh of one buyer's entry for one agent (src/jobs/formats-refresh.ts, wired in
 * services.ts). Never throws: a queue that is not running leaves entries to refresh on read.
 */
export interface FormatRefreshScheduler {
  schedule(principal: CustomerPrincipal, agentId: string, delaySeconds: number): Promise<void>;
}

/** One scheduled refresh of a buyer's entry for an agent: what the refresh job runs. */
export interface FormatEntryRefresh {
  refreshEntry(principal: CustomerPrincipal, agentId: string): Promise<'continue' | 'stop'>;
}

export interface FormatsDeps {
  db: Db;
  agents: BuyingAgents;
  /** Builds the scheduler of refreshes over this service's own refresh, at construction. */
  refresher: (entries: FormatEntryRefresh) => FormatRefreshScheduler;
  /** Seconds between scheduled refreshes of one buyer's entry for one agent. */
  refreshSeconds: number;
  /** Longest one list_creative_formats call is waited for. */
  callBudgetMs: number;
  now?: () => Date;
}

export type FormatsService = ReturnType<typeof createFormatsService>;

/** An entry nobody read for this long is no longer refreshed (it refreshes on the next read). */
const idleAfterMs = 7 * 86_400_000;
/** read_at is written at most this often per entry. */
const touchEveryMs = 3_600_000;

/** One AdCP format as one agent offers it. */
export interface AgentFormat {
  agent: BuyingAgent;
  format: Json;
}

/**
 * The creative formats of the storefront agents a buyer may use (seed 004 GET /formats), from
 * each agent's list_creative_formats, cached per buyer and agent and refreshed by a job.
 */
export function createFormatsService(deps: FormatsDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const scheduler = deps.refresher({ refreshEntry });
  const schedule = (principal: CustomerPrincipal, agentId: string, delaySeconds: number) =>
    scheduler.schedule(principal, agentId, delaySeconds);

  /**
   * One scheduled refresh: asks the agent again unless nobody read the entry for a week
   * ('stop': the schedule ends; the next read fetches and schedules again).
   */
  async function refreshEntry(
    principal: CustomerPrincipal,
    agentId: string,
  ): Promise<'continue' | 'stop'> {
    const entry = await store.findCache(db, principal.customerId, agentId);
    if (!entry || now().getTime() - entry.readAt.getTime() > idleAfterMs) return 'stop';
    await fetchInto(principal, agentId);
    return 'continue';
  }

  /** Asks the agent as the buyer and stores what it answered (or why it failed). */
  async function fetchInto(principal: CustomerPrincipal, agentId: string): Promise<void> {
    const result = await deps.agents.call(
      principal,
      agentId,
      'list_creative_formats',
      {},
      {
        timeoutMs: deps.callBudgetMs,
      },
    );
    const listed =
      result.ok && Array.isArray(result.data['formats']) ? result.data['formats'] : undefined;
    // An agent whose sources all failed answers no formats and their errors: that is a failed
    // refresh (the last good formats stay), not an agent with no formats.
    const sourceErrors =
      result.ok && Array.isArray(result.data['errors']) ? result.data['errors'] : [];
    const formats = listed && (listed.length > 0 || sourceErrors.length === 0) ? listed : undefined;
    await store.saveAnswer(db, {
      customerId: principal.customerId,
      agentId,
      now: now(),
      ...(formats
        ? { formats: formats as Json[] }
        : {
            error: !result.ok
              ? result.error.message
              : sourceErrors.length > 0
                ? `The agent's sources failed: ${sourceErrors.map((e) => String((e as { message?: unknown }).message ?? e)).join('; ')}`
                : 'The agent answered no formats list',
          }),
    });
  }

  /**
   * The caller's cache entries for these agents: a missing one is fetched now (and its refresh
   * scheduled); one older than two refresh periods (no worker got to it) is served and
   * refreshed in the background.
   */
  async function entriesFor(
    principal: CustomerPrincipal,
    agents: BuyingAgent[],
  ): Promise<Map<string, FormatCacheRow>> {
    const ids = agents.map((a) => a.agentId);
    const found = new Map(
      (await store.cachesOf(db, principal.customerId, ids)).map((r) => [r.agentId, r]),
    );
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      await Promise.all(missing.map((id) => fetchInto(principal, id)));
      await Promise.all(missing.map((id) => schedule(principal, id, deps.refreshSeconds)));
      for (const row of await store.cachesOf(db, principal.customerId, missing))
        found.set(row.agentId, row);
    }
    const staleBefore = now().getTime() - 2 * deps.refreshSeconds * 1000;
    for (const row of found.values()) {
      if (!missing.includes(row.agentId) && row.fetchedAt.getTime() < staleBefore) {
        await schedule(principal, row.agentId, 0);
      }
    }
    await store.touch(db, principal.customerId, ids, now(), touchEveryMs);
    return found;
  }

  async function agentsOf(principal: CustomerPrincipal, salesAgentId?: string) {
    const usable = await deps.agents.usableBy(principal);
    return salesAgentId ? usable.filter((a) => a.agentId === salesAgentId) : usable;
  }

  return {
    refreshEntry,

    async list(principal: CustomerPrincipal, query: ListFormatsQuery) {
      const agents = await agentsOf(principal, query.salesAgentId);
      const entries = await entriesFor(principal, agents);
      const all = agents.flatMap((agent) =>
        (entries.get(agent.agentId)?.formats ?? []).map((format) => ({
          salesAgentId: agent.agentId,
          salesAgentName: agent.agentName,
          storefrontId: agent.storefrontId,
          channel: channelOf(format),
          format,
        })),
      );
      const matching = query.channel ? all.filter((f) => f.channel === query.channel) : all;
      const page = pageOf(
        matching.slice(query.offset, query.offset + query.limit),
        matching.length,
        query,
      );
      return {
        ...page,
        agents: agents.map((agent) => {
          const entry = entries.get(agent.agentId);
          return {
            salesAgentId: agent.agentId,
            salesAgentName: agent.agentName,
            formatCount: entry?.formats.length ?? 0,
            fetchedAt: entry ? entry.fetchedAt.toISOString() : null,
            error: entry?.lastError ?? null,
          };
        }),
      };
    },

    /**
     * The formats the caller's agents offer under one format id, each with its agent (several
     * agents may resell one creative agent's format); empty when none does.
     */
    async findFormat(
      principal: CustomerPrincipal,
      formatId: { agent_url: string; id: string },
      salesAgentIds?: string[],
    ): Promise<AgentFormat[]> {
      const usable = await agentsOf(principal);
      const agents = salesAgentIds
        ? usable.filter((a) => salesAgentIds.includes(a.agentId))
        : usable;
      const entries = await entriesFor(principal, agents);
      return agents.flatMap((agent) =>
        (entries.get(agent.agentId)?.formats ?? [])
          .filter((f) => sameFormatId(f['format_id'], formatId))
          .map((format) => ({ agent, format })),
      );
    },
  };
}

/** AdCP format ids are (agent_url, id); an agent_url differing only by a trailing slash matches. */
export function sameFormatId(a: unknown, b: { agent_url: string; id: string }): boolean {
  if (typeof a !== 'object' || a === null) return false;
  const { agent_url: url, id } = a as { agent_url?: unknown; id?: unknown };
  const trim = (u: string) => u.replace(/\/+$/, '');
  return id === b.id && typeof url === 'string' && trim(url) === trim(b.agent_url);
}
