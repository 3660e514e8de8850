import { createOutboundClient, OutboundTimeoutError } from '../../platform/outbound/index.js';
import { discoverA2a } from './a2a-discovery.js';
import { createJwtTokenSource } from './jwt-grant.js';
import { secretOf } from './credentials.js';
import { timeoutMessage, toProbeFailure } from './failure.js';
import { toProbeSuccess } from './manifest.js';
import { discoverMcp } from './mcp-discovery.js';
import { createProbeSession } from './session.js';
import type {
  ProbeFailure,
  ProbeOptions,
  ProbeResult,
  UpstreamClient,
  UpstreamClientOptions,
  UpstreamTarget,
} from './types.js';

const defaultTimeoutMs = 8_000;
// How long past its deadline a probe may take to unwind before it is answered regardless.
const graceMs = 250;

/**
 * The one client Interchange uses to call inventory sources. Every request goes through the
 * SSRF-guarded outbound client; a probe never throws and never outlives its timeout by more
 * than a moment, even when the agent hangs.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const outbound = createOutboundClient({
    allowPrivateNetwork: options.allowPrivateNetwork,
    ...(options.trustedHosts && { trustedHosts: options.trustedHosts }),
  });
  const timeoutDefault = options.defaultTimeoutMs ?? defaultTimeoutMs;

  async function probe(target: UpstreamTarget, probeOptions: ProbeOptions = {}) {
    const timeoutMs = probeOptions.timeoutMs ?? timeoutDefault;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let host: string;
    try {
      host = new URL(target.endpointUrl).host;
    } catch {
      return invalidUrl(elapsed());
    }
    const controller = new AbortController();
    const deadline = setTimeout(() => {
      controller.abort(new OutboundTimeoutError('response', timeoutMessage({ host, timeoutMs })));
    }, timeoutMs);
    const session = createProbeSession(outbound.fetch, target, {
      at: Date.now() + timeoutMs,
      signal: controller.signal,
    });
    const discover = target.protocol === 'MCP' ? discoverMcp : discoverA2a;
    const failureOf = (error: unknown): ProbeFailure =>
      toProbeFailure(
        error,
        {
          protocol: target.protocol,
          host,
          timeoutMs,
          timedOut: controller.signal.aborted,
          authRefusal: session.authRefusal(),
          lastErrorStatus: session.lastErrorStatus(),
          secrets: [secretOf(target.auth) ?? ''],
        },
        elapsed(),
      );

    let hardStop: NodeJS.Timeout | undefined;
    const work = discover(target.endpointUrl, session).then(
      (discovery) => toProbeSuccess(discovery, elapsed()),
      failureOf,
    );
    // Protocol libraries honour the abort signal; this bounds the probe even if one does not.
    const overdue = new Promise<ProbeResult>((resolve) => {
      hardStop = setTimeout(() => resolve(failureOf(undefined)), timeoutMs + graceMs);
    });
    try {
      return await Promise.race([work, overdue]);
    } finally {
      clearTimeout(deadline);
      clearTimeout(hardStop);
      controller.abort();
    }
  }

  const tokens = createJwtTokenSource(outbound.fetch);
  return {
    probe,
    accessTokenFor: (grant, grantOptions = {}) =>
      tokens(grant, grantOptions.timeoutMs ?? timeoutDefault),
    close: () => outbound.close(),
  };
}

function invalidUrl(latencyMs: number): ProbeFailure {
  return {
    ok: false,
    latencyMs,
    error: { code: 'protocol_error', message: 'The endpoint URL is not a valid URL' },
  };
}
