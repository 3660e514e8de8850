import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  AdcpError,
  type AdcpStructuredError,
  type TaskRegistry,
  type WebhookEmitParams,
  type WebhookEmitResult,
  type WebhookEmitter,
} from '@adcp/sdk/server';
import { defineJob, type JobQueue } from '../../../../platform/jobs/index.js';
import { findAdcpCall } from '../../../adcp31/index.js';
import type { TaskPush, TaskPushes } from '../../../../modules/task-pushes/index.js';

const structuredError = z
  .object({
    code: z.string(),
    recovery: z.enum(['transient', 'correctable', 'terminal']),
    message: z.string(),
  })
  .passthrough();
const outcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('completed'), result: z.unknown() }),
  z.object({ status: z.literal('failed'), error: structuredError }),
]);
/** How a buyer's task ends: the answer it completes with, or the AdCP error it fails with. */
export type TaskOutcome = z.infer<typeof outcome>;

const payload = z.object({
  taskId: z.string().min(1),
  tool: z.string().min(1),
  outcome,
  /** The id its buyer knows the task by, where it is stored under another (a forced sandbox task). */
  knownAs: z.string().min(1).optional(),
});

/** A rejected or thrown settlement as the AdCP error the task fails with (as the SDK records it). */
export function failureOf(error: unknown): AdcpStructuredError & Record<string, unknown> {
  if (error instanceof AdcpError) return { ...error.toStructuredError() };
  return {
    code: 'SERVICE_UNAVAILABLE',
    message: error instanceof Error ? error.message : String(error),
    recovery: 'terminal',
  };
}

/** The same idempotency key for every delivery attempt of one event, in any process. */
export const stableWebhookKeys = {
  get: (operationId: string) =>
    `whk_${createHash('sha256').update(operationId).digest('base64url').slice(0, 40)}`,
  set: () => undefined,
};

/** Runs of the notification job after its first (with backoff from 15 s). */
const notificationRetries = 8;

/** Whether an undelivered notification is worth another try later (no answer, 5xx or 429). */
const retryable = (delivery: WebhookEmitResult) =>
  delivery.final_status === undefined ||
  delivery.final_status >= 500 ||
  delivery.final_status === 429;

/**
 * A buyer's task that settles after its request was answered (an operator's decision, a source's
 * task) is settled and notified by a durable job, on whichever instance runs it, not by the
 * process that took the request: the decision may be taken on another instance, and either may
 * die. `settle` queues the job (one per task) and records the outcome in the task registry at
 * once (tasks_get answers it); the job records it again (a no-op once terminal), reads the push
 * config the request left (modules/task-pushes), posts the notification signed, with one
 * idempotency key for every attempt, and forgets the config once delivered, so a later run
 * sends nothing. A crash between the post and the forget posts again under the same key, which
 * the buyer's receiver dedups on (AdCP webhooks).
 *
 * The SDK still completes the task in the process that took the request, when its waiter is
 * settled there; its own post of that task is suppressed (`sdkEmitter`), since the job sends it.
 */
export function createTaskNotifications(options: {
  registry: Pick<TaskRegistry, 'complete' | 'fail' | 'getTask'>;
  pushes: TaskPushes;
  emitter: WebhookEmitter;
  jobs: Pick<JobQueue, 'define' | 'send' | 'isStarted'>;
  /**
   * Judges the push URL now (platform/outbound's assertEndpointAllowed): a name that does not
   * resolve is held, not posted to; it throws for one delivery refuses for good.
   */
  checkUrl?: (url: string) => Promise<'resolved' | 'unresolved'>;
  onError?: (error: unknown) => void;
}) {
  const { registry, pushes, emitter, jobs } = options;
  const onError = options.onError ?? (() => undefined);
  // Tasks handed off in this process whose notification the job sends.
  const sentByJob = new Set<string>();

  const record = async (taskId: string, settled: TaskOutcome) => {
    if (settled.status === 'completed') await registry.complete(taskId, settled.result);
    else await registry.fail(taskId, settled.error);
  };

  const job = defineJob({
    name: 'storefront.task-notification',
    payload,
    // One running per task (and one waiting): a second settle of it (recovery deciding a buy
    // whose decision it found in doubt) runs after the first, finds the config forgotten, and
    // posts nothing; two at once would both find it.
    singleton: 'queued-and-running',
    retry: { limit: notificationRetries, delaySeconds: 15, backoff: true },
    // The emitter's own five attempts with backoff take at most about two minutes.
    timeoutSeconds: 5 * 60,
    handler: (job, context) => notify(job, context.retryCount >= notificationRetries),
  });
  jobs.define(job);

  async function notify(
    { taskId, tool, outcome: settled, knownAs }: z.infer<typeof payload>,
    last = true,
  ) {
    await record(taskId, settled);
    const push = await pushes.find(taskId);
    if (!push) return;
    const task = await registry.getTask(taskId);
    if (!task) return;
    // A push URL whose name did not resolve when the buy was taken (the buy is not refused for
    // it) is held: nothing is posted until it resolves to an address delivery may reach; the job
    // retries with backoff and, after its last try, forgets it. One now forbidden is forgotten.
    const verdict = await options.checkUrl?.(push.url).catch(() => 'refused' as const);
    if (verdict === 'refused' || (verdict === 'unresolved' && last)) {
      await pushes.forget(taskId);
      return;
    }
    if (verdict === 'unresolved')
      throw new Error(`task ${taskId} push held: its host does not resolve`);
    const delivery = await emitter.emit({
      url: push.url,
      payload: notificationOf(knownAs ?? taskId, tool, task, push),
      operation_id: `${tool}.${taskId}`,
    });
    if (!delivery.delivered && retryable(delivery)) {
      throw new Error(`task ${taskId} notification not delivered: ${delivery.errors.join('; ')}`);
    }
    // Delivered, or refused for good by the buyer's receiver (4xx): nothing more to send.
    await pushes.forget(taskId);
  }

  return {
    /** A task handed off here: where its buyer asked to be told (recorded before it can settle). */
    async remember(taskId: string, push: TaskPush | undefined): Promise<void> {
      if (!push) return;
      await pushes.record(taskId, push);
      sentByJob.add(taskId);
    },
    /**
     * Settles a buyer's task for good: recorded now, notified by the job (any instance). `taskId`
     * is the stored id; `knownAs` the buyer's, when it differs (the notification names that one).
     */
    async settle(
      taskId: string,
      tool: string,
      settled: TaskOutcome,
      knownAs?: string,
    ): Promise<void> {
      const notification = { taskId, tool, outcome: settled, ...(knownAs && { knownAs }) };
      // Without a running queue (a process that works no jobs: some tests, tools) the
      // notification is sent from here, not durably.
      if (!jobs.isStarted()) {
        void notify(notification).catch(onError);
        return;
      }
      await jobs.send(job, notification, { singletonKey: taskId });
      await record(taskId, settled);
    },
    /**
     * The SDK's task-webhook emitter: every post goes through `emitter`, except the SDK's own
     * post of a task whose notification the job sends.
     */
    sdkEmitter: {
      emit: async (params: WebhookEmitParams): Promise<WebhookEmitResult> => {
        const taskId = (params.payload as { task_id?: unknown }).task_id;
        if (typeof taskId === 'string' && sentByJob.delete(taskId)) {
          return {
            operation_id: params.operation_id,
            idempotency_key: '',
            attempts: 0,
            delivered: false,
            errors: [],
          };
        }
        // A 3.1 request's answer posted at once (the SDK's sync completion): its operation_id.
        const operationId = findAdcpCall()?.pushOperationId;
        if (operationId === undefined) return emitter.emit(params);
        return emitter.emit({
          ...params,
          payload: { ...params.payload, operation_id: operationId },
        });
      },
    },
  };
}

export type TaskNotifications = ReturnType<typeof createTaskNotifications>;

/** The task's notification as AdCP's webhook payload (mcp-webhook-payload), as the SDK shapes it. */
function notificationOf(
  taskId: string,
  tool: string,
  task: { status: string; result?: unknown; error?: unknown },
  push: TaskPush,
): Record<string, unknown> {
  const error = task.error as { message?: string } | undefined;
  return {
    task_id: taskId,
    ...(push.operationId !== undefined && { operation_id: push.operationId }),
    task_type: tool,
    status: task.status,
    timestamp: new Date().toISOString(),
    protocol: 'media-buy',
    ...(push.token !== undefined && { token: push.token }),
    ...(task.status === 'completed' && task.result !== undefined && { result: task.result }),
    ...(task.status === 'failed' &&
      error && { result: { errors: [error] }, ...(error.message && { message: error.message }) }),
  };
}
