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
}): Promise<AgentA2a> {
  const { server, card, logger, authenticate, taskStore } = options;
  const described = options.skillDescriptions ?? {};
  // @adcp/sdk leaves get_adcp_capabilities out of the skills it derives, and AdCP clients
  // then treat the agent as protocol v2; so derive them once, then declare them with it.
  const derived = await createA2AAdapter({ server, agentCard: card, logger }).getAgentCard();
  const adapter = createA2AAdapter({
    server,
    logger,
    agentCard: {
      ...card,
      skills: withCapabilitiesSkill(derived.skills).map((skill) => ({
        ...skill,
        description: described[skill.id] ?? skill.description,
      })),
    },
    ...(authenticate && { authenticate }),
    ...(taskStore && { taskStore }),
  });
  return {
    agentCard: await adapter.getAgentCard(),
    jsonRpcHandler: adapter.jsonRpcHandler as ExpressStyleHandler,
  };
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
