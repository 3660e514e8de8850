import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { BuyingAgent, BuyingAgents } from '../agents-port.js';
import { toDiscoveredProduct, toDiscoveredProposal } from '../products.js';
import type { DiscoveredProduct, DiscoveredProposal } from '../tables.js';
import { type SourceIssue, sourceIssuesOf } from '../answer-notes.js';

/** One agent's part of a discovery: what it offered, or why it offered nothing. */
export interface AgentAnswer {
  agent: BuyingAgent;
  success: boolean;
  timedOut: boolean;
  error?: string;
  responseTimeMs: number;
  products: DiscoveredProduct[];
  proposals: DiscoveredProposal[];
  /** Sources a storefront left out of its answer, as its errors[] said (answer-notes.ts). */
  sourceIssues?: SourceIssue[];
  /** The agent's AdCP refinement_applied, when it was asked to refine. */
  refinementApplied?: Record<string, unknown>[];
  /** The positions, in the request's refine array, of the entries the agent was sent. */
  refineIndexes?: number[];
}

export interface FanOutBudget {
  /** Longest one agent is waited for. */
  agentBudgetMs: number;
  /** Longest the whole fan-out may take; agents run in parallel, so it caps each one too. */
  totalBudgetMs: number;
}

/**
 * Asks every agent get_products at once and waits for each up to the budget. An agent that
 * fails, refuses or runs out of time is reported in its answer and never fails the others: the
 * whole call takes about the slowest answer, at most the budget. `onAnswer` hears each answer
 * as it arrives (to record it while the others are still awaited).
 */
export async function askAgents(
  port: BuyingAgents,
  principal: CustomerPrincipal,
  agents: BuyingAgent[],
  requestFor: (agent: BuyingAgent) => Promise<Record<string, unknown>>,
  budget: FanOutBudget,
  onAnswer: (answer: AgentAnswer) => void = () => undefined,
): Promise<AgentAnswer[]> {
  const timeoutMs = Math.min(budget.agentBudgetMs, budget.totalBudgetMs);
  return Promise.all(
    agents.map(async (agent) => {
      const answer = await askOne(port, principal, agent, await requestFor(agent), timeoutMs);
      onAnswer(answer);
      return answer;
    }),
  );
}

async function askOne(
  port: BuyingAgents,
  principal: CustomerPrincipal,
  agent: BuyingAgent,
  request: Record<string, unknown>,
  timeoutMs: number,
): Promise<AgentAnswer> {
  const result = await allPagesOf(port, principal, agent.agentId, request, timeoutMs);
  const base = { agent, responseTimeMs: result.latencyMs, products: [], proposals: [] };
  if (!result.ok) {
    return {
      ...base,
      success: false,
      timedOut: result.error.code === 'timeout',
      error: result.error.message,
    };
  }
  const data = result.data;
  const products = (Array.isArray(data['products']) ? data['products'] : []).flatMap((p) => {
    const product = toDiscoveredProduct(p);
    return product ? [product] : [];
  });
  const proposals = (Array.isArray(data['proposals']) ? data['proposals'] : []).flatMap((p) => {
    const proposal = toDiscoveredProposal(p);
    return proposal ? [proposal] : [];
  });
  // An answer with errors and nothing to offer is the agent failing (e.g. its sources all
  // down); errors beside products are warnings, and the products count.
  const errors = Array.isArray(data['errors']) ? data['errors'] : [];
  const failed = products.length === 0 && errors.length > 0;
  const message = failed ? errorText(errors[0]) : undefined;
  const sourceIssues = sourceIssuesOf(errors);
  const applied = Array.isArray(data['refinement_applied'])
    ? data['refinement_applied'].filter(
        (r): r is Record<string, unknown> => typeof r === 'object' && r !== null,
      )
    : [];
  return {
    ...base,
    success: !failed,
    timedOut: false,
    ...(message !== undefined && { error: message }),
    products,
    proposals,
    ...(sourceIssues.length > 0 && { sourceIssues }),
    ...(applied.length > 0 && { refinementApplied: applied }),
  };
}

/** Pages one discovery follows at most, after the first (up to 900 more products). */
export const maxFollowedPages = 9;

/**
 * get_products, following the agent's AdCP cursor while it says more exist (issue 47: a posture
 * or answer size is a page size, never a cut, so a buyer's discovery reaches every product),
 * within the same time budget. A later page that fails or runs out of time keeps what the
 * earlier pages answered; the first page's failure is the call's.
 */
async function allPagesOf(
  port: BuyingAgents,
  principal: CustomerPrincipal,
  agentId: string,
  request: Record<string, unknown>,
  timeoutMs: number,
): ReturnType<BuyingAgents['call']> {
  const started = performance.now();
  const first = await port.call(principal, agentId, 'get_products', request, { timeoutMs });
  if (!first.ok) return first;
  const products = Array.isArray(first.data['products']) ? [...first.data['products']] : [];
  let pagination = first.data['pagination'] as { has_more?: unknown; cursor?: unknown } | undefined;
  for (let page = 0; page < maxFollowedPages; page++) {
    const cursor = pagination?.cursor;
    const left = timeoutMs - (performance.now() - started);
    if (pagination?.has_more !== true || typeof cursor !== 'string' || left <= 0) break;
    const next = await port.call(
      principal,
      agentId,
      'get_products',
      // AdCP's largest page: the rest in as few calls as the agent allows.
      { ...request, pagination: { cursor, max_results: 100 } },
      { timeoutMs: left },
    );
    if (!next.ok || !Array.isArray(next.data['products'])) break;
    // An agent whose pages overlap (its catalogue changed between pages) offers each once.
    const seen = new Set(products.map(idOf));
    products.push(...next.data['products'].filter((p: unknown) => !seen.has(idOf(p))));
    pagination = next.data['pagination'] as typeof pagination;
  }
  return {
    ...first,
    latencyMs: Math.round(performance.now() - started),
    data: { ...first.data, products },
  };
}

const idOf = (product: unknown) =>
  typeof product === 'object' && product !== null
    ? (product as { product_id?: unknown }).product_id
    : undefined;

function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === 'string')
      return typeof code === 'string' ? `${code}: ${message}` : message;
  }
  return 'the agent reported an error and no products';
}
