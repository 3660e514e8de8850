import { isoDateOrNull, isoDate } from '../../platform/formats.js';
import type { EventSourceRow } from './store.js';

/**
 * Ingestion health as the hosted document defines it: not_seen until an event arrives,
 * needs_attention while the newest thing that happened was a refusal, receiving otherwise.
 */
export function healthOf(row: EventSourceRow) {
  const status =
    row.lastErrorAt && (!row.lastEventReceivedAt || row.lastErrorAt > row.lastEventReceivedAt)
      ? ('needs_attention' as const)
      : row.lastEventReceivedAt
        ? ('receiving' as const)
        : ('not_seen' as const);
  return {
    status,
    lastEventAt: isoDateOrNull(row.lastEventAt),
    lastEventReceivedAt: isoDateOrNull(row.lastEventReceivedAt),
    lastEventType: row.lastEventType,
    lastError: row.lastError,
    lastErrorAt: isoDateOrNull(row.lastErrorAt),
  };
}

export function eventSourceView(row: EventSourceRow) {
  return {
    eventSourceId: row.eventSourceId,
    name: row.name,
    eventTypes: row.eventTypes,
    allowedDomains: row.allowedDomains,
    integrationPlatform: row.integrationPlatform,
    mapping: row.mapping,
    testEventCode: row.testEventCode,
    health: healthOf(row),
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}
