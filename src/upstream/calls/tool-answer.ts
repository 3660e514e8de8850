import { redactSecrets } from '../credentials/auth.js';
import { isRecord } from '../../platform/is-record.js';
import type { ToolAnswer } from './tool-call.js';
import type {
  ToolCallFailure,
  ToolCallResult,
  ToolCallStatus,
  UpstreamProtocol,
} from '../types.js';

export interface AnswerContext {
  protocol: UpstreamProtocol;
  host: string;
  tool: string;
  /** Credentials to redact from anything taken from the agent's answer. */
  secrets: string[];
  latencyMs: number;
}

const asyncStatuses = new Set<string>(['submitted', 'working', 'input-required']);
// Fields an AdCP error-arm response may carry besides `errors`. A payload with anything else
// (products, media_buy_id, task_id) is an answer whose `errors` are warnings.
const errorArmFields = new Set(['errors', 'context', 'ext', 'status', 'message', 'adcp_version']);
const maxMessageLength = 500;
const maxDetailsLength = 16_000;

/**
 * Maps an agent's answer to a tool call. An answer is a tool_error when the transport marks it
 * failed, or its payload is an AdCP error (`adcp_error`, or an `errors[]` error arm); otherwise
 * it is data, with the AdCP task status when the agent answered with an async task envelope.
 */
export function toToolCallResult<T>(answer: ToolAnswer, context: AnswerContext): ToolCallResult<T> {
  const { host, tool, protocol, latencyMs } = context;
  switch (answer.kind) {
    case 'unreadable':
      return failure(context, 'protocol_error', `${host} answered ${tool} without an AdCP payload`);
    case 'auth_required':
      return failure(context, 'unauthorized', `${host} asked for other credentials for ${tool}`);
    case 'rpc_error':
      return failure(
        context,
        'protocol_error',
        `${host} returned ${protocol} error ${answer.code} to the ${tool} call`,
        { code: answer.code, message: answer.message },
      );
    case 'refused':
      return toolError(context, answer.payload, answer.text);
    case 'payload': {
      const { payload } = answer;
      const errors = Array.isArray(payload['errors']) ? payload['errors'] : [];
      const errorArm =
        errors.length > 0 && Object.keys(payload).every((k) => errorArmFields.has(k));
      if (isRecord(payload['adcp_error']) || errorArm) return toolError(context, payload);
      const status = [answer.state, payload['status']].find(isAsyncStatus) ?? 'completed';
      const taskId = typeof payload['task_id'] === 'string' ? payload['task_id'] : answer.taskId;
      return {
        ok: true,
        latencyMs,
        data: payload as T,
        status,
        ...(status !== 'completed' && taskId && { taskId }),
      };
    }
  }
}

/** The agent's own error, named by its code and message and kept whole in `details`. */
function toolError(
  context: AnswerContext,
  payload: Record<string, unknown> | undefined,
  text?: string,
): ToolCallFailure {
  const adcpError = payload?.['adcp_error'];
  const errors = Array.isArray(payload?.['errors']) ? payload['errors'] : [];
  // An A2A failure without an AdCP error, e.g. @adcp/sdk's `{reason: 'HANDLER_THREW', message}`.
  const first = isRecord(adcpError) ? adcpError : isRecord(errors[0]) ? errors[0] : payload;
  const code = stringOf(first?.['code']) ?? stringOf(first?.['reason']) ?? 'unknown';
  const said = stringOf(first?.['message']) ?? text ?? 'no message';
  const details = isRecord(adcpError) ? adcpError : errors.length > 0 ? { errors } : payload;
  const message = `${context.host} rejected ${context.tool} (${code}): ${said}`;
  return failure(context, 'tool_error', message, details ?? (text ? { message: text } : undefined));
}

function failure(
  context: AnswerContext,
  code: ToolCallFailure['error']['code'],
  message: string,
  details?: unknown,
): ToolCallFailure {
  const safe = truncate(redactSecrets(message, context.secrets).replace(/\s+/g, ' '));
  const safeDetails = details === undefined ? undefined : redactDeep(details, context.secrets);
  return {
    ok: false,
    latencyMs: context.latencyMs,
    error: { code, message: safe, ...(safeDetails !== undefined && { details: safeDetails }) },
  };
}

// Redacts through the serialised form, so the secret is caught in keys, nested strings and
// escaped text alike; an oversized answer is left out rather than carried around.
function redactDeep(value: unknown, secrets: string[]): unknown {
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined;
  }
  if (json === undefined || json.length > maxDetailsLength) return undefined;
  const escaped = secrets.map((secret) => JSON.stringify(secret).slice(1, -1));
  try {
    return JSON.parse(redactSecrets(json, [...escaped, ...secrets])) as unknown;
  } catch {
    return undefined;
  }
}

const isAsyncStatus = (value: unknown): value is ToolCallStatus =>
  typeof value === 'string' && asyncStatuses.has(value);

const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const truncate = (text: string): string =>
  text.length > maxMessageLength ? `${text.slice(0, maxMessageLength - 1)}…` : text;
