import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  OutboundBlockedError,
  OutboundError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
} from '../platform/outbound/index.js';
import { redactSecrets } from './credentials/auth.js';
import type { ProbeErrorCode, ProbeFailure, UpstreamProtocol } from './types.js';

export interface FailureContext {
  protocol: UpstreamProtocol;
  host: string;
  timeoutMs: number;
  /** What was under way, for messages: 'probe' or e.g. 'get_products call'. */
  operation: string;
  /** The call's own deadline passed (or it was cancelled), whatever the error says. */
  timedOut: boolean;
  /** The caller cancelled the call. */
  cancelled?: boolean;
  /** 401 or 403 when the agent refused the credentials at some point. */
  authRefusal: number | undefined;
  lastErrorStatus: number | undefined;
  /** Values that must never appear in a message (the credentials). */
  secrets: string[];
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
]);

/**
 * Classifies why a probe or tool call failed. Messages are composed here from the error's kind, never
 * copied from the agent's answer (which may echo headers), and scrubbed of the credentials.
 */
export function toProbeFailure(
  error: unknown,
  context: FailureContext,
  latencyMs: number,
): ProbeFailure {
  const [code, message] = classify(error, context);
  return {
    ok: false,
    latencyMs,
    error: { code, message: redactSecrets(message, context.secrets) },
  };
}

export function timeoutMessage(context: Pick<FailureContext, 'host' | 'timeoutMs'>): string {
  return `${context.host} did not finish answering within ${context.timeoutMs} ms`;
}

function classify(error: unknown, context: FailureContext): [ProbeErrorCode, string] {
  const { host, protocol, operation } = context;
  // Cancelling is the caller's deadline passing: AdCP callers treat both the same way.
  if (context.cancelled) return ['timeout', `The ${operation} to ${host} was cancelled`];
  const chain = causesOf(error);
  const mcpTimeout = chain.some(
    (e) => e instanceof McpError && e.code === ErrorCode.RequestTimeout,
  );
  if (context.timedOut || mcpTimeout) return ['timeout', timeoutMessage(context)];
  const blocked = chain.find((e) => e instanceof OutboundBlockedError);
  if (blocked instanceof OutboundBlockedError) {
    // We refuse redirects on credentialed requests ourselves; that is the agent's setup.
    return blocked.reason === 'redirect_refused'
      ? ['protocol_error', redirectMessage(host)]
      : ['blocked', blocked.message];
  }
  const outbound = chain.find((e) => e instanceof OutboundError);
  if (outbound instanceof OutboundTimeoutError) return ['timeout', outbound.message];
  if (outbound instanceof OutboundResponseTooLargeError) {
    return ['protocol_error', outbound.message];
  }
  const status = chain.find((e) => e instanceof StreamableHTTPError)?.code;
  const refusal =
    context.authRefusal ??
    (status === 401 || status === 403 ? status : undefined) ??
    (chain.some((e) => e instanceof UnauthorizedError) ? 401 : undefined);
  if (refusal) {
    const sent = context.secrets.some(Boolean);
    const what = sent ? 'refused the credentials' : 'requires credentials';
    return ['unauthorized', `${host} ${what} (HTTP ${refusal})`];
  }
  const network = chain.map((e) => (e as { code?: unknown }).code).find(isUnreachableCode);
  if (network) return ['unreachable', `Could not reach ${host} (${network})`];
  const httpStatus = typeof status === 'number' && status > 0 ? status : context.lastErrorStatus;
  if (httpStatus && httpStatus >= 300 && httpStatus < 400) {
    return ['protocol_error', redirectMessage(host, httpStatus)];
  }
  if (httpStatus) {
    return [
      'protocol_error',
      `${host} answered HTTP ${httpStatus} to the ${protocol} ${operation}`,
    ];
  }
  const rpc = chain.find((e) => e instanceof McpError);
  if (rpc instanceof McpError) {
    return ['protocol_error', `${host} returned MCP error ${rpc.code} during the ${operation}`];
  }
  if (chain.some((e) => e instanceof SyntaxError)) {
    return ['protocol_error', `${host} answered with something that is not valid ${protocol} JSON`];
  }
  return ['protocol_error', `${host} did not answer as an AdCP agent over ${protocol}`];
}

function redirectMessage(host: string, status?: number): string {
  const code = status ? ` (HTTP ${status})` : '';
  return `${host} answered with a redirect${code}; register the endpoint URL it redirects to`;
}

function isUnreachableCode(code: unknown): code is string {
  return typeof code === 'string' && unreachableCodes.has(code);
}

function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 8;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}
