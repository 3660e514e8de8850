import type { AdcpCustomToolConfig } from '@adcp/sdk/server';
import { z } from 'zod';
import { getTaskStatus } from './get-task-status.js';
import { listTasks } from './list-tasks.js';
import type { CallerTasks } from './port.js';

/**
 * Arguments reach the handlers whole: each reads them with its own schema (schemas/tasks.ts), so
 * MCP and A2A (which bypasses MCP's input check) get the same VALIDATION_ERROR for the same
 * request, in every NODE_ENV.
 */
const wholeArguments = z.object({}).loose();

/**
 * AdCP 3.1's task tools, as custom tools of @adcp/sdk's server (6.11.0 has no such tools):
 * `get_task_status` and `list_tasks` over the caller's tasks. Offered to every caller; a 3.0
 * caller gets the same answers without the 3.1 envelope the layer adds (layer.ts).
 */
export function taskToolsOver(
  tasks: CallerTasks,
): Record<string, AdcpCustomToolConfig<typeof wholeArguments>> {
  return {
    get_task_status: {
      title: 'Get task status',
      description:
        'The state of one of your asynchronous tasks (a media buy awaiting approval, a creative ' +
        'sync): pass its task_id, and include_result: true for its result once completed.',
      inputSchema: wholeArguments,
      annotations: { readOnlyHint: true },
      handler: (args: unknown) => getTaskStatus(tasks, args),
    },
    list_tasks: {
      title: 'List tasks',
      description:
        'Your asynchronous tasks on this storefront, filtered by status, type, protocol or date, ' +
        'newest first, a page at a time (pagination.cursor).',
      inputSchema: wholeArguments,
      annotations: { readOnlyHint: true },
      handler: (args: unknown) => listTasks(tasks, args),
    },
  };
}
