import { AdcpError, adcpError } from '@adcp/sdk/server';
import { TestControllerError } from '@adcp/sdk/testing';
import { CreateMediaBuyResponseSchema, GetProductsResponseSchema } from '@adcp/sdk/types';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { TaskPush } from '../../../modules/task-pushes/index.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { pushOf } from '../buys/create/create.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';

/**
 * The tasks a sandbox buyer forced (force_get_products_arm, then force_task_completion): kept
 * where every task of the storefront is (the SDK's task registry, in PostgreSQL, so they outlive
 * a restart as the others do), under the id the buyer chose and the buyer's own scope, so
 * get_task_status, list_tasks and tasks_get find them for that buyer only. Implemented over the
 * registry by hosting/sandbox-tasks.ts.
 */
export interface SandboxTasks {
  /** Records the caller's submitted task `taskId` of `tool`, with where to notify its end. */
  open(task: {
    taskId: string;
    tool: string;
    accountId: string;
    push: TaskPush | undefined;
  }): Promise<void>;
  /** One of the tasks the caller forced, by the id it chose; undefined when it has none such. */
  find(taskId: string): Promise<{ tool: string; status: string } | undefined>;
  /** Completes the caller's forced task with `result`, and notifies the buyer (durably). */
  complete(taskId: string, tool: string, result: Record<string, unknown>): Promise<void>;
}

const terminal = new Set(['completed', 'failed', 'canceled', 'rejected']);

/** The response a completion payload must be, by the task's tool (async-response-data.json). */
const resultSchemas: Record<string, z.ZodType> = {
  get_products: GetProductsResponseSchema,
  create_media_buy: CreateMediaBuyResponseSchema,
};

/** AdCP 3.1 lets a seller refuse a completion payload over 256 KB. */
const maxResultBytes = 256 * 1024;

/**
 * comply_test_controller `force_task_completion` (AdCP 3.1): one of the tasks the caller forced
 * into the submitted arm completes with the payload given, kept verbatim (get_task_status
 * `include_result` answers it) and posted to the push config its request registered. Another
 * buyer's task, or a task no directive forced (a buy awaiting the operator), is NOT_FOUND: the
 * controller settles sandbox tasks only. A payload that is not its tool's response is
 * INVALID_PARAMS, as the spec requires.
 */
export async function forceTaskCompletion(
  tasks: SandboxTasks | undefined,
  params: { task_id: string; result: Record<string, unknown> },
) {
  const task = await tasks?.find(params.task_id);
  if (!tasks || !task) {
    throw new TestControllerError('NOT_FOUND', `No sandbox task ${params.task_id} of yours`);
  }
  if (terminal.has(task.status)) {
    throw new TestControllerError(
      'INVALID_TRANSITION',
      `Task ${params.task_id} is already ${task.status}`,
      task.status,
    );
  }
  if (Buffer.byteLength(JSON.stringify(params.result)) > maxResultBytes) {
    throw new TestControllerError('INVALID_PARAMS', 'params.result is over 256 KB');
  }
  const issue = resultSchemas[task.tool]?.safeParse(params.result).error?.issues[0];
  if (issue) {
    const at = issue.path.map(String).join('.') || 'result';
    throw new TestControllerError(
      'INVALID_PARAMS',
      `params.result is no ${task.tool} response: ${at}: ${issue.message}`,
    );
  }
  await tasks.complete(params.task_id, task.tool, params.result);
  return {
    success: true as const,
    previous_state: task.status,
    current_state: 'completed',
    message: `Task ${params.task_id} completed with the result given`,
  };
}

/**
 * comply_test_controller `force_get_products_arm` (AdCP 3.1, get_products_async): the caller's
 * next get_products on one of its sandbox accounts answers the submitted task envelope, under
 * the task id the directive names, instead of products. One-shot, kept per buyer and
 * storefront (another buyer's get_products never meets it). Only the submitted arm exists for
 * get_products (the spec's v1).
 */
export function forceGetProductsArm(
  deps: MerchandisingDeps,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { arm, task_id: taskId, message } = params;
  if (arm !== 'submitted') {
    throw new TestControllerError('INVALID_PARAMS', 'get_products has only the submitted arm');
  }
  if (typeof taskId !== 'string' || taskId.length === 0 || taskId.length > 128) {
    throw new TestControllerError('INVALID_PARAMS', 'The submitted arm needs params.task_id');
  }
  if (message !== undefined && (typeof message !== 'string' || message.length > 2000)) {
    throw new TestControllerError('INVALID_PARAMS', 'params.message is plain text, at most 2000');
  }
  const { storefront, principal } = agentRequest();
  const directive = { taskId, ...(message !== undefined && { message }) };
  deps.sandbox.forceSubmitted(
    sandboxScope(storefront.id, principal.customerId),
    directive,
    'get_products',
  );
  return Promise.resolve({
    success: true,
    forced: { arm, task_id: taskId },
    message: `The next get_products of this buyer's sandbox accounts answers task ${taskId}`,
  });
}

/**
 * The submitted envelope a forced arm makes of this get_products, consuming the directive, and
 * the task it answers recorded as the caller's (under the request's account, with its push
 * config: SandboxTasks above); none when nothing is forced for the caller (its answer is then the
 * products, as always). A wholesale request is feed access and never meets the directive (AdCP
 * 3.1 get_products_async). A task id the caller already used is refused, as for a forced buy.
 */
export async function forcedProductsAnswer(
  deps: MerchandisingDeps,
  tasks: SandboxTasks | undefined,
  request: Record<string, unknown>,
  accountIdOf: (ref: unknown) => Promise<string | undefined>,
): Promise<CallToolResult | undefined> {
  if (request['buying_mode'] === 'wholesale') return undefined;
  const { storefront, principal } = agentRequest();
  const forced = deps.sandbox.takeForcedSubmitted(
    sandboxScope(storefront.id, principal.customerId),
    'get_products',
  );
  if (!forced?.taskId) return undefined;
  const context = request['context'];
  const echo = typeof context === 'object' && context !== null ? { context } : {};
  const accountId = await accountIdOf(request['account']);
  try {
    if (tasks && accountId !== undefined) {
      const push = pushOf(request as Parameters<typeof pushOf>[0]);
      await tasks.open({ taskId: forced.taskId, tool: 'get_products', accountId, push });
    }
  } catch (error) {
    if (!(error instanceof AdcpError)) throw error;
    const { code, ...options } = error.toStructuredError();
    const refused = adcpError(code, options);
    const content = { ...refused.structuredContent, ...echo };
    return {
      ...refused,
      content: [{ type: 'text', text: JSON.stringify(content) }],
      structuredContent: content,
    };
  }
  const answer = {
    status: 'submitted',
    task_id: forced.taskId,
    ...(forced.message !== undefined && { message: forced.message }),
    ...echo,
  };
  return { content: [{ type: 'text', text: JSON.stringify(answer) }], structuredContent: answer };
}
