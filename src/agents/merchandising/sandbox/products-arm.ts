import { TestControllerError } from '@adcp/sdk/testing';
import { sandboxScope } from '../../../sources/sandbox.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';

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
 * The submitted envelope a forced arm makes of this get_products, consuming the directive; none
 * when nothing is forced for the caller (its answer is then the products, as always).
 */
export function forcedProductsAnswer(
  deps: MerchandisingDeps,
  request: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const { storefront, principal } = agentRequest();
  const forced = deps.sandbox.takeForcedSubmitted(
    sandboxScope(storefront.id, principal.customerId),
    'get_products',
  );
  if (!forced?.taskId) return undefined;
  const context = request['context'];
  return {
    status: 'submitted',
    task_id: forced.taskId,
    ...(forced.message !== undefined && { message: forced.message }),
    ...(typeof context === 'object' && context !== null && { context }),
  };
}
