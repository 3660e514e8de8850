import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface FakeCreativeVerifier {
  url: string;
  /** get_creative_features calls received (their arguments), in order. */
  calls(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A governance agent on a loopback socket that a seller lists in `accepted_verifiers`, speaking
 * MCP (Streamable HTTP, JSON answers) and answering get_creative_features in AdCP 3.1.19's
 * creative/get-creative-features-response.json shape. Its AI detector: an image asset whose URL
 * contains "synthetic" is `ai_generated` true at confidence 0.97, any other false at 0.9. A
 * provenance claiming human oversight (edited or directed) with `disclosure.required: false`
 * gets an OVERSIGHT_DISCLOSURE_CARVEOUT_CLAIMED audit observation
 * (creative/audit-observation.json). Every answer also carries a `detail_url` and an `ext` of its
 * own, which a seller must not pass on.
 */
export async function startFakeCreativeVerifier(): Promise<FakeCreativeVerifier> {
  const calls: Array<Record<string, unknown>> = [];
  let url = '';
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || 'null') as {
      method?: string;
      params?: { name: string; arguments?: Record<string, unknown> };
    } | null;
    if (body?.method === 'tools/call' && body.params?.name === 'get_creative_features') {
      calls.push(body.params.arguments ?? {});
    }
    const server = new McpServer({ name: 'fake creative verifier', version: '0.1.0' });
    server.registerTool('get_creative_features', {}, async () => {
      const data = featuresFor(calls.at(-1) ?? {}, url);
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
  url = `http://127.0.0.1:${port}/mcp`;
  return {
    url,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

type Json = Record<string, unknown>;

function featuresFor(args: Json, url: string): Json {
  const manifest = (args['creative_manifest'] ?? {}) as Json;
  const assets = Object.values((manifest['assets'] ?? {}) as Record<string, Json>);
  const synthetic = assets.some((a) => String(a['url'] ?? '').includes('synthetic'));
  const provenance = (manifest['provenance'] ?? {}) as Json;
  const disclosure = (provenance['disclosure'] ?? {}) as Json;
  const oversight = provenance['human_oversight'];
  const carveOut =
    (oversight === 'edited' || oversight === 'directed') && disclosure['required'] === false;
  return {
    results: [
      {
        feature_id: 'ai_generated',
        value: synthetic,
        confidence: synthetic ? 0.97 : 0.9,
        details: { model: 'fake-detector-2', tenant_notes: 'not for the buyer' },
      },
    ],
    detail_url: 'https://verifier.example/reports/internal-123',
    ...(carveOut && {
      audit_observations: [
        {
          code: 'OVERSIGHT_DISCLOSURE_CARVEOUT_CLAIMED',
          severity: 'audit-worthy',
          recovery: 'informational',
          field: 'creative_manifest.provenance.disclosure.required',
          message: 'Carve-out claimed: human oversight with no disclosure',
          details: {
            agent_url: url,
            feature_id: 'ai_generated',
            claimed_value: { human_oversight: oversight, disclosure_required: false },
          },
        },
      ],
    }),
    ext: { internal_score: 42 },
  };
}
