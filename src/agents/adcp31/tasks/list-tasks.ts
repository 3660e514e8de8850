import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorAnswer, validationError } from '../errors.js';
import {
  type AdcpProtocol,
  type ListedTask,
  taskFilters,
  listTasksRequest,
  type ListTasksRequest,
  type ListTasksResponse,
  type TaskType,
} from '../schemas/tasks.js';
import { domainOf, taskTools } from './kinds.js';
import { taskView } from './get-task-status.js';
import type { CallerTasks, TaskQuery } from './port.js';
import { answer, readRequest } from './request.js';

const defaultPageSize = 50;

/**
 * list_tasks (AdCP 3.1): the caller's tasks (this buyer on this storefront; under one account
 * when `account` is named), filtered, sorted (created_at, newest first, by default) and paged
 * with an opaque cursor. The summary's breakdowns count every matching task, not only the page.
 */
export async function listTasks(tasks: CallerTasks, args: unknown): Promise<CallToolResult> {
  const read = readRequest(listTasksRequest, args);
  if (!read.ok) return read.answer;
  const { request } = read;
  const offset = offsetOf(request.pagination?.cursor);
  if (offset === undefined) {
    const refused = validationError(
      'pagination.cursor',
      'pagination.cursor is not one this agent gave',
    );
    return errorAnswer(refused, request.context);
  }
  const query = queryOf(request, offset);
  const page = await tasks.list(query);
  const listed = page.tasks.flatMap((record): ListedTask[] => {
    const view = taskView(record, false);
    if (!view) return [];
    const { protocol, progress: _progress, message: _message, ...rest } = view;
    return [{ ...rest, domain: domainOf(protocol) }];
  });
  const total = page.counts.reduce((sum, row) => sum + row.count, 0);
  const next = offset + query.limit;
  const body: ListTasksResponse = {
    query_summary: {
      total_matching: total,
      returned: listed.length,
      domain_breakdown: breakdown(page.counts, (row) => domainOfTool(row.tool)),
      status_breakdown: breakdown(page.counts, (row) => row.status),
      filters_applied: Object.keys(request.filters ?? {}).filter((key) => key in taskFilters.shape),
      sort_applied: query.sort,
    },
    tasks: listed,
    pagination: {
      has_more: next < total,
      ...(next < total && { cursor: cursorOf(next) }),
      total_count: total,
    },
  };
  return answer(body, request.context);
}

function queryOf(request: ListTasksRequest, offset: number): TaskQuery {
  const filters = request.filters ?? {};
  const protocols = union<AdcpProtocol>(filters.protocol, filters.protocols);
  const types = union<TaskType>(filters.task_type, filters.task_types);
  const statuses = union(filters.status, filters.statuses);
  return {
    account: request.account,
    tools: taskTools
      .filter((kind) => !protocols || protocols.includes(kind.protocol))
      .filter((kind) => !types || types.includes(kind.type))
      .map((kind) => kind.tool),
    ...(statuses && { statuses }),
    ...(filters.task_ids && { taskIds: filters.task_ids }),
    ...(filters.created_after && { createdAfter: filters.created_after }),
    ...(filters.created_before && { createdBefore: filters.created_before }),
    ...(filters.updated_after && { updatedAfter: filters.updated_after }),
    ...(filters.updated_before && { updatedBefore: filters.updated_before }),
    ...(filters.context_contains && { contextContains: filters.context_contains }),
    ...(filters.has_webhook !== undefined && { hasWebhook: filters.has_webhook }),
    sort: {
      field: request.sort?.field ?? 'created_at',
      direction: request.sort?.direction ?? 'desc',
    },
    offset,
    limit: request.pagination?.max_results ?? defaultPageSize,
  };
}

/** A filter's single and plural forms together; undefined when neither is given. */
function union<T>(one: T | undefined, many: T[] | undefined): T[] | undefined {
  if (one === undefined && many === undefined) return undefined;
  return [...new Set([...(one === undefined ? [] : [one]), ...(many ?? [])])];
}

function domainOfTool(tool: string): string {
  const kind = taskTools.find((candidate) => candidate.tool === tool);
  return domainOf(kind?.protocol ?? 'media-buy');
}

function breakdown<R extends { count: number }>(rows: R[], key: (row: R) => string) {
  const out: Record<string, number> = {};
  for (const row of rows) out[key(row)] = (out[key(row)] ?? 0) + row.count;
  return out;
}

/** The cursor is the next page's offset, opaque to the buyer. */
const cursorOf = (offset: number) => Buffer.from(`tasks:${offset}`).toString('base64url');

function offsetOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  const match = /^tasks:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
