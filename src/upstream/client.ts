import { createOutboundClient } from '../platform/outbound/index.js';
import { discoverA2a } from './probe/a2a.js';
import { runBounded } from './bounded.js';
import { createJwtTokenSource } from './credentials/jwt-grant.js';
import { toProbeSuccess } from './probe/manifest.js';
import { discoverMcp } from './probe/mcp.js';
import { toToolCallResult } from './calls/tool-answer.js';
import { createMcpClientCache } from './connections/mcp-client-cache.js';
import type { ProbeSession } from './session.js';
import { callA2aTool, callMcpTool } from './calls/tool-call.js';
import type {
  ProbeOptions,
  ProbeResult,
  ToolCallOptions,
  ToolCallResult,
  UpstreamClient,
  UpstreamClientOptions,
  UpstreamTarget,
} from './types.js';

const defaultTimeoutMs = 8_000;

/**
 * The one client Interchange uses to call inventory sources. Every request goes through the
 * SSRF-guarded outbound client; a probe or tool call never throws and never outlives its
 * timeout by more than a moment, even when the agent hangs.
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const outbound = createOutboundClient({
    allowPrivateNetwork: options.allowPrivateNetwork,
    ...(options.trustedHosts && { trustedHosts: options.trustedHosts }),
  });
  const timeoutDefault = options.defaultTimeoutMs ?? defaultTimeoutMs;

  function probe(target: UpstreamTarget, probeOptions: ProbeOptions = {}): Promise<ProbeResult> {
    const timeoutMs = probeOptions.timeoutMs ?? timeoutDefault;
    const discover = target.protocol === 'MCP' ? discoverMcp : discoverA2a;
    return runBounded(
      outbound.fetch,
      target,
      { timeoutMs, operation: 'probe' },
      async ({ session, elapsedMs }) =>
        toProbeSuccess(
          await discover(target.endpointUrl, session, probeOptions.speaks31 === true),
          elapsedMs(),
        ),
    );
  }

  // MCP tool calls reuse a connected client per credential owner, source and credential (one
  // POST per call); each request still runs through the calling session's fetch, deadline and
  // credentials.
  const mcpClients = createMcpClientCache();

  function callTool<T = unknown>(
    target: UpstreamTarget,
    tool: string,
    args: Record<string, unknown>,
    callOptions: ToolCallOptions = {},
  ): Promise<ToolCallResult<T>> {
    const timeoutMs = callOptions.timeoutMs ?? timeoutDefault;
    const call = (session: ProbeSession) =>
      target.protocol === 'MCP'
        ? callMcpTool((work) => mcpClients.use(target, session, work), tool, args)
        : callA2aTool(target.endpointUrl, session, tool, args);
    return runBounded(
      outbound.fetch,
      target,
      {
        timeoutMs,
        operation: `${tool} call`,
        ...(callOptions.signal && { signal: callOptions.signal }),
      },
      async ({ session, host, secrets, elapsedMs }) =>
        toToolCallResult<T>(await call(session), {
          protocol: target.protocol,
          host,
          tool,
          secrets,
          latencyMs: elapsedMs(),
        }),
    );
  }

  const tokens = createJwtTokenSource(outbound.fetch);
  return {
    probe,
    callTool,
    accessTokenFor: (grant, grantOptions) =>
      tokens(grant, grantOptions.owner, grantOptions.timeoutMs ?? timeoutDefault),
    close: async () => {
      await mcpClients.close();
      await outbound.close();
    },
  };
}
