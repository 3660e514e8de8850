import type { ProviderEvent } from '../contract.js';

/*
 * The event body Meta's Conversions API set, which Pinterest's and Snap's take as well: the
 * hashed identifiers and request details as `user_data` (each provider names its click id its own
 * way, so the caller adds it), and, for Pinterest and Snap, the purchase details as `custom_data`
 * with the value as a string and the currency in capitals (Meta takes a number and lower case).
 */

/** `em`, `ph`, `client_ip_address` and `client_user_agent`, each only when the event has it. */
export function conversionsUserData(user: ProviderEvent['user']) {
  return {
    ...(user.emails.length > 0 && { em: user.emails }),
    ...(user.phones.length > 0 && { ph: user.phones }),
    ...(user.clientIp && { client_ip_address: user.clientIp }),
    ...(user.userAgent && { client_user_agent: user.userAgent }),
  };
}

/** `value` (a string), `currency` (capitals), `order_id` and `content_ids`, each when present. */
export function conversionsCustomData(event: ProviderEvent) {
  return {
    ...(event.value !== null && { value: String(event.value) }),
    ...(event.currency && { currency: event.currency.toUpperCase() }),
    ...(event.orderId && { order_id: event.orderId }),
    ...(event.contentIds.length > 0 && { content_ids: event.contentIds }),
  };
}
