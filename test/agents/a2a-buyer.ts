import { randomUUID } from 'node:crypto';
import { A2AClient } from '@a2a-js/sdk/client';

/*
 * An AdCP buyer over A2A, as one would hold it: the official @a2a-js/sdk client, found from the
 * storefront agent's card, each call a message/send of one AdCP skill whose answer is the
 * task's (or message's) data part.
 */

type Part = { kind: string; data?: unknown };

function dataOf(result: Record<string, unknown>): Record<string, unknown> | undefined {
  const artifacts = (result['artifacts'] as Array<{ parts: Part[] }> | undefined) ?? [];
  const status = result['status'] as { message?: { parts: Part[] } } | undefined;
  const parts = [
    ...artifacts.flatMap((a) => a.parts),
    ...(status?.message?.parts ?? []),
    ...((result['parts'] as Part[] | undefined) ?? []),
  ];
  return parts.find((p) => p.kind === 'data')?.data as Record<string, unknown> | undefined;
}

export async function a2aBuyer(baseUrl: string, platformId: string, key: string) {
  // The card names the instance's configured public URL; the test server listens on a port of
  // its own, so every request goes to that server's origin (as DNS would send it in production).
  const origin = new URL(baseUrl).origin;
  const fetchImpl: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${key}`);
    return fetch(`${origin}${url.pathname}${url.search}`, { ...init, headers });
  };
  const client = await A2AClient.fromCardUrl(
    `${baseUrl}/adcp/storefront-${platformId}/a2a/.well-known/agent-card.json`,
    { fetchImpl },
  );
  return {
    /**
     * Calls a skill; answers the AdCP payload with the task's state (`completed`, …). `taskId`:
     * the message continues that task (as @adcp/sdk's client names a submitted answer's task).
     */
    async call(skill: string, input: Record<string, unknown> = {}, taskId?: string) {
      const response = (await client.sendMessage({
        message: {
          kind: 'message',
          role: 'user',
          messageId: randomUUID(),
          parts: [{ kind: 'data', data: { skill, input } }],
          ...(taskId && { taskId }),
        },
      })) as unknown as { result?: Record<string, unknown>; error?: { message?: string } };
      if (!response.result) throw new Error(`A2A ${skill}: ${JSON.stringify(response.error)}`);
      const status = response.result['status'] as { state?: string } | undefined;
      const state = response.result['kind'] === 'message' ? 'completed' : status?.state;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
      return { state, ...(dataOf(response.result) ?? {}) } as any;
    },
  };
}
