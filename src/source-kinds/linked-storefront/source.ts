import { withLinkChain } from '../../modules/storefront-links/index.js';
import {
  isConnected,
  type SourceKind,
  type SourceRow,
} from '../../modules/inventory-sources/index.js';
import type { StorefrontRow } from '../../modules/storefronts/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { ToolCallResult, UpstreamTarget } from '../../upstream/index.js';
import { type AdcpAgentDeps, adcpAgentSource } from '../agent/source.js';
import { upstreamAccounts } from '../agent/accounts.js';

/** What the linked-storefront kind needs beyond an AdCP agent source's collaborators. */
export interface LinkedStorefrontDeps {
  agent: AdcpAgentDeps;
  /** The agent key (storefront-links keyOf) of a storefront of this instance. */
  keyOf(storefrontId: number): Promise<string | undefined>;
  /**
   * The domain of the storefront's own organisation: the operator of its buyers' accounts at the
   * upstream (its account there must carry the same domain; docs/federation.md).
   */
  operatorDomainOf(storefrontId: number): Promise<string | null>;
  /** A storefront of this instance an agent URL names, if any. */
  localStorefrontOf(url: string): Promise<StorefrontRow | undefined>;
  /** Whom a storefront of this instance calls `upstreamId` as: the requester of its link there. */
  requesterFor(upstreamId: number, downstreamKey: string): Promise<number | undefined>;
  actingPrincipal(customerId: number): Promise<CustomerPrincipal | undefined>;
  /**
   * The storefronts the call being served came through, when another storefront's agent called
   * this one (the transport's request, admitted by its link gate); empty otherwise.
   */
  incomingLinkChain(): readonly string[];
  /** A storefront agent of this instance, called in process (hosting/buying-agents.ts). */
  callLocal(
    principal: CustomerPrincipal,
    upstream: StorefrontRow,
    tool: string,
    args: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<ToolCallResult<unknown>>;
}

/**
 * `LINKED_STOREFRONT` sources: another storefront's Merchandising Agent, whose seller approved
 * this storefront's link request (modules/storefront-links). It is an AdCP sales agent, so it is
 * asked exactly as an AGENT source is (credentials, the buyer's account, diagnostics), with
 * three differences: every request carries the link chain (the storefronts the call passed
 * through, this one last), which the upstream's agent checks against its links, the loop and the
 * hop limit (gate.ts); answers are never reused, so a revocation holds from the next request;
 * and an upstream on this instance is called in process as the link's requester, not over
 * loopback HTTP. Buys reach the upstream as that requester's own buys (its approval queue, its
 * analytics).
 */
export function linkedStorefrontSources(deps: LinkedStorefrontDeps): SourceKind {
  return {
    open(rows, customerId) {
      const live = upstreamAccounts(deps.agent, customerId);
      const placed = upstreamAccounts(deps.agent, customerId, { placed: true });
      const keyOf = once(deps.keyOf);
      const operatorOf = once(deps.operatorDomainOf);
      return rows.filter(isConnected).map((row) =>
        adcpAgentSource(
          deps.agent,
          row,
          (buyer, asPlaced) => (asPlaced ? placed : live)(row, buyer),
          {
            reuse: false,
            extend: async (args) => {
              const [own, operator] = await Promise.all([
                keyOf(row.storefrontId),
                operatorOf(row.storefrontId),
              ]);
              const before = deps.incomingLinkChain();
              return withLinkChain(asOperator(args, operator), own ? [...before, own] : before);
            },
            callTool: async <T>(
              target: UpstreamTarget,
              tool: string,
              args: Record<string, unknown>,
              timeoutMs: number,
            ) =>
              callUpstream(deps, row, keyOf, target, tool, args, timeoutMs) as Promise<
                ToolCallResult<T>
              >,
          },
        ),
      );
    },
  };
}

/** An upstream on this instance in process, as the link's requester; any other over the network. */
async function callUpstream(
  deps: LinkedStorefrontDeps,
  row: SourceRow,
  keyOf: (storefrontId: number) => Promise<string | undefined>,
  target: UpstreamTarget,
  tool: string,
  args: Record<string, unknown>,
  timeoutMs: number,
): Promise<ToolCallResult<unknown>> {
  const local = await deps.localStorefrontOf(target.endpointUrl);
  if (!local) return deps.agent.upstream.callTool(target, tool, args, { timeoutMs });
  const own = await keyOf(row.storefrontId);
  const requester = own ? await deps.requesterFor(local.id, own) : undefined;
  const principal = requester === undefined ? undefined : await deps.actingPrincipal(requester);
  if (!principal) {
    return {
      ok: false,
      latencyMs: 0,
      error: {
        code: 'unauthorized',
        message: `No link to ${local.name} was asked for from this storefront`,
      },
    };
  }
  return deps.callLocal(principal, local, tool, args, timeoutMs);
}

/** `read` of one storefront, asked once per request. */
function once<T>(read: (storefrontId: number) => Promise<T>): (storefrontId: number) => Promise<T> {
  const seen = new Map<number, Promise<T>>();
  return (storefrontId) => {
    let value = seen.get(storefrontId);
    if (!value) seen.set(storefrontId, (value = read(storefrontId)));
    return value;
  };
}

/**
 * The account as the upstream is asked it: the downstream storefront operates its buyers'
 * accounts there, so the brand stays the buyer's and the operator is the storefront's own
 * organisation (an account id is the downstream's own word, unknown upstream: not sent).
 */
function asOperator(
  args: Record<string, unknown>,
  operator: string | null,
): Record<string, unknown> {
  const { account, ...rest } = args as { account?: { brand?: unknown; sandbox?: unknown } };
  if (!account) return rest;
  const brand = account.brand ?? (rest as { brand?: unknown }).brand;
  if (!brand || !operator) return rest;
  return {
    ...rest,
    account: { brand, operator, ...(account.sandbox === true && { sandbox: true }) },
  };
}
