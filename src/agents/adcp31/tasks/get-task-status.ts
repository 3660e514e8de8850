import type { TaskRecord } from '@adcp/sdk/server';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../../platform/is-record.js';
import { errorAnswer, taskNotFound } from '../errors.js';
import { getTaskStatusRequest, type GetTaskStatusResponse } from '../schemas/tasks.js';
import { protocolOf, taskTypeOf } from './kinds.js';
import type { CallerTasks } from './port.js';
import { answer, readRequest } from './request.js';

const terminal = new Set(['completed', 'failed', 'canceled', 'rejected']);

/**
 * get_task_status (AdCP 3.1): one of the caller's tasks by id, with its result when asked for
 * (`include_result`) and it completed, its error when it failed. A task of another buyer, or of
 * another account than the one named, is REFERENCE_NOT_FOUND, as an unknown id is. No
 * conversation history is kept, so `include_history` adds none.
 */
export async function getTaskStatus(tasks: CallerTasks, args: unknown): Promise<CallToolResult> {
  const read = readRequest(getTaskStatusRequest, args);
  if (!read.ok) return read.answer;
  const { request } = read;
  const record = await tasks.find(request.task_id, request.account);
  const view = record && taskView(record, request.include_result === true);
  if (!view) return errorAnswer(taskNotFound(), request.context);
  return answer(view, request.context);
}

/** A task record in get-task-status-response.json's shape; undefined for a tool with no type. */
export function taskView(
  record: TaskRecord,
  withResult: boolean,
): GetTaskStatusResponse | undefined {
  const type = taskTypeOf(record.tool);
  if (!type) return undefined;
  const view: GetTaskStatusResponse = {
    task_id: record.taskId,
    task_type: type,
    protocol: protocolOf(type),
    status: record.status,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    has_webhook: record.hasWebhook === true,
  };
  // The registry stamps updated_at on the terminal transition: that is when it completed.
  if (terminal.has(record.status)) view.completed_at = record.updatedAt;
  if (record.statusMessage) view['message'] = record.statusMessage;
  if (record.progress) view.progress = { ...record.progress };
  if (record.status === 'failed' && record.error) {
    const { code, message, ...rest } = record.error;
    view.error = { code, message, ...(Object.keys(rest).length > 0 && { details: rest }) };
  }
  if (withResult && record.status === 'completed' && isRecord(record.result)) {
    view.result = record.result;
  }
  return view;
}
