import type { AgentCard } from '@a2a-js/sdk';
import type { TaskStore } from '@a2a-js/sdk/server';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  createA2AAdapter,
  type A2AAgentCardOverrides,
  type AdcpLogger,
  type AdcpServer,
} from '@adcp/sdk/server';
import type { IncomingMessage } from 'node:http';
import type { ExpressStyleHandler } from './express-bridge.js';
import { isRecord } from '../../platform/is-record.js';
import { schemaExtension, withExamples } from './tool-schemas/index.js';

type AgentSkill = NonNullable<A2AAgentCardOverrides['skills']>[number];

/** Where the A2A agent card is served, relative to the A2A endpoint. */
export const agentCardPaths = ['/.well-known/agent-card.json', '/.well-known/agent.json'];

export interface AgentA2a {
  agentCard: AgentCard;
  jsonRpcHandler: ExpressStyleHandler;
}

/**
 * An AdCP server over A2A through @adcp/sdk's adapter. `authenticate` (when given) turns the
 * raw request into the caller's principal; requests it answers null for are refused.
 * `taskStore` replaces the adapter's default, which hands any task to whoever names its id.
 */
export async function createAgentA2a(options: {
  server: AdcpServer;
  card: A2AAgentCardOverrides;
  logger: AdcpLogger;
  authenticate?: (req: IncomingMessage) => Promise<AuthInfo | null>;
  taskStore?: TaskStore;
  /** What each skill does, in the agent's words (the SDK's derived text is generic). */
  skillDescriptions?: Readonly<Record<string, string>>;
  /**
   * The origin the request schemas are served at (tool-schemas/routes.ts): each skill gets
   * examples of its input and the card an extension linking its schema per AdCP release.
   */
  toolSchemasOrigin?: string;
}): Promise<AgentA2a> {
  const { server, card, logger, authenticate, taskStore, toolSchemasOrigin } = options;
  const described = options.skillDescriptions ?? {};
  // @adcp/sdk leaves get_adcp_capabilities out of the skills it derives, and AdCP clients
  // then treat the agent as protocol v2; so derive them once, then declare them with it.
  const derived = await createA2AAdapter({ server, agentCard: card, logger }).getAgentCard();
  const skills = withCapabilitiesSkill(derived.skills).map((skill) => ({
    ...skill,
    description: described[skill.id] ?? skill.description,
  }));
  const capabilities = card.capabilities ?? derived.capabilities;
  const adapter = createA2AAdapter({
    server,
    logger,
    agentCard: {
      ...card,
      ...(toolSchemasOrigin === undefined
        ? { skills }
        : {
            skills: skills.map(withExamples),
            capabilities: {
              ...capabilities,
              extensions: [
                ...(capabilities.extensions ?? []),
                schemaExtension(
                  toolSchemasOrigin,
                  skills.map((skill) => skill.id),
                ),
              ],
            },
          }),
    },
    ...(authenticate && { authenticate }),
    ...(taskStore && { taskStore }),
  });
  const handler = adapter.jsonRpcHandler as ExpressStyleHandler;
  return {
    agentCard: await adapter.getAgentCard(),
    jsonRpcHandler: taskStore ? newTaskForUnknownIds(handler, taskStore) : handler,
  };
}

/**
 * A message naming a task this caller has none of starts a new task instead of failing "Task
 * not found". @adcp/sdk 6.11's client sends the AdCP `task_id` of a submitted answer as the A2A
 * `taskId` of its next message (an A2A task it never had: the adapter completes the A2A task
 * and names the AdCP one in its artifact), so every call after a submitted answer failed over
 * A2A for a buyer on the official client. Another caller's task id is one this caller has none
 * of: it learns nothing, and the task stays that caller's.
 */
function newTaskForUnknownIds(handler: ExpressStyleHandler, tasks: TaskStore): ExpressStyleHandler {
  return async (req, res, next) => {
    const message = messageOf((req as { body?: unknown }).body);
    if (typeof message?.['taskId'] === 'string' && !(await tasks.load(message['taskId']))) {
      delete message['taskId'];
    }
    return handler(req, res, next);
  };
}

/** The message of a JSON-RPC message/send or message/stream request, as sent. */
function messageOf(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body) || (body['method'] !== 'message/send' && body['method'] !== 'message/stream'))
    return undefined;
  const params = body['params'];
  return isRecord(params) && isRecord(params['message']) ? params['message'] : undefined;
}

function withCapabilitiesSkill(skills: AgentSkill[]): AgentSkill[] {
  // Protocol plumbing such as `tasks/get` is not an AdCP skill.
  const tools = skills.filter((skill) => !skill.id.includes('/'));
  if (tools.some((skill) => skill.id === 'get_adcp_capabilities')) return tools;
  return [
    ...tools,
    {
      id: 'get_adcp_capabilities',
      name: 'get_adcp_capabilities',
      description:
        'AdCP capability discovery: protocols, channels, publisher domains and pricing models.',
      tags: ['adcp'],
    },
  ];
}
