import { randomUUID } from 'node:crypto';
import type { MessageSendParams } from '@a2a-js/sdk';
import { A2AClient } from '@a2a-js/sdk/client';
import { buildCardUrls } from '@adcp/sdk';
import type { ProbeSession } from '../session.js';

/**
 * An A2A client for the agent at `baseUrl`, found the way @adcp/sdk's client finds it: the
 * agent card at agent.json, then agent-card.json under the base URL.
 */
export async function connectA2a(baseUrl: string, session: ProbeSession): Promise<A2AClient> {
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

/** A message invoking one AdCP skill: a single DataPart naming the skill and its arguments. */
export function skillMessage(skill: string, args: Record<string, unknown>): MessageSendParams {
  return {
    message: {
      kind: 'message',
      role: 'user',
      messageId: randomUUID(),
      // AdCP-over-A2A names the arguments `input`; @adcp/sdk's own client and older sellers
      // use `parameters`. Sending both reaches either.
      parts: [{ kind: 'data', data: { skill, input: args, parameters: args } }],
    },
  };
}
