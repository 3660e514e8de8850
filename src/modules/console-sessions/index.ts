/** Console sessions: the operator console's signed-in sessions, listed and ended server-side. */
export { createConsoleSessionsService, userAgentMaxLength } from './service.js';
export type {
  ConsoleSessionRecord,
  ConsoleSessionsService,
  ConsoleSessionView,
  SessionOwner,
} from './service.js';
