import type { GetProductsRequest, GetProductsResponse } from '@adcp/sdk/types';
import { TestControllerError } from '@adcp/sdk/testing';
import { speaks31, staleResponse } from '../../adcp31/index.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { getStorefrontProducts } from '../products/composition.js';
import { sandboxScope } from '../../../sources/sandbox.js';

/** The tools whose upstream a sandbox can take down: get_products is the one answered from a cache. */
const cachedTools = new Set(['get_products', '*']);
/** The name a forced outage gives the storefront's sources when the caller names none. */
const defaultUpstream = 'inventory-sources';

/**
 * get_products for one of the caller's sandbox accounts (AdCP 3.1 stale-response advisory):
 * live, and kept as the scope's cache entry, unless the controller has forced its upstream
 * unavailable (force_upstream_unavailable); then the sources are not asked, and the cached
 * answer is served with STALE_RESPONSE in `errors[]` (its age, the upstream's name). With
 * nothing cached it is SERVICE_UNAVAILABLE, as the spec says. 3.0 callers have no such
 * advisory, so a forced outage does not touch their answers.
 */
export async function sandboxProducts(
  deps: MerchandisingDeps,
  live: () => Promise<GetProductsResponse>,
): Promise<GetProductsResponse> {
  const scope = callerSandbox();
  const outage = speaks31() ? deps.sandbox.outageOf(scope, 'get_products') : undefined;
  if (!outage) {
    const answer = await live();
    deps.sandbox.rememberProducts(scope, { products: answer.products, at: Date.now() });
    return answer;
  }
  const cached = deps.sandbox.cachedProducts(scope);
  const failure = `${outage.upstream} is unavailable (forced by comply_test_controller)`;
  if (!cached) {
    return {
      products: [],
      errors: [{ code: 'SERVICE_UNAVAILABLE', message: `${failure}; no cached answer is held` }],
    };
  }
  const stale = staleResponse('products', {
    served_from_cache: true,
    cache_age_seconds: Math.max(0, Math.floor((Date.now() - cached.at) / 1000)),
    upstream: { name: outage.upstream },
    original_error: { code: 'SERVICE_UNAVAILABLE', message: failure },
  });
  return { products: cached.products, errors: [stale] };
}

/**
 * comply_test_controller `force_upstream_unavailable` (3.1): marks the upstream of `params.tool`
 * (get_products, or '*') unreachable for the caller's sandbox accounts on this storefront, for
 * the compliance session: until the caller next seeds a product (another storyboard begins). The cache entry an outage falls back to is the scope's last live answer;
 * with none yet, a live wholesale answer is taken now, so the next call has one to serve.
 */
export async function forceUpstreamUnavailable(
  deps: MerchandisingDeps,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const tool = params['tool'];
  if (typeof tool !== 'string' || tool.length === 0) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      'force_upstream_unavailable requires params.tool',
    );
  }
  if (!cachedTools.has(tool)) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      `Only get_products (or '*') answers from a cache on this storefront; not ${tool.slice(0, 64)}`,
    );
  }
  const named = params['upstream_name'];
  const upstream =
    typeof named === 'string' && named.trim().length > 0
      ? named.trim().slice(0, 120)
      : defaultUpstream;
  const scope = callerSandbox();
  const previous = deps.sandbox.outageOf(scope, tool) ? 'unavailable' : 'available';
  if (!deps.sandbox.cachedProducts(scope)) {
    const { storefront, principal } = agentRequest();
    const request: GetProductsRequest = { buying_mode: 'wholesale' };
    const answer = await getStorefrontProducts(deps, storefront, principal.customerId, request, {
      sandbox: true,
    });
    deps.sandbox.rememberProducts(scope, { products: answer.products, at: Date.now() });
  }
  deps.sandbox.forceUpstreamUnavailable(scope, tool, upstream);
  return {
    success: true,
    previous_state: previous,
    current_state: 'unavailable',
    message: `${upstream} is unavailable to ${tool} for this buyer's sandbox accounts`,
  };
}

function callerSandbox(): string {
  const { storefront, principal } = agentRequest();
  return sandboxScope(storefront.id, principal.customerId);
}
