import type { LogEventInput, SyncEventSourceItem } from './schemas.js';

type Json = Record<string, unknown>;

const digest = /^[0-9a-f]{64}$/;

/** An event source as AdCP sync_event_sources carries it (what a seller needs of it). */
export function adcpEventSource(item: SyncEventSourceItem): Json {
  return {
    event_source_id: item.event_source_id,
    ...(item.name && { name: item.name }),
    ...(item.event_types && { event_types: item.event_types }),
    ...(item.allowed_domains && { allowed_domains: item.allowed_domains }),
  };
}

/**
 * An accepted event as it goes on to sellers: a hashed e-mail or phone that is not a SHA-256
 * hex digest is left out (log-event keeps no identifiers, and never passes a raw one on).
 */
export function forwardableEvent(event: LogEventInput['events'][number]): Json {
  const match = event.user_match as Json | undefined;
  if (!match) return event as Json;
  const cleaned: Json = { ...match };
  for (const key of ['hashed_email', 'hashed_phone']) {
    const value = cleaned[key];
    if (value !== undefined && !(typeof value === 'string' && digest.test(value.toLowerCase())))
      delete cleaned[key];
    else if (typeof value === 'string') cleaned[key] = value.toLowerCase();
  }
  return { ...(event as Json), user_match: cleaned };
}
