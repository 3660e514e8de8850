import type { AdcpServer } from '@adcp/sdk/server';
import {
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type ListToolsResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isRecord } from '../../../platform/is-record.js';
import { negotiate, type Release, supportedReleases } from '../../adcp31/index.js';
import { mcpServerOf, type RegisteredTool } from '../sdk-mcp-server.js';
import { schemasPath } from './card.js';
import { compactSchema } from './compact.js';
import { publishedSchema } from './published.js';

type Tool = ListToolsResult['tools'][number];

/**
 * `tools/list` of an agent answers each tool's AdCP request schema for the release the caller
 * negotiates, where @adcp/sdk 6.11 publishes `{type: "object", properties: {}}` for every tool
 * (its PASSTHROUGH_INPUT_SCHEMA). The endpoint is stateless (one transport per POST), so a listing
 * negotiates as a call does, from the request itself: `params._meta.adcp_version` (the MCP
 * request's own `_meta`, since tools/list has no arguments) pins a release exactly as a tool
 * call's `adcp_version` does (adcp31/release.ts); none is 3.0, as an unpinned call is. A pin of
 * another major, or a malformed one, is InvalidParams naming the releases spoken.
 *
 * Only what is published changes: each tool's registered input schema (the SDK's passthrough, the
 * agents' own) still decides what a call may carry, so nothing a caller sends is dropped on the
 * way to the handler. `descriptions` are the agent's words for its tools.
 */
export function publishToolSchemas<S extends AdcpServer>(
  server: S,
  descriptions: Readonly<Record<string, string>> = {},
): S {
  const { mcp, tools } = mcpServerOf(server);
  mcp.server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const release = listedRelease(request.params?._meta);
    return {
      tools: Object.entries(tools)
        .filter(([, tool]) => tool.enabled)
        .map(([name, tool]) => listed(name, tool, release, descriptions[name])),
    };
  });
  return server;
}

function listedRelease(meta: unknown): Release {
  const pin = isRecord(meta) ? meta['adcp_version'] : undefined;
  if (pin === undefined) return '3.0';
  const negotiated = negotiate({ adcp_version: pin });
  if (negotiated.kind === 'served') return negotiated.release;
  const why = negotiated.kind === 'malformed' ? negotiated.message : `${String(pin)} is not spoken`;
  throw new McpError(
    ErrorCode.InvalidParams,
    `_meta.adcp_version: ${why}; this agent speaks AdCP ${supportedReleases.join(', ')}`,
    { supported_versions: [...supportedReleases] },
  );
}

function listed(name: string, tool: RegisteredTool, release: Release, said?: string): Tool {
  const found = publishedSchema(name, release);
  const other = supportedReleases.filter((r) => r !== release).join(', ');
  const note = found
    ? `Arguments: AdCP ${found.release} (${found.source}; whole, with the spec's descriptions: GET ${wholePath(name, release)}); pin adcp_version to be served another release (${other}), and list with _meta.adcp_version for its schema.`
    : undefined;
  const description = [said ?? tool.description, note].filter(Boolean).join('\n\n');
  return {
    name,
    ...(tool.title !== undefined && { title: tool.title }),
    ...(description && { description }),
    inputSchema: found ? listedSchema(name, release) : registeredSchema(tool),
    ...(tool.annotations && { annotations: tool.annotations }),
    ...(found && {
      _meta: {
        adcp_version: found.release,
        adcp_request_schema: found.source,
        adcp_request_schema_url: wholePath(name, release),
      },
    }),
  } as Tool; // cast: a JSON Schema object with `type: "object"` (published.ts, registeredSchema)
}

/** Where the whole published schema is served (routes.ts), relative to the agent's origin. */
const wholePath = (tool: string, release: Release) =>
  `${schemasPath}/${release}/${encodeURIComponent(tool)}.json`;

/** The listed (compact) form of a tool's published schema, made once per process. */
function listedSchema(tool: string, release: Release): Record<string, unknown> {
  const key = `${release}\n${tool}`;
  let found = listedSchemas.get(key);
  if (!found) {
    found = compactSchema(publishedSchema(tool, release)?.schema ?? {});
    listedSchemas.set(key, found);
  }
  return found;
}

const listedSchemas = new Map<string, Record<string, unknown>>();

/** What the MCP SDK itself would list: the registered zod input schema as JSON Schema. */
function registeredSchema(tool: RegisteredTool): Tool['inputSchema'] {
  const schema = (tool as { inputSchema?: unknown }).inputSchema;
  if (!(schema instanceof z.ZodType)) return { type: 'object', properties: {} };
  const {
    $schema: _schema,
    type: _type,
    ...rest
  } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  });
  // An input schema is an object schema (every tool registers a z.object).
  return { ...rest, type: 'object' } as Tool['inputSchema']; // cast: JSON Schema of a z.object
}
