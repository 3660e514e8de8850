import { z } from 'zod';

/**
 * The link chain a storefront's call to another storefront's agent carries, at
 * `ext.interchange.link.chain` of the AdCP request: the agent keys (adagents agentKey) of the
 * storefronts the call has already passed through, the immediate caller last. A call from an
 * ordinary buyer carries none.
 */
export const maxLinkHops = 4;

const chainSchema = z.array(z.string().min(1).max(2048)).min(1).max(32);

/** The chain in a request's `ext`; null when there is none, 'invalid' when it is malformed. */
export function linkChainOf(ext: unknown): string[] | null | 'invalid' {
  if (!ext || typeof ext !== 'object') return null;
  const interchange = (ext as Record<string, unknown>)['interchange'];
  if (!interchange || typeof interchange !== 'object') return null;
  const link = (interchange as Record<string, unknown>)['link'];
  if (link === undefined) return null;
  const chain = chainSchema.safeParse((link as { chain?: unknown } | null)?.chain);
  return chain.success ? chain.data : 'invalid';
}

/** `args` carrying `chain` as its link chain (whatever ext the args had is the caller's own). */
export function withLinkChain(
  args: Record<string, unknown>,
  chain: readonly string[],
): Record<string, unknown> {
  return { ...args, ext: { interchange: { link: { chain: [...chain] } } } };
}

/** Why a storefront's agent refuses a call that came through a link (the buyer-facing words). */
export type LinkRefusal = {
  code: 'LINK_LOOP' | 'LINK_TOO_DEEP' | 'LINK_NOT_APPROVED' | 'INVALID_REQUEST';
  message: string;
};

/** What admitting a call decided: the chain to pass on when it may go ahead. */
export type LinkAdmission =
  { ok: true; chain: string[] | null } | { ok: false; refusal: LinkRefusal };
