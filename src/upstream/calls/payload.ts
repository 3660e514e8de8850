/**
 * Where an AdCP payload sits inside the protocol envelopes agents answer with (MCP tool
 * results, A2A tasks and messages), read leniently: agents differ in the details.
 */

import { isRecord } from '../../platform/is-record.js';

/**
 * The AdCP payload of an A2A result (a Task or a Message): the last DataPart of the last
 * artifact that has one, else of the task's status message, else of the message itself.
 */
export function a2aDataOf(result: unknown): Record<string, unknown> | undefined {
  if (!isRecord(result)) return undefined;
  const artifacts = Array.isArray(result['artifacts']) ? result['artifacts'] : [];
  const status = isRecord(result['status']) ? result['status'] : {};
  const candidates = [
    ...artifacts.map((artifact) => (isRecord(artifact) ? artifact['parts'] : undefined)).reverse(),
    isRecord(status['message']) ? status['message']['parts'] : undefined,
    result['parts'],
  ];
  for (const parts of candidates) {
    const data = Array.isArray(parts)
      ? parts.filter((part) => isRecord(part) && part['kind'] === 'data').at(-1)
      : undefined;
    if (isRecord(data) && isRecord(data['data'])) return data['data'];
  }
  return undefined;
}

// A2A carries the AdCP task id of a submitted operation on the artifact's metadata.
export function adcpTaskIdOf(task: Record<string, unknown>): string | undefined {
  const artifacts = Array.isArray(task['artifacts']) ? task['artifacts'] : [];
  for (const artifact of artifacts) {
    const metadata = isRecord(artifact) ? artifact['metadata'] : undefined;
    if (isRecord(metadata) && typeof metadata['adcp_task_id'] === 'string') {
      return metadata['adcp_task_id'];
    }
  }
  return undefined;
}

/** The text of an MCP result's or an A2A message's text parts, joined. */
export function textOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const parts = Array.isArray(value['content']) ? value['content'] : value['parts'];
  if (!Array.isArray(parts)) return undefined;
  const texts = parts
    .map((part) => (isRecord(part) && typeof part['text'] === 'string' ? part['text'] : ''))
    .filter(Boolean);
  return texts.length ? texts.join('\n') : undefined;
}
