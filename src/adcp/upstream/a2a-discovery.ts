import { randomUUID } from 'node:crypto';
import type { AgentCard } from '@a2a-js/sdk';
import { A2AClient } from '@a2a-js/sdk/client';
import { buildCardUrls } from '@adcp/sdk';
import { capabilitiesTool, readCapabilities, type Discovery } from './discovery.js';
import type { ProbeSession } from './session.js';

/**
 * Talks to an A2A agent the way @adcp/sdk's client does: find the agent card (agent.json,
 * then agent-card.json under the base URL), read its skills, and send get_adcp_capabilities
 * as a DataPart message when it is a skill.
 */
export async function discoverA2a(baseUrl: string, session: ProbeSession): Promise<Discovery> {
  const client = await connect(baseUrl, session);
  const card = await client.getAgentCard();
  const tools = (card.skills ?? []).map((skill) => skill.id || skill.name);
  let capabilities: Record<string, unknown> | undefined;
  if (tools.includes(capabilitiesTool)) {
    const response = await client.sendMessage({
      message: {
        kind: 'message',
        role: 'user',
        messageId: randomUUID(),
        // AdCP-over-A2A names the arguments `input`; @adcp/sdk's own client and older sellers
        // use `parameters`. Sending both reaches either.
        parts: [{ kind: 'data', data: { skill: capabilitiesTool, input: {}, parameters: {} } }],
      },
    });
    capabilities = readCapabilities(response, 'a2a');
  }
  return { agentName: card.name || null, tools, capabilities, authTypes: authTypesOf(card) };
}

async function connect(baseUrl: string, session: ProbeSession): Promise<A2AClient> {
  let lastError: unknown;
  for (const cardUrl of buildCardUrls(baseUrl)) {
    try {
      return await A2AClient.fromCardUrl(cardUrl, { fetchImpl: session.fetch });
    } catch (error) {
      lastError = error;
      // Only a missing card is worth looking for elsewhere.
      if (session.lastErrorStatus() !== 404) break;
    }
  }
  throw lastError;
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
