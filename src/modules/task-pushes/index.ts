/**
 * Buyers' push-notification configs of AdCP tasks, kept in PostgreSQL so any instance of a fleet
 * can deliver a task's notification (agents/merchandising/buys/settle/task-notifications.ts).
 */
export { createTaskPushes, type TaskPush, type TaskPushes } from './store.js';
