import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { invalid } from '../../platform/errors.js';
import { defineJob, type JobQueue } from '../../platform/jobs/index.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { AdvertisersService } from '../advertisers/index.js';
import type { BuyingAgents } from '../discovery/index.js';
import { createCampaignAudiences } from './campaign-audiences.js';
import type { SyncAudiencesInput } from './schemas.js';
import * as store from './store.js';
import { createSyncRunner } from './sync-runner.js';
import { audienceView } from './views.js';

export interface AudiencesDeps {
  db: Db;
  agents: BuyingAgents;
  advertisers: Pick<AdvertisersService, 'requireAdvertiser' | 'requireActive'>;
  customerDomainOf: (customerId: number) => Promise<string | null>;
  actAs: (customerId: number) => Promise<CustomerPrincipal | undefined>;
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  /** Longest one seller call is waited for. */
  timeoutMs: number;
  /** Members applied per transaction; 2,000 unless set. */
  chunkSize?: number;
  now?: () => Date;
}

export type AudiencesService = ReturnType<typeof createAudiencesService>;

/** Runs before a task's failure is final (each retry resumes where the last stopped). */
const retryLimit = 5;

/**
 * An advertiser's audiences (hosted syncAudiences / listAudiences, AdCP sync_audiences). A sync
 * is a task (202 with its id): the request is kept (hashed identifiers only) and worked by a
 * durable job, `audiences.sync`, which applies it here and then sends each audience to every
 * agent the buyer uses that takes audiences. Progress is read with GET /tasks/{taskId}.
 */
export function createAudiencesService(deps: AudiencesDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const runner = createSyncRunner({
    db,
    agents: deps.agents,
    advertisers: deps.advertisers,
    customerDomainOf: deps.customerDomainOf,
    actAs: deps.actAs,
    timeoutMs: deps.timeoutMs,
    chunkSize: deps.chunkSize ?? 2_000,
    leaseSeconds: 120,
    now,
  });
  const job = defineJob({
    name: 'audiences.sync',
    payload: z.object({ taskId: z.string().uuid() }),
    singleton: 'queued-and-running',
    retry: { limit: retryLimit, delaySeconds: 5, backoff: true },
    timeoutSeconds: 30 * 60,
    handler: ({ taskId }, context) =>
      runner.run(taskId, { lastAttempt: context.retryCount >= retryLimit }),
  });
  deps.jobs.define(job);
  const enqueue = async (taskId: string) => {
    // Before the queue starts (a CLI run, tests without workers) resume() hands it over.
    if (deps.jobs.isStarted()) await deps.jobs.send(job, { taskId }, { singletonKey: taskId });
  };

  return {
    /**
     * Accepts a sync as a task. The same Idempotency-Key answers the task it first made (the
     * key is held in the database, so even a retry after a crash mid-request makes none twice).
     */
    async sync(
      principal: CustomerPrincipal,
      advertiserId: string,
      input: SyncAudiencesInput,
      idempotencyKey: string | undefined,
    ) {
      const advertiser = await deps.advertisers.requireActive(principal.customerId, advertiserId);
      const totalMembers = input.audiences.reduce(
        (n, a) => n + (a.add?.length ?? 0) + (a.remove?.length ?? 0),
        0,
      );
      const task = await store.insertTask(db, {
        id: randomUUID(),
        customerId: principal.customerId,
        advertiserId: advertiser.id,
        idempotencyKey: idempotencyKey ?? null,
        status: 'submitted',
        request: input,
        progress: { totalMembers, processedMembers: 0, sellers: [] },
      });
      if (task.advertiserId !== advertiser.id)
        throw invalid('This Idempotency-Key was used for another advertiser', 'Idempotency-Key');
      if (task.status === 'submitted') await enqueue(task.id);
      return {
        success: true,
        accountId: String(advertiser.id),
        operationId: task.id,
        taskId: task.id,
      };
    },

    async list(
      principal: CustomerPrincipal,
      advertiserId: string,
      page: { take: number; skip: number },
    ) {
      const advertiser = await deps.advertisers.requireAdvertiser(
        principal.customerId,
        advertiserId,
      );
      const { rows, total } = await store.pageAudiences(db, advertiser.id, page);
      return { audiences: rows.map(audienceView), total, take: page.take, skip: page.skip };
    },

    /** Hands every open task to the queue (on start: tasks left by a stopped instance). */
    async resume() {
      for (const id of await store.openTaskIds(db)) await enqueue(id);
    },

    /** Runs one task now (what the job does). */
    runTask: (taskId: string) => runner.run(taskId, { lastAttempt: false }),

    /** The port campaigns use for audienceConfig and audience sync tasks. */
    campaignPort: createCampaignAudiences(db),
  };
}
