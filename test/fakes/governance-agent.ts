import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** How the fake decides every check_governance it is asked. */
export type GovernanceVerdict = 'approved' | 'denied' | 'conditions' | 'hang';

export interface FakeGovernanceAgent {
  url: string;
  /** The token it requires as `Authorization: Bearer …`. */
  token: string;
  /** What it answers from now on. */
  decide(verdict: GovernanceVerdict): void;
  /** check_governance calls received (arguments, Authorization header), in order. */
  checks(): Array<{ args: Record<string, unknown>; authorization?: string }>;
  close(): Promise<void>;
}

/**
 * A buyer's governance agent on a loopback socket, speaking MCP (Streamable HTTP, JSON answers)
 * and answering check_governance in AdCP 3.1.19's governance/check-governance-response.json
 * shape: check_id, verdict, plan_id echoed, explanation; findings on a denial or conditions;
 * conditions with a machine-actionable required_value; a governance_context token and expiry
 * on an approval. Or it hangs (an unreachable agent). A wrong or missing token is HTTP 401.
 */
export async function startFakeGovernanceAgent(
  verdict: GovernanceVerdict = 'approved',
): Promise<FakeGovernanceAgent> {
  const token = `gov-token-${randomUUID().replaceAll('-', '')}`;
  let current = verdict;
  const checks: Array<{ args: Record<string, unknown>; authorization?: string }> = [];
  const held: ServerResponse[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || 'null') as {
      method?: string;
      params?: { name: string; arguments?: Record<string, unknown> };
    } | null;
    if (body?.method === 'tools/call' && body.params?.name === 'check_governance') {
      checks.push({ args: body.params.arguments ?? {}, authorization: req.headers.authorization });
      if (current === 'hang') return void held.push(res);
    }
    const server = new McpServer({ name: 'fake governance agent', version: '0.1.0' });
    server.registerTool('check_governance', {}, async () => {
      const args = checks.at(-1)?.args ?? {};
      const data = verdictFor(current, String(args['plan_id']));
      return {
        content: [{ type: 'text' as const, text: JSON.stringify(data) }],
        structuredContent: data,
      };
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    await server.close();
  };
  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    token,
    decide: (next) => (current = next),
    checks: () => checks,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function verdictFor(verdict: GovernanceVerdict, planId: string): Record<string, unknown> {
  const base = { check_id: `chk_${randomUUID()}`, plan_id: planId, mode: 'enforce' };
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  if (verdict === 'denied') {
    return {
      ...base,
      verdict: 'denied',
      explanation: 'Requested budget exceeds the plan total of 10000 USD',
      findings: [
        {
          category_id: 'budget_compliance',
          severity: 'critical',
          explanation: 'Total budget 50000 exceeds plan budget 10000',
        },
      ],
    };
  }
  if (verdict === 'conditions') {
    return {
      ...base,
      verdict: 'conditions',
      explanation: 'Approved if the frequency cap is applied',
      conditions: [{ field: 'packages[0].frequency_cap.max_impressions', required_value: 3 }],
      findings: [{ category_id: 'brand_safety', severity: 'warning', explanation: 'CTV cap' }],
      governance_context: `gc.${randomUUID()}`,
      expires_at: expiresAt,
    };
  }
  return {
    ...base,
    verdict: 'approved',
    explanation: 'Within plan budget and flight',
    governance_context: `gc.${randomUUID()}`,
    expires_at: expiresAt,
  };
}
