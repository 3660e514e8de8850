/**
 * What log-event accepts from a registered source, event by event. A refused event is reported
 * in partial_failures with one of these codes; the rest of the batch is still recorded.
 */
import type { EventSourceRow } from './store.js';
import type { LoggedEventInput } from './schemas.js';

export interface EventRefusal {
  code:
    | 'EVENT_TYPE_NOT_ALLOWED'
    | 'DOMAIN_NOT_ALLOWED'
    | 'EVENT_SOURCE_URL_REQUIRED'
    | 'EVENT_TIME_IN_FUTURE';
  message: string;
}

/** Clock skew tolerated between the sender and us before an event counts as "in the future". */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

const domainPattern = /^(\*\.)?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * An allowed_domains entry as stored: lower case, no trailing dot; "*.shop.example" and
 * "shop.example" both admit the domain and its subdomains. Undefined when it is no domain.
 */
export function normalizeDomain(input: string): string | undefined {
  const d = input.trim().toLowerCase().replace(/\.$/, '');
  if (!domainPattern.test(d)) return undefined;
  return d.startsWith('*.') ? d.slice(2) : d;
}

export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((d) => h === d || h.endsWith(`.${d}`));
}

export function refusalOf(
  source: EventSourceRow,
  event: LoggedEventInput,
  now: Date,
): EventRefusal | undefined {
  if (source.eventTypes && !source.eventTypes.includes(event.event_type))
    return {
      code: 'EVENT_TYPE_NOT_ALLOWED',
      message: `Event source "${source.eventSourceId}" does not accept "${event.event_type}" events (it accepts ${source.eventTypes.join(', ') || 'none'})`,
    };
  if (event.action_source === 'website' && !event.event_source_url)
    return {
      code: 'EVENT_SOURCE_URL_REQUIRED',
      message: 'event_source_url is required when action_source is "website"',
    };
  if (event.event_source_url && source.allowedDomains) {
    const host = new URL(event.event_source_url).hostname;
    if (!hostAllowed(host, source.allowedDomains))
      return {
        code: 'DOMAIN_NOT_ALLOWED',
        message: `"${host}" is not among the allowed domains of event source "${source.eventSourceId}"`,
      };
  }
  if (Date.parse(event.event_time) > now.getTime() + FUTURE_TOLERANCE_MS)
    return { code: 'EVENT_TIME_IN_FUTURE', message: 'event_time is in the future' };
  return undefined;
}

/** Whether the event carries anything a match could use (the match_quality signal). */
export function hasUserMatch(event: LoggedEventInput): boolean {
  const m = event.user_match;
  if (!m) return false;
  return Boolean(m.uids?.length || m.hashed_email || m.hashed_phone || m.click_id);
}
