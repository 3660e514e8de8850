import { defineRoute } from '../../platform/http/route.js';
import {
  advertiserParams,
  eventSourceListSchema,
  eventsSummaryQuery,
  eventsSummarySchema,
  listEventSourcesQuery,
  logEventBody,
  logEventResponse,
  syncEventSourcesBody,
  syncEventSourcesResponse,
} from './schemas.js';
import type { EventSourcesService } from './service.js';

const base = '/api/v2/buyer/advertisers/:advertiserId';
const tags = ['Event sources'];

/** 10,000 events of a few hundred bytes each: more than the server-wide default allows. */
export const LOG_EVENT_BODY_LIMIT = 16 * 1024 * 1024;

export function eventSourceRoutes(events: EventSourcesService) {
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/event-sources`,
      operationId: 'listEventSources',
      summary: 'List the event sources of an advertiser (take/skip), with ingestion health',
      tags,
      auth: 'customer',
      params: advertiserParams,
      query: listEventSourcesQuery,
      response: eventSourceListSchema,
      handler: ({ principal, params, query }) => events.list(principal, params.advertiserId, query),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/event-sources/sync`,
      operationId: 'syncEventSources',
      summary: 'Upsert event sources (AdCP sync_event_sources)',
      description:
        'Each item answers created, updated, unchanged or failed (with error) while the others ' +
        'apply; fields left out keep their stored value, null clears. delete_missing archives the ' +
        'sources the request does not name (deleted); syncing an archived id brings it back.',
      tags,
      auth: 'customer',
      params: advertiserParams,
      body: syncEventSourcesBody,
      response: syncEventSourcesResponse,
      handler: ({ principal, params, body }) => events.sync(principal, params.advertiserId, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/log-event`,
      operationId: 'logEvent',
      summary: 'Log up to 10,000 conversion events from a registered event source (AdCP log_event)',
      description:
        'An unregistered event_source_id is refused (400 EVENT_SOURCE_NOT_FOUND). Events the ' +
        'source does not allow (event type, domain of event_source_url) are listed in ' +
        'partial_failures and the rest are recorded. An event_id already logged for the source ' +
        'counts once, so a retried batch is safe. User identifiers are used for match_quality ' +
        'and not stored. Body up to 16 MiB.',
      tags,
      auth: 'customer',
      bodyLimit: LOG_EVENT_BODY_LIMIT,
      params: advertiserParams,
      body: logEventBody,
      response: logEventResponse,
      handler: ({ principal, params, body }) =>
        events.logEvent(principal, params.advertiserId, body),
    }),
    defineRoute({
      method: 'GET',
      url: `${base}/events/summary`,
      operationId: 'getEventSummary',
      summary: 'Event counts per hour (hosted shape) and per day, source and event type',
      description:
        'startHour and endHour are whole UTC hours (default: the last completed hour), at most 93 ' +
        'days apart. Test events (sent with test_event_code) count only with includeTestEvents=true.',
      tags,
      auth: 'customer',
      params: advertiserParams,
      query: eventsSummaryQuery,
      response: eventsSummarySchema,
      handler: ({ principal, params, query }) =>
        events.summary(principal, params.advertiserId, query),
    }),
  ];
}
