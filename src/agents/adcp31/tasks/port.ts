import type { TaskRecord } from '@adcp/sdk/server';
import type { AccountRef, TaskSortField } from '../schemas/tasks.js';
import type { TaskStatus } from '../schemas/envelope.js';

/** One page of the caller's tasks, as list_tasks asks for it (filters already resolved). */
export interface TaskQuery {
  account: AccountRef | undefined;
  /** The tools whose tasks are wanted (task types and protocols resolved to tools). */
  tools: string[];
  statuses?: TaskStatus[];
  taskIds?: string[];
  createdAfter?: string;
  createdBefore?: string;
  updatedAfter?: string;
  updatedBefore?: string;
  /** Text the task's result must contain (media_buy_id and the like). */
  contextContains?: string;
  hasWebhook?: boolean;
  sort: { field: TaskSortField; direction: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

export interface TaskPage {
  tasks: TaskRecord[];
  /** Every task matching the query (all pages), by tool and status. */
  counts: Array<{ tool: string; status: string; count: number }>;
}

/**
 * The caller's AdCP tasks, scoped the way the host scopes `tasks/get`: a task is found only by
 * the buyer (on the storefront) that started it, and, when an account is named, only under that
 * account. Another caller's task is never found: it answers as an unknown one.
 */
export interface CallerTasks {
  /** The caller's task, or undefined (unknown, another caller's, or not under `account`). */
  find(taskId: string, account: AccountRef | undefined): Promise<TaskRecord | undefined>;
  list(query: TaskQuery): Promise<TaskPage>;
}
