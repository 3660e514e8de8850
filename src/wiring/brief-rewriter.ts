import { createOutboundClient, hostKey } from '../platform/outbound/index.js';
import { type BriefRewriter, createBriefRewriter } from '../sources/brief-rewrite/index.js';
import type { Config } from '../config.js';

/** The largest answer the language model may send (an ask is a few hundred bytes). */
const maxAnswerBytes = 64 * 1024;

/**
 * The operator's language-model endpoint for brief rewrites, when configured: its own guarded
 * client (the configured host is trusted as the operator's; any redirect is refused), the
 * call's deadline and a 64 KiB answer cap.
 */
export function briefRewriterOf(
  config: Pick<Config, 'allowPrivateNetwork'> & Partial<Pick<Config, 'briefLlm'>>,
  onError?: (error: unknown, context: string) => void,
): { briefRewriter: BriefRewriter | undefined; close: () => Promise<void> } {
  const llm = config.briefLlm;
  if (!llm) return { briefRewriter: undefined, close: async () => undefined };
  const client = createOutboundClient({
    allowPrivateNetwork: config.allowPrivateNetwork,
    trustedHosts: new Set([hostKey(new URL(llm.url))]),
    responseTimeoutMs: llm.timeoutMs,
    maxResponseBytes: maxAnswerBytes,
  });
  const briefRewriter = createBriefRewriter({
    url: llm.url,
    model: llm.model,
    apiKey: llm.apiKey,
    fetch: client.fetch,
    timeoutMs: llm.timeoutMs,
    onError: (message) => onError?.(new Error(message), 'brief rewrite'),
  });
  return { briefRewriter, close: () => client.close() };
}
