import { pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from '../../platform/db/columns.js';

/**
 * Where a buyer asked to be told when an AdCP task of ours settles (its request's
 * push_notification_config), kept from the moment the task is handed off until the notification
 * is delivered: whichever instance settles the task reads it here, not from the memory of the
 * instance that took the request. The token the buyer asked to be echoed is sealed.
 */
export const taskPushConfigs = pgTable('task_push_configs', {
  taskId: text('task_id').primaryKey(),
  url: text('url').notNull(),
  tokenSealed: text('token_sealed'),
  /** The buyer's push_notification_config.operation_id (AdCP 3.1), echoed in the notification. */
  operationId: text('operation_id'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});
