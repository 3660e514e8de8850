import type { AgentCard } from '@a2a-js/sdk';
import { connectA2a, skillMessage } from '../connections/a2a.js';
import {
  askCapabilities,
  capabilitiesTool,
  readCapabilities,
  type Discovery,
} from './discovery.js';
import type { ProbeSession } from '../session.js';

/**
 * Talks to an A2A agent the way @adcp/sdk's client does: find the agent card (agent.json,
 * then agent-card.json under the base URL), read its skills, and send get_adcp_capabilities
 * as a DataPart message when it is a skill (askCapabilities).
 */
export async function discoverA2a(
  baseUrl: string,
  session: ProbeSession,
  speaks31: boolean,
): Promise<Discovery> {
  const client = await connectA2a(baseUrl, session);
  const card = await client.getAgentCard();
  const tools = (card.skills ?? []).map((skill) => skill.id || skill.name);
  const capabilities = tools.includes(capabilitiesTool)
    ? await askCapabilities(
        async (args) =>
          readCapabilities(await client.sendMessage(skillMessage(capabilitiesTool, args)), 'a2a'),
        speaks31,
      )
    : undefined;
  return { agentName: card.name || null, tools, capabilities, authTypes: authTypesOf(card) };
}

/** The card's security schemes, named the way operators know them. */
function authTypesOf(card: AgentCard): string[] {
  return Object.values(card.securitySchemes ?? {}).map((scheme) => {
    switch (scheme.type) {
      case 'http':
        return scheme.scheme.toLowerCase();
      case 'apiKey':
        return 'api_key';
      case 'oauth2':
        return 'oauth2';
      case 'openIdConnect':
        return 'openid_connect';
      default:
        return 'mutual_tls';
    }
  });
}
