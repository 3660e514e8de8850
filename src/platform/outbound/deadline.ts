import { OutboundTimeoutError } from './errors.js';

/** One outbound exchange's time limit, joined with its caller's abort. */
export interface Deadline {
  signal: AbortSignal;
  clear(): void;
}

// One controller carries both the caller's abort and our deadline, so either cancels the
// exchange wherever it is (connecting, waiting for headers, streaming the body).
export function startDeadline(
  timeoutMs: number,
  host: string,
  callerSignal: AbortSignal | null | undefined,
): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new OutboundTimeoutError(
        'response',
        `No complete response from ${host} within ${timeoutMs} ms`,
      ),
    );
  }, timeoutMs);
  timer.unref();
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
