import { createHash } from 'node:crypto';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { BuyingAgent, BuyingAgents } from '../discovery/index.js';
import type { AudienceItem } from './schemas.js';

type Json = Record<string, unknown>;

/** Members per sync_audiences call: a large audience reaches a seller in several calls. */
export const membersPerCall = 5_000;

/** An agent that takes audiences, and the account the advertiser's audiences go under there. */
export interface AudienceTaker {
  agent: BuyingAgent;
  account: Json;
  /** Identifier types the seller matches (AdCP audience_targeting.supported_identifier_types). */
  identifierTypes: string[];
}

/** What one seller answered for one audience. */
export interface SellerAudienceRow {
  audienceId: string;
  action: string;
  status: string | null;
  matchedCount: number | null;
  error?: string;
}

export type PushOutcome =
  | { ok: true; rows: SellerAudienceRow[] }
  /** `transient`: the outcome is unknown (timeout, unreachable); the same call may be retried. */
  | { ok: false; transient: boolean; error: string };

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The agents the buyer may use that take audiences: those whose get_adcp_capabilities declares
 * `media_buy.audience_targeting` (AdCP: its presence means the seller takes sync_audiences and
 * audience_include / audience_exclude in targeting overlays). A storefront declares it when one
 * of its active sources does, and routes the audiences to those sources under the buyer's own
 * account there.
 */
export async function audienceTakers(
  agents: BuyingAgents,
  principal: CustomerPrincipal,
  advertiser: { brand: string },
  operatorDomain: string | null,
  timeoutMs: number,
  /** The media_buy capability a seller declares: conversion_tracking for event sources. */
  capability: 'audience_targeting' | 'conversion_tracking' = 'audience_targeting',
): Promise<{ takers: AudienceTaker[]; skipped: Array<{ agent: BuyingAgent; reason: string }> }> {
  const usable = await agents.usableBy(principal);
  const takers: AudienceTaker[] = [];
  const skipped: Array<{ agent: BuyingAgent; reason: string }> = [];
  await Promise.all(
    usable.map(async (agent) => {
      const caps = await agents.call(
        principal,
        agent.agentId,
        'get_adcp_capabilities',
        {},
        {
          timeoutMs,
        },
      );
      if (!caps.ok) return;
      const mediaBuy = caps.data['media_buy'] as Json | undefined;
      const targeting = mediaBuy?.[capability] as Json | undefined;
      if (!targeting) return;
      const own = await agents.accountFor(principal.customerId, agent.agentId, advertiser.brand);
      // At a storefront the advertiser's brand, operated by the buyer (the account the
      // storefront binds to this buyer at each source); a buyer without a domain has none.
      const account =
        own ??
        (operatorDomain
          ? { brand: { domain: advertiser.brand }, operator: operatorDomain }
          : undefined);
      if (!account) {
        skipped.push({
          agent,
          reason:
            'your organisation has no customer domain, which names you as the operator of the account there',
        });
        return;
      }
      const types = targeting['supported_identifier_types'];
      takers.push({
        agent,
        account,
        identifierTypes: Array.isArray(types) ? types.filter((t) => typeof t === 'string') : [],
      });
    }),
  );
  takers.sort((a, b) => a.agent.agentId.localeCompare(b.agent.agentId));
  return { takers, skipped };
}

/** The AdCP member of a stored one, with only the identifier types the seller matches. */
function adcpMember(
  m: NonNullable<AudienceItem['add']>[number],
  types: string[],
): Json | undefined {
  const takes = (t: string) => types.length === 0 || types.includes(t);
  const member: Json = { external_id: m.externalId };
  if (m.hashedEmail && takes('hashed_email')) member['hashed_email'] = m.hashedEmail;
  if (m.hashedPhone && takes('hashed_phone')) member['hashed_phone'] = m.hashedPhone;
  if (m.uids) member['uids'] = m.uids;
  return Object.keys(member).length > 1 ? member : undefined;
}

/** The sync_audiences calls for one audience: its additions and removals in slices. */
export function audienceCalls(item: AudienceItem, types: string[]): Json[] {
  const head: Json = {
    audience_id: item.audienceId,
    ...(item.name !== undefined && { name: item.name }),
    ...(item.consentBasis && { consent_basis: item.consentBasis }),
  };
  if (item.delete) return [{ audience_id: item.audienceId, delete: true }];
  const add = (item.add ?? []).map((m) => adcpMember(m, types)).filter((m) => m !== undefined);
  const remove = (item.remove ?? []).map((m) => ({ external_id: m.externalId }));
  const calls: Json[] = [];
  for (let i = 0; i < Math.max(add.length, remove.length, 1); i += membersPerCall) {
    const a = add.slice(i, i + membersPerCall);
    const r = remove.slice(i, i + membersPerCall);
    calls.push({ ...head, ...(a.length > 0 && { add: a }), ...(r.length > 0 && { remove: r }) });
  }
  return calls;
}

/**
 * The idempotency key of one call: fixed by the task, the seller and the call's place, so a
 * re-run of the task (a retry, another instance after a crash) is one write at the seller, and
 * no two sellers see the same key (AdCP: unique per seller and request).
 */
export const callKey = (taskId: string, agentId: string, n: number) =>
  `aud-${createHash('sha256').update(`${taskId}\n${agentId}\n${n}`).digest('hex').slice(0, 40)}`;

/** Sends one sync_audiences call and reads the seller's rows. */
export async function pushCall(
  agents: BuyingAgents,
  principal: CustomerPrincipal,
  taker: AudienceTaker,
  args: { key: string; audience: Json; deleteMissing?: boolean },
  timeoutMs: number,
): Promise<PushOutcome> {
  const result = await agents.call(
    principal,
    taker.agent.agentId,
    'sync_audiences',
    {
      idempotency_key: args.key,
      account: taker.account,
      audiences: [args.audience],
    },
    { timeoutMs },
  );
  if (!result.ok) {
    const transient = result.error.code !== 'tool_error';
    const details = result.error.details as { code?: unknown } | undefined;
    // The code only: a seller's own message can carry its private address.
    const code = str(details?.code) ?? result.error.code;
    return {
      ok: false,
      transient,
      error: `${taker.agent.agentName} refused sync_audiences (${code})`,
    };
  }
  const rows = Array.isArray(result.data['audiences']) ? (result.data['audiences'] as Json[]) : [];
  if (rows.length === 0) {
    const errors = result.data['errors'] as Array<{ code?: string }> | undefined;
    return {
      ok: false,
      transient: false,
      error: `${taker.agent.agentName} synced no audience${errors?.[0]?.code ? ` (${errors[0].code})` : ''}`,
    };
  }
  return {
    ok: true,
    rows: rows.map((row) => {
      const errors = row['errors'] as Array<{ code?: string; message?: string }> | undefined;
      const matched = row['matched_count'];
      return {
        audienceId: str(row['audience_id']) ?? String(args.audience['audience_id']),
        action: str(row['action']) ?? 'updated',
        status: str(row['status']) ?? null,
        matchedCount: typeof matched === 'number' ? Math.floor(matched) : null,
        ...(row['action'] === 'failed' && {
          error: errors?.[0]?.code ?? errors?.[0]?.message ?? 'failed',
        }),
      };
    }),
  };
}
