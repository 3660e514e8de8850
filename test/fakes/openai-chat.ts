import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat-completions request the fake received. */
export interface ChatCall {
  path: string;
  authorization: string | undefined;
  body: {
    model?: string;
    response_format?: { type?: string };
    messages?: Array<{ role: string; content: string }>;
  };
}

/** What the fake does with a user message: answer this content, or misbehave. */
export type ChatReply =
  { content: string } | { delayMs: number; content: string } | { status: number; body: string };

export interface FakeChat {
  /** The API base (the client appends /chat/completions). */
  url: string;
  calls(): ChatCall[];
  close(): Promise<void>;
}

/**
 * A fake of the OpenAI chat-completions API (`POST /v1/chat/completions`, answering
 * `{ id, object: 'chat.completion', choices: [{ index, message: { role, content },
 * finish_reason }] }`) on a loopback socket; `reply` chooses each answer from the last user
 * message. It records what it received.
 */
export async function startFakeChat(reply: (userMessage: string) => ChatReply): Promise<FakeChat> {
  const calls: ChatCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return void res.writeHead(404).end();
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as ChatCall['body'];
    calls.push({ path: req.url, authorization: req.headers.authorization, body });
    const user = body.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    const answer = reply(user);
    if ('status' in answer) {
      return void res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(answer.body);
    }
    const send = () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${calls.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: answer.content },
              finish_reason: 'stop',
            },
          ],
        }),
      );
    if ('delayMs' in answer) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) send();
      }, answer.delayMs);
      timers.add(timer);
    } else send();
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls: () => calls,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
