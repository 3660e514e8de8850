import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AccountRef } from '../schemas/tasks.js';
import { errorAnswer, validationError } from '../errors.js';
import { answer, readRequest } from '../tasks/request.js';
import { syncGovernanceRequest } from './schemas.js';

/** The caller's side of sync_governance: its account named by a reference, and the register. */
export interface CallerGovernance {
  /** Registers `agent` on the caller's account `account` names (replacing the one it had). */
  register(
    account: AccountRef,
    agent: { url: string; scheme: string; credentials: string },
  ): Promise<void>;
  /** Loopback http agent URLs are accepted (development and tests only). */
  allowInsecureUrls: boolean;
}

const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/**
 * sync_governance (AdCP 3.1, account/sync-governance-request.json): the buyer registers the one
 * governance agent of each of its accounts, replacing the previous one. The request is refused
 * whole when malformed (two agents on an account is VALIDATION_ERROR, as the spec's
 * governance_multi_agent_rejected expects); an account whose agent URL is not https is `failed`
 * alone. The answer names each agent's URL, never its credential.
 */
export async function syncGovernance(
  governance: CallerGovernance,
  args: unknown,
): Promise<CallToolResult> {
  const read = readRequest(syncGovernanceRequest, args);
  if (!read.ok) return read.answer;
  const { request } = read;
  const results = [];
  for (const [index, entry] of request.accounts.entries()) {
    const [agent] = entry.governance_agents;
    const url = new URL(agent!.url);
    const allowed =
      url.protocol === 'https:' || (governance.allowInsecureUrls && loopback.test(url.hostname));
    if (!allowed) {
      const error = validationError(
        `accounts[${index}].governance_agents[0].url`,
        'A governance agent URL must use https',
      );
      results.push({ account: entry.account, status: 'failed', errors: [error] });
      continue;
    }
    await governance.register(entry.account, {
      url: agent!.url,
      scheme: agent!.authentication.schemes[0]!,
      credentials: agent!.authentication.credentials,
    });
    results.push({
      account: entry.account,
      status: 'synced',
      governance_agents: [{ url: agent!.url }],
    });
  }
  if (results.length === 0) {
    return errorAnswer(validationError('accounts', 'No account to sync'), request.context);
  }
  return answer({ accounts: results }, request.context);
}
