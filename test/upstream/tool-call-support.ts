import {
  type ToolCallFailure,
  type ToolCallResult,
  type ToolCallSuccess,
  type UpstreamAuth,
  type UpstreamTarget,
} from '../../src/upstream/index.js';
import type { RunningSeller } from '../fixtures/sellers.js';

export const noAuth: UpstreamAuth = { type: 'NO_AUTH' };

export const targetOf = (seller: RunningSeller, auth: UpstreamAuth = noAuth): UpstreamTarget => ({
  endpointUrl: seller.url,
  protocol: seller.protocol,
  auth,
});

export function success<T>(result: ToolCallResult<T>): ToolCallSuccess<T> {
  if (!result.ok) throw new Error(`call failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

export function failure(result: ToolCallResult<unknown>): ToolCallFailure {
  if (result.ok) throw new Error('call succeeded but was expected to fail');
  return result;
}
