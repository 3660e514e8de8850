import type { AdcpError } from '../schemas/envelope.js';
import { validationError } from '../errors.js';
import {
  type HeldConfig,
  mediaBuyAnchored,
  notificationConfig,
  type NotificationConfig31,
} from './schemas.js';

/** What a config's URL check and proof of control say: nothing, or why the URL is refused. */
export interface UrlRefusal {
  code: 'INVALID_REQUEST' | 'VALIDATION_ERROR';
  message: string;
}

const invalidRequest = (field: string, message: string): AdcpError => ({
  code: 'INVALID_REQUEST',
  message,
  field,
  recovery: 'correctable',
});

/**
 * An account entry's `notification_configs[]` read with the spec's semantic rules
 * (core/notification-config.json): each item's shape, no media-buy-anchored event type
 * (`notification_configs[j].event_types[k]`), no subscriber_id twice
 * (`notification_configs[j].subscriber_id`, j the second). The first failure fails the account.
 */
export function readConfigs(
  raw: readonly unknown[],
): { ok: true; configs: NotificationConfig31[] } | { ok: false; error: AdcpError } {
  const configs: NotificationConfig31[] = [];
  const seen = new Set<string>();
  for (const [j, item] of raw.entries()) {
    const parsed = notificationConfig.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = (issue?.path ?? [])
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('');
      const field = `notification_configs[${j}]${path}`;
      return {
        ok: false,
        error: validationError(field, `${field}: ${issue?.message ?? 'invalid'}`),
      };
    }
    const config = parsed.data;
    const anchored = config.event_types.findIndex((type) => mediaBuyAnchored.has(type));
    if (anchored >= 0) {
      const field = `notification_configs[${j}].event_types[${anchored}]`;
      return {
        ok: false,
        error: validationError(
          field,
          `${config.event_types[anchored]} is anchored at a media buy: register it on the buy's push_notification_config, not on the account`,
        ),
      };
    }
    if (new Set(config.event_types).size !== config.event_types.length) {
      const field = `notification_configs[${j}].event_types`;
      return { ok: false, error: validationError(field, 'event_types must not repeat a type') };
    }
    if (seen.has(config.subscriber_id)) {
      const field = `notification_configs[${j}].subscriber_id`;
      return {
        ok: false,
        error: validationError(field, `subscriber_id ${config.subscriber_id} appears twice`),
      };
    }
    seen.add(config.subscriber_id);
    configs.push(config);
  }
  return { ok: true, configs };
}

/** A URL refusal as the account entry's error at `notification_configs[j].url`. */
export function urlError(j: number, refusal: UrlRefusal): AdcpError {
  const field = `notification_configs[${j}].url`;
  return refusal.code === 'INVALID_REQUEST'
    ? invalidRequest(field, refusal.message)
    : validationError(field, refusal.message);
}

/**
 * A config as it is echoed (sync_accounts, list_accounts): credentials are write-only. One held
 * for its proof is echoed `active: false` (the spec: never echoed active before its proof) with
 * `ext.interchange.proof` saying whether it is pending or refused, and why.
 */
export function echoOf(config: HeldConfig): Record<string, unknown> {
  return {
    subscriber_id: config.subscriber_id,
    url: config.url,
    event_types: config.event_types,
    ...(config.authentication && { authentication: { schemes: config.authentication.schemes } }),
    active: config.active && config.held === undefined,
    ...(config.held && {
      ext: { interchange: { proof: config.held.proof, proof_reason: config.held.reason } },
    }),
  };
}
