import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callMcpTool } from './tool-call.js';
import { toToolCallResult } from './tool-answer.js';
import type { ToolCallResult } from '../types.js';

/**
 * Calls an AdCP tool over an MCP client this process connected itself (an in-memory transport
 * into one of its own storefront agents), and reads the answer exactly as a remote agent's
 * (tool-answer.ts). `connect` gets the deadline's signal: work it has not started by then must
 * not start. Never throws; answers a 'timeout' failure at the deadline even if the agent
 * is still working.
 */
export async function callInProcessTool<T = unknown>(
  connect: <R>(work: (client: Client) => Promise<R>, signal: AbortSignal) => Promise<R>,
  agentName: string,
  tool: string,
  args: Record<string, unknown>,
  options: { timeoutMs: number },
): Promise<ToolCallResult<T>> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ToolCallResult<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        ok: false,
        latencyMs: latencyMs(),
        error: {
          code: 'timeout',
          message: `${agentName} did not answer ${tool} within ${options.timeoutMs} ms`,
        },
      });
    }, options.timeoutMs);
  });
  const call = (async (): Promise<ToolCallResult<T>> => {
    try {
      const answer = await callMcpTool(
        (work) =>
          connect(
            (client) =>
              work(client, () => ({ signal: controller.signal, timeout: options.timeoutMs })),
            controller.signal,
          ),
        tool,
        args,
      );
      return toToolCallResult<T>(answer, {
        protocol: 'MCP',
        host: agentName,
        tool,
        secrets: [],
        latencyMs: latencyMs(),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        latencyMs: latencyMs(),
        error: { code: 'protocol_error', message: `${agentName} failed ${tool}: ${message}` },
      };
    }
  })();
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
