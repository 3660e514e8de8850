import type { MediaBuyRow } from '../store.js';

/** A push notification as it arrived: what its RFC 9421 signature covers. */
export interface PushRequest {
  method: string;
  /** The path and query posted to; the signature covers it under our public origin. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received (its content-digest is signed). */
  body: string;
}

/**
 * What status sync (issue 14 item 4) needs from outside the module, wired in services.ts: the
 * job queue that runs the looks, the verifier of sellers' push notifications and where they are
 * received. Modules sit below jobs and agents, hence a port.
 */
export interface StatusSyncPort {
  /** Seconds from a change to the first look; each look that learns nothing doubles it… */
  minSeconds: number;
  /** …up to this. */
  maxSeconds: number;
  /**
   * The AdCP push_notification_config for a buy's seller operations, or undefined when its
   * seller could not reach this deployment (a loopback/private public URL that delivery
   * refuses) or its notifications could not be verified (a remote agent: polling follows it).
   */
  pushConfigFor(row: MediaBuyRow): Promise<Record<string, unknown> | undefined>;
  /** Makes sure a look at the customer's buys on the agent runs within `delaySeconds`. */
  wake(customerId: number, agentId: string, delaySeconds: number): Promise<void>;
  /**
   * Whether a notification is signed by the agent's key and not a replay (why not, when not);
   * throws when it cannot be judged now (the agent's keys unreachable).
   */
  verify(
    agentId: string,
    request: PushRequest,
  ): Promise<{ ok: true } | { ok: false; reason: string }>;
  /**
   * Delivery reports a seller pushes (notification_type scheduled/final/delayed/adjusted): the
   * delivery import of issue 15 records them; without it they are acknowledged and dropped.
   */
  onDelivery?(row: MediaBuyRow, payload: Record<string, unknown>): Promise<void>;
}
