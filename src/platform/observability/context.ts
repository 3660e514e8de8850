import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request an async chain works for, so what it logs and calls out carries the request's
 * id (X-Request-Id on outbound calls, beside the trace's `traceparent`).
 */
const current = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` (and everything it starts) as part of request `requestId`. */
export function runInRequest<T>(requestId: string, work: () => T): T {
  return current.run({ requestId }, work);
}

/** The id of the request this code runs for; undefined outside one (a job, start-up). */
export function currentRequestId(): string | undefined {
  return current.getStore()?.requestId;
}
