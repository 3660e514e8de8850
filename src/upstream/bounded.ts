import { OutboundTimeoutError, type OutboundFetch } from '../platform/outbound/index.js';
import { secretsOf } from './credentials/auth.js';
import { timeoutMessage, toProbeFailure } from './failure.js';
import { createProbeSession, type ProbeSession } from './session.js';
import type { ProbeFailure, UpstreamTarget } from './types.js';

// How long past its deadline (or cancellation) a call may take to unwind before it is answered
// regardless.
const graceMs = 250;

export interface BoundedOptions {
  timeoutMs: number;
  /** The caller's cancellation. */
  signal?: AbortSignal;
  /** What is under way, for failure messages: 'probe', 'get_products call'. */
  operation: string;
}

/** What a bounded piece of work gets: the network session and the facts for its result. */
export interface BoundedCall {
  session: ProbeSession;
  host: string;
  /** Credentials that must never appear in what the work returns. */
  secrets: string[];
  elapsedMs(): number;
}

/**
 * Runs one conversation with an inventory source under a deadline: the session's fetch is
 * aborted when `timeoutMs` passes or the caller cancels, and the answer comes at most a grace
 * period later even if a protocol library ignores the abort. Never throws: whatever `work`
 * throws becomes a classified failure with the credentials redacted.
 */
export async function runBounded<R>(
  outboundFetch: OutboundFetch,
  target: UpstreamTarget,
  options: BoundedOptions,
  work: (call: BoundedCall) => Promise<R>,
): Promise<R | ProbeFailure> {
  const { timeoutMs, signal, operation } = options;
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  let host: string;
  try {
    host = new URL(target.endpointUrl).host;
  } catch {
    return invalidUrl(elapsedMs());
  }
  const secrets = secretsOf(target.auth).filter(Boolean);
  const controller = new AbortController();
  const session = createProbeSession(outboundFetch, target, {
    at: Date.now() + timeoutMs,
    signal: controller.signal,
  });
  const failureOf = (error: unknown): ProbeFailure =>
    toProbeFailure(
      error,
      {
        protocol: target.protocol,
        operation,
        host,
        timeoutMs,
        timedOut: controller.signal.aborted,
        cancelled: signal?.aborted === true,
        authRefusal: session.authRefusal(),
        lastErrorStatus: session.lastErrorStatus(),
        secrets,
      },
      elapsedMs(),
    );
  if (signal?.aborted) return failureOf(undefined);

  const deadline = setTimeout(() => {
    controller.abort(new OutboundTimeoutError('response', timeoutMessage({ host, timeoutMs })));
  }, timeoutMs);
  const cancel = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', cancel, { once: true });
  let hardStop: NodeJS.Timeout | undefined;
  let startHardStop = () => {};
  // Protocol libraries honour the abort signal; this bounds the call even if one does not.
  const overdue = new Promise<ProbeFailure>((resolve) => {
    startHardStop = () => {
      hardStop = setTimeout(() => resolve(failureOf(undefined)), graceMs);
    };
  });
  controller.signal.addEventListener('abort', startHardStop, { once: true });
  let finished = false;
  try {
    return await Promise.race([
      work({ session, host, secrets, elapsedMs })
        .catch(failureOf)
        .finally(() => {
          finished = true;
        }),
      overdue,
    ]);
  } finally {
    clearTimeout(deadline);
    signal?.removeEventListener('abort', cancel);
    controller.signal.removeEventListener('abort', startHardStop);
    clearTimeout(hardStop);
    // Only work still under way is aborted. Aborting after a completed call is not free: the
    // MCP SDK never removes its per-request abort listener, so it would build an McpError and
    // try to send notifications/cancelled for a request already answered.
    if (!finished) controller.abort();
  }
}

function invalidUrl(latencyMs: number): ProbeFailure {
  return {
    ok: false,
    latencyMs,
    error: { code: 'protocol_error', message: 'The endpoint URL is not a valid URL' },
  };
}
