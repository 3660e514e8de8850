import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { isRecord } from '../../../platform/is-record.js';
import { errorAnswer, validationError, versionUnsupported } from '../errors.js';
import { supportedMajor } from '../release.js';

/**
 * A task tool's arguments read with its schema: the request, or the answer refusing it
 * (VALIDATION_ERROR naming the field; VERSION_UNSUPPORTED for another major, which @adcp/sdk
 * checks on its own tools but not on these).
 */
export function readRequest<T>(
  schema: z.ZodType<T>,
  args: unknown,
): { ok: true; request: T } | { ok: false; answer: CallToolResult } {
  const context = isRecord(args) ? args['context'] : undefined;
  const parsed = schema.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? fieldOf(issue.path) : '';
    const message = issue ? `${field || 'request'}: ${issue.message}` : 'Invalid request';
    return { ok: false, answer: errorAnswer(validationError(field, message), context) };
  }
  const major = isRecord(args) ? args['adcp_major_version'] : undefined;
  if (major !== undefined && major !== supportedMajor) {
    return {
      ok: false,
      answer: errorAnswer(versionUnsupported(`adcp_major_version=${String(major)}`), context),
    };
  }
  return { ok: true, request: parsed.data };
}

/** A successful answer: `content` with the request's context echoed. */
export function answer(content: Record<string, unknown>, context: unknown): CallToolResult {
  const structuredContent = { ...content, ...(isRecord(context) && { context }) };
  return {
    content: [{ type: 'text', text: JSON.stringify(structuredContent) }],
    structuredContent,
  };
}

/** A zod issue's path in core/error.json's JSONPath-lite (`filters.statuses[0]`). */
function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
