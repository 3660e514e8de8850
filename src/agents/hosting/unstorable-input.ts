import { adcpError } from '@adcp/sdk/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findUnstorableInput } from '../../platform/storable-input.js';
import { jsonRpcError } from '../../platform/mcp/json-rpc.js';

type JsonRpcRequest = { id?: unknown; method?: unknown };

/** A JSON Pointer (RFC 6901), the form AdCP's `field` takes. */
const pointerOf = (path: (string | number)[]) =>
  path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

/**
 * Refuses an agent's JSON-RPC request carrying input PostgreSQL cannot store (see
 * storable-input.ts) before the SDK sees it: tools write their arguments to the database, and
 * in production the SDK's own schema validation is off. An MCP tool call gets AdCP's
 * VALIDATION_ERROR naming the argument, as the SDK answers a schema failure; anything else
 * (A2A, other methods) JSON-RPC's "invalid params". Answers and returns true when refused.
 */
export function refuseUnstorableInput(
  request: FastifyRequest,
  reply: FastifyReply,
  protocol: 'mcp' | 'a2a',
): boolean {
  const found = findUnstorableInput(request.body);
  if (!found) return false;
  const rpc = (Array.isArray(request.body) ? {} : (request.body ?? {})) as JsonRpcRequest;
  const id = typeof rpc.id === 'string' || typeof rpc.id === 'number' ? rpc.id : null;
  const [part, name, ...argumentPath] = found.path;
  if (
    protocol === 'mcp' &&
    rpc.method === 'tools/call' &&
    part === 'params' &&
    name === 'arguments'
  ) {
    const field = pointerOf(argumentPath);
    const result = adcpError('VALIDATION_ERROR', {
      message: `${field}: ${found.problem}`,
      field,
      recovery: 'correctable',
    });
    void reply.code(200).send({ jsonrpc: '2.0', id, result });
  } else {
    const message = `Invalid params at ${pointerOf(found.path)}: ${found.problem}`;
    void reply.code(200).send(jsonRpcError(-32602, message, id));
  }
  return true;
}
