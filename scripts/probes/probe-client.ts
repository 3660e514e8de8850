import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers read as arbitrary JSON
export type Json = any;
export type Answer = { status: number; body: Json; ms: number };

export const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
export const cut = (text: unknown, n = 110) => String(text).replace(/\s+/g, ' ').slice(0, n);

/** An answer as one table cell: its status, and its error's code, field and message. */
export const said = (a: Answer) =>
  a.body?.error
    ? `${a.status} ${a.body.error.code}${a.body.error.field ? ` (${a.body.error.field})` : ''}: ${cut(a.body.error.message, 90)}`
    : String(a.status);

/**
 * A probe's way to a running server, as its users reach it: REST with a key, customers made
 * with the admin key, a buyer's MCP client with the official SDK, and the steps it took, each
 * with what a trustworthy storefront answers, what this server got and how long it took.
 */
export function probeClient(base: string, adminKey: string, clientName: string) {
  const rows: Array<[string, string, string, number]> = [];

  async function api(method: string, path: string, key: string, body?: unknown): Promise<Answer> {
    const started = Date.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    let parsed: Json;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed, ms: Date.now() - started };
  }

  /** One step: `expected` is what a trustworthy storefront answers, `work` what we got. */
  async function step(name: string, expected: string, work: () => Promise<string>) {
    const started = Date.now();
    let got: string;
    try {
      got = await work();
    } catch (error) {
      got = `probe failed: ${cut(error instanceof Error ? error.message : error)}`;
    }
    rows.push([name, expected, got, Date.now() - started]);
    log(`${name}: ${got}`);
  }

  /** A new customer of `role` with terms accepted; its API key. */
  async function customer(role: 'SELLER' | 'BUYER', name: string) {
    const created = await api('POST', '/api/v2/admin/customers', adminKey, {
      name,
      customerRole: role,
      customerDomain: `${role.toLowerCase()}-${randomBytes(3).toString('hex')}.example`,
    });
    if (created.status !== 201) throw new Error(`create ${role}: ${said(created)}`);
    const key = await api(
      'POST',
      `/api/v2/admin/customers/${created.body.data.id}/api-keys`,
      adminKey,
    );
    await api('POST', '/api/v2/accounts/terms/accept', key.body.data.key);
    return key.body.data.key as string;
  }

  /** A buyer's MCP client on a storefront's agent; each call answers its structured content. */
  async function buyerAgent(platformId: string, key: string) {
    const client = new Client({ name: clientName, version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/adcp/storefront-${platformId}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    return {
      async call(tool: string, args: Record<string, unknown>): Promise<Json> {
        const result = await client.callTool({ name: tool, arguments: args });
        return { isError: result.isError === true, ...(result.structuredContent ?? {}) };
      },
      close: () => client.close(),
    };
  }

  return { rows, api, step, customer, buyerAgent };
}
