import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { positiveIdSchema } from '../platform/formats.js';
import type { Principal } from '../platform/principal.js';
import { registerAnalyticsApp } from './analytics-app.js';
import type { CapabilityMatch } from './capabilities.js';
import {
  type Caller,
  dispatch,
  envelopeResult,
  httpMethods,
  pathRefusal,
  refusal,
} from './dispatch.js';

export type Persona = 'buyer' | 'storefront';

/** What every request to a persona's server shares; the server is built once from it. */
export interface ToolContext {
  app: FastifyInstance;
  persona: Persona;
  /** The REST prefixes api_call may reach: the persona's own and the shared account routes. */
  prefixes: readonly string[];
  version: string;
  ping: () => Promise<void>;
  search: (question: string, limit: number) => CapabilityMatch[];
}

/** Who is calling on this request: the host puts it in the transport's authInfo. */
export interface McpCaller {
  caller: Caller;
  principal: Principal;
}

/** The caller of the request a tool runs for (the host authenticated it before any tool). */
function callerOf(extra: { authInfo?: AuthInfo }): McpCaller {
  const found = extra.authInfo?.extra?.mcpCaller as McpCaller | undefined;
  if (!found) throw new Error('MCP tool called outside an authenticated request');
  return found;
}

/** The authInfo that carries a caller to the tools (the MCP SDK hands it to every handler). */
export function authInfoFor(token: string, mcpCaller: McpCaller): AuthInfo {
  return { token, clientId: 'interchange-api-key', scopes: [], extra: { mcpCaller } };
}

const queryValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);

const adminOperations = [
  'listCustomers',
  'getCustomer',
  'listStorefronts',
  'reviewStorefront',
] as const;

/**
 * One persona's MCP server, built once and reused (pooled) across requests: each tool reads the
 * request's caller from the transport's authInfo, never from the server.
 */
export function mcpServerFor(context: ToolContext): McpServer {
  const { app, persona, prefixes } = context;
  const root = persona === 'buyer' ? '/api/v2/buyer' : '/api/v2/storefront';
  const server = new McpServer(
    { name: `interchange-${persona}`, version: context.version },
    {
      instructions:
        `Interchange ${persona} API over MCP. Call ask_about_capability first to learn the exact ` +
        `path, fields and schema, then api_call under ${root}/ (or /api/v2/accounts). Field ` +
        `names are camelCase. Writes need accepted terms: call accept_tos once.`,
    },
  );
  const tool: ToolSetting = {
    app,
    context,
    persona,
    prefixes,
    root,
    meta: () => ({ timestamp: new Date().toISOString() }),
  };
  registerHealthTool(server, tool);
  registerAcceptTermsTool(server, tool);
  registerAskTool(server, tool);
  registerApiCallTool(server, tool);
  registerCustomerSwitchTool(server, tool);
  registerAdminTool(server, tool);

  // The seller analytics as an MCP App: a tool and the ui:// view that draws its result.
  if (persona === 'storefront')
    registerAnalyticsApp(server, { app, callerOf: (extra) => callerOf(extra).caller });

  return server;
}

/** What every tool of one persona's server is registered with. */
interface ToolSetting {
  app: FastifyInstance;
  context: ToolContext;
  persona: Persona;
  prefixes: readonly string[];
  /** The persona's REST root. */
  root: string;
  meta: () => { timestamp: string };
}

/** Health: whether the API and its database answer. */
function registerHealthTool(server: McpServer, tool: ToolSetting) {
  const { context, persona, meta } = tool;
  server.registerTool(
    'health',
    {
      title: 'Health',
      description: 'Whether the API is reachable: status, server version and database status.',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async () => {
      const database = await context.ping().then(
        () => 'ok',
        () => 'unreachable',
      );
      return envelopeResult({
        data: {
          status: database === 'ok' ? 'ok' : 'degraded',
          version: context.version,
          database,
          persona,
        },
        error: null,
        meta: meta(),
      });
    },
  );
}

/** accept_tos: the customer accepts the terms (the REST route, dispatched). */
function registerAcceptTermsTool(server: McpServer, tool: ToolSetting) {
  const { app } = tool;
  server.registerTool(
    'accept_tos',
    {
      title: 'Accept the terms of service',
      description:
        'Accept the current terms of service for your customer (needs an ADMIN member). Until ' +
        'then every write answers 403 TOS_ACCEPTANCE_REQUIRED. Same as POST /api/v2/accounts/terms/accept.',
      inputSchema: {
        version: z
          .string()
          .max(64)
          .optional()
          .describe(
            'The terms version you read (GET /api/v2/accounts/terms); omit for the current one',
          ),
      },
    },
    async ({ version }, extra) =>
      dispatch(app, callerOf(extra).caller, {
        method: 'POST',
        path: '/api/v2/accounts/terms/accept',
        body: version === undefined ? {} : { version },
      }),
  );
}

/** ask_about_capability: a plain question searched in this persona's API documentation. */
function registerAskTool(server: McpServer, tool: ToolSetting) {
  const { context, meta } = tool;
  server.registerTool(
    'ask_about_capability',
    {
      title: 'Ask about a capability',
      description:
        "Search this server's API documentation (paths, summaries, descriptions, field names, " +
        'enum values) with a plain question, e.g. "how do I mint a join link". Answers the best ' +
        'matching endpoints with their parameters, request and response schemas, the values of ' +
        'enum fields you asked about, and an example api_call. Call it before api_call.',
      inputSchema: {
        question: z.string().min(1).max(500).describe('What you want to do or know'),
        limit: z
          .number()
          .int()
          .min(1)
          .max(10)
          .optional()
          .describe('How many endpoints (default 3)'),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ question, limit }) => {
      const matches = context.search(question, limit ?? 3);
      return envelopeResult({ data: { question, matches }, error: null, meta: meta() });
    },
  );
}

/** api_call: any REST call under the persona's prefixes, with the caller's own key. */
function registerApiCallTool(server: McpServer, tool: ToolSetting) {
  const { app, prefixes, root } = tool;
  server.registerTool(
    'api_call',
    {
      title: 'Call the REST API',
      description:
        `Authenticated call to any endpoint under ${root}/ or /api/v2/accounts, with your own ` +
        'key: same validation, scoping, rate limits, terms gate and envelope as REST. Put path ' +
        'parameters in the path, filters in query, the JSON body in body (camelCase fields). ' +
        'Answers the envelope {data, error, meta}; an error envelope is a tool error.',
      inputSchema: {
        method: z.enum(httpMethods).describe('HTTP method'),
        path: z.string().min(1).max(2048).describe(`e.g. ${root}/…; no query string`),
        query: z.record(z.string().max(128), queryValue).optional().describe('Query parameters'),
        body: z.unknown().optional().describe('JSON request body (POST, PUT, PATCH)'),
        idempotencyKey: z
          .string()
          .min(1)
          .max(255)
          .optional()
          .describe(
            'Sent as the Idempotency-Key header: a retried write with the same key answers its first answer',
          ),
      },
    },
    async ({ method, path, query, body, idempotencyKey }, extra) => {
      const refused = pathRefusal(path, prefixes);
      if (refused) return refusal('ACCESS_DENIED', refused, { field: 'path', status: 403 });
      return dispatch(app, callerOf(extra).caller, { method, path, query, body, idempotencyKey });
    },
  );
}

/** customer_switch: the customer the key acts for, listed or switched. */
function registerCustomerSwitchTool(server: McpServer, tool: ToolSetting) {
  const { app } = tool;
  server.registerTool(
    'customer_switch',
    {
      title: 'Switch the active customer',
      description:
        'Switch which customer your key acts for, among the customers your user belongs to ' +
        '(POST /api/v2/accounts/switch); it holds for every later call with this key. Omit ' +
        'customerId to list the customers you can switch into.',
      inputSchema: {
        customerId: positiveIdSchema.optional().describe('The customer to act for'),
      },
    },
    async ({ customerId }, extra) => {
      const { caller, principal } = callerOf(extra);
      if (principal.kind === 'admin') {
        // A platform admin key acts for no customer, so there is nothing to switch; it reads
        // any customer through the admin tool instead.
        return refusal(
          'ACCESS_DENIED',
          'A platform admin key acts for no customer; use the admin tool (getCustomer, listCustomers)',
          { status: 403 },
        );
      }
      return customerId === undefined
        ? dispatch(app, caller, { method: 'GET', path: '/api/v2/accounts' })
        : dispatch(app, caller, {
            method: 'POST',
            path: '/api/v2/accounts/switch',
            body: { customerId },
          });
    },
  );
}

/** admin: platform operations, for platform admin keys only. */
function registerAdminTool(server: McpServer, tool: ToolSetting) {
  const { app } = tool;
  server.registerTool(
    'admin',
    {
      title: 'Platform administration',
      description:
        'Platform operations for platform admin keys only (everyone else gets ACCESS_DENIED): ' +
        'listCustomers, getCustomer {customerId}, listStorefronts {review?: pending_review | ' +
        'listed | hidden}, reviewStorefront {storefrontId, action: list | hide | unhide}.',
      inputSchema: {
        operation: z.enum(adminOperations),
        customerId: positiveIdSchema.optional(),
        storefrontId: positiveIdSchema.optional(),
        action: z.enum(['list', 'hide', 'unhide']).optional(),
        review: z.enum(['pending_review', 'listed', 'hidden']).optional(),
        limit: z.number().int().min(1).max(100).optional(),
        offset: z.number().int().min(0).optional(),
      },
    },
    async (input, extra) => {
      const { caller, principal } = callerOf(extra);
      // The admin routes refuse other keys too; refusing here keeps a non-admin's bad input
      // from being answered as if the operation were open to it.
      if (principal.kind !== 'admin') {
        return refusal('ACCESS_DENIED', 'This operation needs a platform admin key', {
          status: 403,
        });
      }
      const page = {
        ...(input.limit !== undefined && { limit: input.limit }),
        ...(input.offset !== undefined && { offset: input.offset }),
      };
      switch (input.operation) {
        case 'listCustomers':
          return dispatch(app, caller, {
            method: 'GET',
            path: '/api/v2/admin/customers',
            query: page,
          });
        case 'getCustomer':
          if (!input.customerId)
            return refusal('VALIDATION_ERROR', 'customerId is required', { field: 'customerId' });
          return dispatch(app, caller, {
            method: 'GET',
            path: `/api/v2/admin/customers/${input.customerId}`,
          });
        case 'listStorefronts':
          return dispatch(app, caller, {
            method: 'GET',
            path: '/api/v2/admin/storefronts',
            query: { ...page, ...(input.review && { review: input.review }) },
          });
        case 'reviewStorefront':
          if (!input.storefrontId || !input.action) {
            return refusal('VALIDATION_ERROR', 'storefrontId and action are required', {
              field: input.storefrontId ? 'action' : 'storefrontId',
            });
          }
          return dispatch(app, caller, {
            method: 'POST',
            path: `/api/v2/admin/storefronts/${input.storefrontId}/marketplace`,
            body: { action: input.action },
          });
      }
    },
  );
}
