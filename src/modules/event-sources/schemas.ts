import { z } from 'zod';
import { advertiserParams } from '../advertisers/index.js';

/** IAB ECAPI event types, as the hosted documents list them for sync and log-event alike. */
export const eventTypes = [
  'page_view',
  'view_content',
  'select_content',
  'select_item',
  'search',
  'share',
  'add_to_cart',
  'remove_from_cart',
  'viewed_cart',
  'add_to_wishlist',
  'initiate_checkout',
  'add_payment_info',
  'purchase',
  'refund',
  'lead',
  'qualify_lead',
  'close_convert_lead',
  'disqualify_lead',
  'complete_registration',
  'subscribe',
  'follow',
  'content_view',
  'watch_milestone',
  'start_trial',
  'app_install',
  'app_launch',
  'contact',
  'schedule',
  'donate',
  'submit_application',
  'custom',
] as const;
export const eventTypeSchema = z.enum(eventTypes);
export type EventType = (typeof eventTypes)[number];

const mappingField = z.string().max(256).nullable().optional();
const mappingSchema = z
  .object({
    eventIdField: mappingField,
    eventTypeField: mappingField,
    eventTimeField: mappingField,
    userMatchFields: z.array(z.string().max(256)).max(50).nullable().optional(),
    valueField: mappingField,
    currencyField: mappingField,
    orderIdField: mappingField,
    contentIdsField: mappingField,
    consentField: mappingField,
    dedupeStrategy: z.string().max(1024).nullable().optional(),
    notes: z.string().max(2048).nullable().optional(),
  })
  .strict();

/** One entry of sync_event_sources (snake_case: an AdCP-derived body, as hosted). */
export const syncEventSourceItem = z
  .object({
    event_source_id: z.string().min(1).max(255),
    name: z.string().min(1).max(255).optional(),
    event_types: z.array(eventTypeSchema).max(eventTypes.length).nullable().optional(),
    allowed_domains: z.array(z.string().min(1).max(253)).max(100).nullable().optional(),
    integration_platform: z.string().min(1).max(128).nullable().optional(),
    mapping: mappingSchema.nullable().optional(),
    test_event_code: z.string().max(256).nullable().optional(),
  })
  .strict();
export type SyncEventSourceItem = z.infer<typeof syncEventSourceItem>;

export const syncEventSourcesBody = z
  .object({
    /** Hosted clients name the advertiser again here; when sent it must be this advertiser. */
    account: z.object({ account_id: z.string().min(1).max(255) }).optional(),
    event_sources: z.array(syncEventSourceItem).min(1).max(50),
    delete_missing: z.boolean().default(false),
  })
  .strict();
export type SyncEventSourcesInput = z.infer<typeof syncEventSourcesBody>;

export const syncActions = ['created', 'updated', 'unchanged', 'failed', 'deleted'] as const;

/** Ours: what each seller taking conversion data did with what was forwarded to it. */
const sellerOutcomes = z
  .array(
    z.object({
      salesAgentId: z.string(),
      salesAgentName: z.string(),
      status: z.enum(['answered', 'failed']),
      error: z.string().optional(),
    }),
  )
  .optional();

export const syncEventSourcesResponse = z.object({
  sellers: sellerOutcomes,
  event_sources: z.array(
    z.object({
      event_source_id: z.string(),
      action: z.enum(syncActions),
      error: z.string().optional(),
      setup: z
        .object({
          snippet_type: z.enum(['javascript', 'html', 'pixel_url', 'server_only']),
          snippet: z.string().optional(),
          instructions: z.string(),
        })
        .optional(),
    }),
  ),
});

const nullableTime = z.string().nullable();

export const eventSourceSchema = z.object({
  eventSourceId: z.string(),
  name: z.string(),
  eventTypes: z.array(z.string()).nullable(),
  allowedDomains: z.array(z.string()).nullable(),
  integrationPlatform: z.string().nullable(),
  mapping: z.record(z.string(), z.unknown()).nullable(),
  testEventCode: z.string().nullable(),
  health: z.object({
    status: z.enum(['not_seen', 'receiving', 'needs_attention']),
    lastEventAt: nullableTime,
    lastEventReceivedAt: nullableTime,
    lastEventType: z.string().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: nullableTime,
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listEventSourcesQuery = z.object({
  take: z.coerce.number().int().min(1).max(250).default(50),
  skip: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const eventSourceListSchema = z.object({
  eventSources: z.array(eventSourceSchema),
  total: z.number().int(),
});

const isoDateTime = z.string().datetime({ offset: true });

const loggedEventSchema = z
  .object({
    event_id: z.string().min(1).max(256),
    event_type: eventTypeSchema,
    event_time: isoDateTime,
    user_match: z
      .object({
        uids: z
          .array(z.object({ type: z.string().min(1).max(64), value: z.string().min(1).max(512) }))
          .max(20)
          .optional(),
        hashed_email: z.string().max(256).optional(),
        hashed_phone: z.string().max(256).optional(),
        click_id: z.string().max(512).optional(),
        click_id_type: z.string().max(64).optional(),
        client_ip: z.string().max(45).optional(),
        client_user_agent: z.string().max(512).optional(),
      })
      .optional(),
    custom_data: z
      .object({
        value: z.number().finite().optional(),
        currency: z
          .string()
          .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as USD')
          .optional(),
        order_id: z.string().max(256).optional(),
        content_ids: z.array(z.string().max(256)).max(1000).optional(),
        content_type: z.string().max(128).optional(),
        num_items: z.number().int().min(0).optional(),
        contents: z
          .array(
            z.object({
              id: z.string().max(256).optional(),
              quantity: z.number().int().min(1).optional(),
              price: z.number().finite().optional(),
              brand: z.string().max(256).optional(),
            }),
          )
          .max(1000)
          .optional(),
      })
      .optional(),
    action_source: z
      .enum(['website', 'app', 'in_store', 'phone_call', 'system_generated', 'other'])
      .optional(),
    event_source_url: z.string().url().max(2048).optional(),
    custom_event_name: z.string().max(256).optional(),
  })
  .strict();
export type LoggedEventInput = z.infer<typeof loggedEventSchema>;

export const logEventBody = z
  .object({
    event_source_id: z.string().min(1).max(256),
    events: z.array(loggedEventSchema).min(1).max(10_000),
    test_event_code: z.string().max(256).optional(),
  })
  .strict();
export type LogEventInput = z.infer<typeof logEventBody>;

export const logEventResponse = z.object({
  events_received: z.number().int(),
  events_processed: z.number().int(),
  partial_failures: z.array(
    z.object({ event_id: z.string(), code: z.string(), message: z.string() }),
  ),
  warnings: z.array(z.string()),
  match_quality: z.number().min(0).max(1).optional(),
  sellers: sellerOutcomes,
});

/** The hosted summary's coarse categories; everything log-event accepts is a conversion. */
export const summaryCategories = [
  'conversion',
  'click',
  'impression',
  'measurement',
  'mmp',
] as const;

export const eventsSummaryQuery = z.object({
  eventType: z.enum(summaryCategories).optional(),
  startHour: isoDateTime.optional(),
  endHour: isoDateTime.optional(),
  includeTestEvents: z.enum(['true', 'false']).optional(),
});
export type EventsSummaryQuery = z.infer<typeof eventsSummaryQuery>;

export const eventsSummarySchema = z.object({
  periodStart: z.string(),
  periodEnd: z.string(),
  entries: z.array(
    z.object({
      eventHour: z.string(),
      eventType: z.enum(summaryCategories),
      eventCount: z.number().int(),
    }),
  ),
  totalEventCount: z.number().int(),
  /** Ours: the same window counted by day, event source and ECAPI event type. */
  daily: z.array(
    z.object({
      day: z.string(),
      eventSourceId: z.string(),
      eventType: z.string(),
      eventCount: z.number().int(),
    }),
  ),
});

export { advertiserParams };
