import { isRecord } from '../../../platform/is-record.js';

/**
 * The AdCP tools a compliance run may call at a source whose bookings would be real (no sandbox
 * declared, no leave from its seller): they read and change nothing a buyer pays for. Anything
 * else (create_media_buy, update_media_buy, sync_creatives, activate_signal, sync_accounts, …,
 * and any tool a later AdCP adds) is refused before it leaves: a list of what may go, not of
 * what may not.
 */
export const readOnlyTools: ReadonlySet<string> = new Set([
  'get_adcp_capabilities',
  'get_products',
  'list_creative_formats',
  'list_creatives',
  'list_authorized_properties',
  'get_media_buys',
  'get_media_buy_delivery',
  'get_signals',
  'list_accounts',
  'get_account_financials',
  'tasks_get',
  'tasks_list',
]);

type Fetch = typeof globalThis.fetch;

/**
 * The runner's fetch for a run without bookings: every JSON-RPC call that names a tool outside
 * `readOnlyTools` (an MCP `tools/call`, an A2A message whose data part names a skill, or an
 * A2A message naming none) is answered here with a JSON-RPC error and never reaches the source.
 * The storyboards chosen for such a run call none (storyboards.ts); this holds whatever a
 * storyboard or one of its scenarios does.
 */
export function readOnlyFetch(fetch: Fetch): Fetch {
  return async (input, init) => {
    const text = await bodyTextOf(input, init);
    if (text === undefined) return fetch(input, init);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return fetch(input, init);
    }
    const calls = Array.isArray(message) ? message : [message];
    const refused = calls.map(refusedTool).find((tool) => tool !== undefined);
    if (refused === undefined) return fetch(input, init);
    const errors = calls.map((call) => refusal(call, refused));
    return new Response(JSON.stringify(Array.isArray(message) ? errors : errors[0]), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

async function bodyTextOf(
  input: Parameters<Fetch>[0],
  init: Parameters<Fetch>[1],
): Promise<string | undefined> {
  const body = init?.body ?? (input instanceof Request ? await input.clone().text() : undefined);
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  // A body it cannot read (a stream, a form) is not a JSON-RPC call of the runner's clients;
  // refused all the same, since what it asks for cannot be told.
  return '{"jsonrpc":"2.0","method":"unreadable"}';
}

/** The tool a JSON-RPC message calls that a run without bookings may not; undefined if none. */
function refusedTool(call: unknown): string | undefined {
  if (!isRecord(call)) return undefined;
  const method = call['method'];
  const params = isRecord(call['params']) ? call['params'] : {};
  if (method === 'tools/call') {
    const name = typeof params['name'] === 'string' ? params['name'] : '(unnamed)';
    return readOnlyTools.has(name) ? undefined : name;
  }
  if (method === 'message/send' || method === 'message/stream') {
    const message = isRecord(params['message']) ? params['message'] : {};
    const parts = Array.isArray(message['parts']) ? message['parts'] : [];
    const skills = parts
      .map((part) => (isRecord(part) && isRecord(part['data']) ? part['data']['skill'] : undefined))
      .filter((skill): skill is string => typeof skill === 'string');
    if (skills.length === 0) return '(a message naming no skill)';
    return skills.find((skill) => !readOnlyTools.has(skill));
  }
  if (method === 'unreadable') return '(an unreadable request)';
  return undefined;
}

function refusal(call: unknown, tool: string) {
  const id = isRecord(call) && 'id' in call ? call['id'] : null;
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code: -32001,
      message:
        `Interchange's compliance run did not send ${tool}: the source declares no sandbox ` +
        '(get_adcp_capabilities account.sandbox) and its seller has not allowed booking runs',
    },
  };
}
