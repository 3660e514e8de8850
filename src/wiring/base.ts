import { createRetentionJobs, createSellerWriteRecovery } from '../jobs/index.js';
import { createActivityService } from '../modules/activity/index.js';
import { createIdempotencyService } from '../modules/idempotency/index.js';
import { createSellerWrites } from '../modules/seller-writes/index.js';
import { createTaskPushes } from '../modules/task-pushes/index.js';
import { createJobQueue } from '../platform/jobs/index.js';
import { createOutboundClient, hostKey } from '../platform/outbound/index.js';
import { createUpstreamClient } from '../upstream/index.js';
import { createFlows } from './flows/index.js';
import { outboundHostLabels } from './host-labels.js';
import type { ServiceOptions } from './options.js';

/**
 * What every area is built on: the database, config and secrets; the one AdCP client and the
 * guarded client for anything else fetched on a user's behalf (both share the hosts trusted
 * past the private-network guard); the job queue; the activity log; idempotency records; the
 * writes to sellers recorded before they are sent, with their recovery; where this
 * deployment is reachable; and the flows between modules that need each other (wiring/flows),
 * each owned as its owner is built.
 */
export function createBase(options: ServiceOptions) {
  const { config, secrets } = options;
  const { db } = options.database;
  const trustedHosts = new Set<string>();
  const hostLabels = outboundHostLabels(config);
  // Where this deployment is reachable; the server sets the real port after listening.
  let ownOrigin = config.publicUrl;
  const jobs = createJobQueue({
    database: options.database,
    config: config.jobs,
    onError: options.onError,
  });
  const sellerWrites = createSellerWrites({
    db,
    recoverySeconds: config.writes.recoverySeconds,
    crashFile: config.writes.crashFile,
    onError: options.onError,
  });
  const taskPushes = createTaskPushes({ db, secrets });
  const retention = config.retention ?? defaultRetention;
  return {
    options,
    config,
    secrets,
    db,
    trustedHosts,
    upstream: createUpstreamClient({
      allowPrivateNetwork: config.allowPrivateNetwork,
      defaultTimeoutMs: config.probeTimeoutMs,
      trustedHosts,
    }),
    outbound: createOutboundClient({
      allowPrivateNetwork: config.allowPrivateNetwork,
      trustedHosts,
      maxResponseBytes: 512 * 1024,
      hostLabels,
    }),
    /** The outbound metrics' names for the hosts the operator configured (host-labels.ts). */
    hostLabels,
    activity: createActivityService({ db }),
    idempotency: createIdempotencyService({ db }),
    jobs,
    /** The flows between modules (wiring/flows): callers get them as ports, owners own them. */
    flows: createFlows(),
    /** Writes to sellers recorded before they are sent (modules/seller-writes). */
    sellerWrites,
    /** Their recovery on the job queue; resume() once the queue started. */
    sellerWriteRecovery: createSellerWriteRecovery({
      jobs,
      writes: sellerWrites,
      tickSeconds: Math.min(30, Math.max(2, 3 * config.writes.recoverySeconds)),
    }),
    /** Where buyers asked to be told when a storefront agent's task settles. */
    taskPushes,
    /** Settled intents and old task push configs pruned on a schedule; startSweeps() once started. */
    retention: createRetentionJobs(
      [
        {
          retentionDays: retention.settledWriteDays,
          prune: (before, limit) => sellerWrites.pruneSettled(before, limit),
        },
        { retentionDays: retention.taskPushDays, prune: taskPushes.pruneBefore },
      ],
      jobs,
      { intervalSeconds: retention.intervalSeconds },
    ),
    /** This deployment's origin (no trailing slash). */
    ownOrigin: () => ownOrigin,
    /**
     * Records where this deployment is reachable: its own origin becomes exempt from the
     * private-network guard (the demo agent lives there) and is used for OAuth redirect URIs.
     */
    trustOwnOrigin(origin: string): void {
      trustedHosts.add(hostKey(new URL(origin)));
      ownOrigin = origin.replace(/\/+$/, '');
    },
    /**
     * Exempts exactly `origin`'s host and port from the private-network guard: the sandbox's
     * local fakes (src/demo/sandbox), which the entry point starts only off production.
     */
    trustLocalOrigin(origin: string): void {
      trustedHosts.add(hostKey(new URL(origin)));
    },
  };
}

export type Base = ReturnType<typeof createBase>;

/** The documented defaults, for callers that build services without a whole config. */
const defaultRetention = { intervalSeconds: 3600, settledWriteDays: 30, taskPushDays: 30 };
