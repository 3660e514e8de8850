import { assertEndpointAllowed } from '../../../platform/outbound/index.js';
import { isStorefrontAgentId } from '../../storefronts/index.js';
import { pushNotificationPath } from '../tasks/routes.js';

/**
 * Whether a buy's agent is asked to push notifications, and where (status sync's
 * `pushConfigFor`): a storefront agent always (it signs with this deployment's key); a remote
 * agent only when it publishes signing keys, since an unverifiable push is refused and SDK
 * sellers refuse a loopback URL outright, so polling follows. Either way only when sellers can
 * reach this deployment's origin at all: a loopback or private one (refused by delivery unless
 * private networks are allowed) gets no push_notification_config. Reachability is judged once
 * per origin.
 */
export function pushConfigPolicy(options: {
  /** Where this deployment is reachable now (the server learns its port after listening). */
  publicOrigin: () => string;
  allowPrivateNetwork: boolean;
  publishesSigningKeys: (customerId: number, agentId: string) => Promise<boolean>;
}) {
  const reachability = new Map<string, Promise<boolean>>();
  const reachable = (origin: string) => {
    let verdict = reachability.get(origin);
    if (!verdict) {
      verdict = assertEndpointAllowed(origin, {
        allowPrivateNetwork: options.allowPrivateNetwork,
      }).then(
        () => true,
        () => false,
      );
      reachability.set(origin, verdict);
    }
    return verdict;
  };
  return async (row: { id: string; customerId: number; salesAgentId: string }) => {
    if (
      !isStorefrontAgentId(row.salesAgentId) &&
      !(await options.publishesSigningKeys(row.customerId, row.salesAgentId))
    ) {
      return undefined;
    }
    const origin = options.publicOrigin();
    return (await reachable(origin))
      ? { url: `${origin}${pushNotificationPath(row.id)}` }
      : undefined;
  };
}
