import { toMcpResponse } from '@adcp/sdk/server';
import { isRecord } from '../../../platform/is-record.js';

/** How the storefront's test controller (controller.ts) reshapes the SDK's controller answers. */

type ControllerAnswer = Parameters<typeof toMcpResponse>[0];
// cast: a source's controller answer, as AdCP shapes it (comply-test-controller-response.json)
export const asAnswer = (answer: Record<string, unknown>) => answer as unknown as ControllerAnswer;

/** The SDK's answer with why the storefront's own book holds the fixture (`ext.interchange`). */
export function withInterchangeNote<T>(answer: T, note: Record<string, unknown>): T {
  const content = (answer as { structuredContent?: unknown }).structuredContent;
  if (!isRecord(content) || content['success'] !== true) return answer;
  const ext = isRecord(content['ext']) ? content['ext'] : {};
  // The SDK's MCP answer, rebuilt from its structured content as withOwnScenarios does.
  return toMcpResponse(asAnswer({ ...content, ext: { ...ext, interchange: note } })) as T;
}

/** Scenarios the SDK's controller dispatches but (6.11) leaves out of list_scenarios. */
const listedToo = ['seed_creative_format'];

/**
 * The SDK's list_scenarios answer with ours (`own`) added, keeping those `served` (structured
 * content and text alike).
 */
export function withOwnScenarios<T>(
  answer: T,
  own: readonly string[],
  served: (scenario: unknown) => boolean = () => true,
): T {
  const result = answer as { structuredContent?: { scenarios?: unknown } };
  const scenarios = result.structuredContent?.scenarios;
  if (!Array.isArray(scenarios)) return answer;
  const all = [...new Set([...scenarios, ...own, ...listedToo])].filter(served);
  return toMcpResponse({
    ...(result.structuredContent as object),
    success: true,
    scenarios: all,
  } as Parameters<typeof toMcpResponse>[0]) as T;
}
