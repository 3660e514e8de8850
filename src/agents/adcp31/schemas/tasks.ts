import { z } from 'zod';
import { taskStatus, versionEnvelope } from './envelope.js';

/*
 * get_task_status and list_tasks (AdCP 3.1.19: protocol/get-task-status-*.json,
 * protocol/list-tasks-*.json, core/account-ref.json, core/pagination-*.json, enums/task-type.json,
 * enums/adcp-protocol.json, enums/sort-direction.json). Requests are parsed with these; answers
 * are built to them (the tests parse them back).
 */

/** enums/adcp-protocol.json (kebab-case, as task surfaces name protocols). */
export const adcpProtocol = z.enum([
  'media-buy',
  'signals',
  'governance',
  'creative',
  'brand',
  'sponsored-intelligence',
  'measurement',
]);
export type AdcpProtocol = z.infer<typeof adcpProtocol>;

/** enums/task-type.json. */
export const taskType = z.enum([
  'create_media_buy',
  'update_media_buy',
  'media_buy_delivery',
  'sync_creatives',
  'build_creative',
  'activate_signal',
  'get_products',
  'get_signals',
  'create_property_list',
  'update_property_list',
  'get_property_list',
  'list_property_lists',
  'delete_property_list',
  'sync_accounts',
  'get_account_financials',
  'get_creative_delivery',
  'sync_event_sources',
  'sync_audiences',
  'sync_catalogs',
  'log_event',
  'get_brand_identity',
  'search_brands',
  'get_rights',
  'acquire_rights',
]);
export type TaskType = z.infer<typeof taskType>;

/** core/account-ref.json: by seller id, or by natural key (brand + operator, sandbox or not). */
export const accountRef = z.union([
  z.object({ account_id: z.string().min(1) }).strict(),
  z
    .object({
      brand: z.object({ domain: z.string().min(1) }).loose(),
      operator: z.string().min(1),
      sandbox: z.boolean().optional(),
    })
    .strict(),
]);
export type AccountRef = z.infer<typeof accountRef>;

/** Fields every 3.1 request may carry beside its own. */
const requestEnvelope = versionEnvelope.extend({
  idempotency_key: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  ext: z.record(z.string(), z.unknown()).optional(),
});

export const getTaskStatusRequest = requestEnvelope
  .extend({
    task_id: z.string().min(1).max(255),
    account: accountRef.optional(),
    include_history: z.boolean().optional(),
    include_result: z.boolean().optional(),
  })
  .loose();
export type GetTaskStatusRequest = z.infer<typeof getTaskStatusRequest>;

/** core/pagination-request.json. */
export const paginationRequest = z
  .object({
    max_results: z.number().int().min(1).max(100).optional(),
    cursor: z.string().min(1).max(512).optional(),
  })
  .strict();

const dateTime = z.iso.datetime({ offset: true });

export const taskFilters = z
  .object({
    protocol: adcpProtocol.optional(),
    protocols: z.array(adcpProtocol).min(1).optional(),
    status: taskStatus.optional(),
    statuses: z.array(taskStatus).min(1).optional(),
    task_type: taskType.optional(),
    task_types: z.array(taskType).min(1).optional(),
    created_after: dateTime.optional(),
    created_before: dateTime.optional(),
    updated_after: dateTime.optional(),
    updated_before: dateTime.optional(),
    task_ids: z.array(z.string().min(1).max(255)).min(1).max(100).optional(),
    context_contains: z.string().min(1).max(256).optional(),
    has_webhook: z.boolean().optional(),
  })
  .loose();
export type TaskFilters = z.infer<typeof taskFilters>;

export const taskSortField = z.enum([
  'created_at',
  'updated_at',
  'status',
  'task_type',
  'protocol',
]);
export type TaskSortField = z.infer<typeof taskSortField>;

export const listTasksRequest = requestEnvelope
  .extend({
    account: accountRef.optional(),
    filters: taskFilters.optional(),
    sort: z
      .object({
        field: taskSortField.optional(),
        direction: z.enum(['asc', 'desc']).optional(),
      })
      .loose()
      .optional(),
    pagination: paginationRequest.optional(),
    include_history: z.boolean().optional(),
  })
  .loose();
export type ListTasksRequest = z.infer<typeof listTasksRequest>;

const taskError = z
  .object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

/** get-task-status-response.json: the task's own `status` is the envelope's. */
export const getTaskStatusResponse = z
  .object({
    task_id: z.string(),
    task_type: taskType,
    protocol: adcpProtocol,
    status: taskStatus,
    created_at: dateTime,
    updated_at: dateTime,
    completed_at: dateTime.optional(),
    has_webhook: z.boolean().optional(),
    progress: z.record(z.string(), z.unknown()).optional(),
    error: taskError.optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type GetTaskStatusResponse = z.infer<typeof getTaskStatusResponse>;

/** list-tasks-response.json's `domain`: the three the spec lists there. */
export const taskDomain = z.enum(['media-buy', 'signals', 'creative']);

export const listedTask = z
  .object({
    task_id: z.string(),
    task_type: taskType,
    domain: taskDomain,
    status: taskStatus,
    created_at: dateTime,
    updated_at: dateTime,
    completed_at: dateTime.optional(),
    has_webhook: z.boolean().optional(),
  })
  .loose();
export type ListedTask = z.infer<typeof listedTask>;

export const listTasksResponse = z
  .object({
    query_summary: z
      .object({
        total_matching: z.number().int().min(0),
        returned: z.number().int().min(0),
        domain_breakdown: z.record(z.string(), z.number().int().min(0)),
        status_breakdown: z.record(z.string(), z.number().int().min(0)),
        filters_applied: z.array(z.string()),
        sort_applied: z.object({ field: taskSortField, direction: z.enum(['asc', 'desc']) }),
      })
      .loose(),
    tasks: z.array(listedTask),
    pagination: z
      .object({
        has_more: z.boolean(),
        cursor: z.string().optional(),
        total_count: z.number().int().min(0).optional(),
      })
      .strict(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type ListTasksResponse = z.infer<typeof listTasksResponse>;
