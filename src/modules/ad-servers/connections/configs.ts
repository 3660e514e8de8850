import { invalid } from '../../../platform/errors.js';
import type { GamAccount } from './gam-account.js';
import type { AdServerConfigBody } from '../schemas.js';

/*
 * A saved ad-server body split by sensitivity: the secrets (sealed at rest, never returned or
 * logged) and the config stored in the clear, plus the hosted AdServerConfigView of it. One
 * place per ad-server type, so the connection lifecycle stays the same for all of them.
 */

export interface SplitConfig {
  config: Record<string, unknown>;
  /**
   * Undefined when the body carries no secret: the stored ones are kept (a rotation of config
   * only); null when the stored ones are dropped (an Ad Manager source moving to the instance's
   * service account).
   */
  secrets: Record<string, unknown> | undefined | null;
  /** The source's name when the call creates it. */
  name: string;
}

export function splitConfig(
  body: AdServerConfigBody,
  previous?: Record<string, unknown>,
  gamAccount: GamAccount = 'publisher',
): SplitConfig {
  switch (body.type) {
    case 'google_ad_manager': {
      const { serviceAccountKey, name, ...config } = body;
      const sourceName = name ?? `Google Ad Manager ${config.networkCode}`;
      // The instance's account is configuration: neither its key nor its email is stored.
      if (gamAccount === 'instance') return { config, secrets: null, name: sourceName };
      const email = serviceAccountKey?.client_email ?? previous?.['serviceAccountEmail'];
      return {
        config: { ...config, ...(email ? { serviceAccountEmail: email } : {}) },
        secrets: serviceAccountKey ? { serviceAccountKey } : undefined,
        name: sourceName,
      };
    }
    case 'springserve': {
      const { password, apiToken, name, ...config } = body;
      const secrets = {
        ...(password && { password }),
        ...(apiToken && { apiToken }),
      };
      return {
        config,
        secrets: Object.keys(secrets).length ? secrets : undefined,
        name: name ?? `SpringServe ${config.email ?? ''}`.trim(),
      };
    }
    case 'freewheel': {
      const { clientSecret, password, apiToken, name, ...config } = body;
      const secrets = {
        ...(clientSecret && { clientSecret }),
        ...(password && { password }),
        ...(apiToken && { apiToken }),
      };
      return {
        config,
        secrets: Object.keys(secrets).length ? secrets : undefined,
        name: name ?? `FreeWheel ${config.clientId ?? config.username ?? ''}`.trim(),
      };
    }
    default:
      throw invalid(
        `The ${body.type} adapter is not available yet: google_ad_manager, springserve and freewheel are`,
        'type',
      );
  }
}

/**
 * A FreeWheel or SpringServe body must carry credentials the connection can act with, unless the
 * source already holds this ad server's (a save of its configuration alone keeps them): else a
 * 400 naming the fields, before anything is written. Ad Manager's account is decided by
 * gamAccountFor.
 */
export function assertCredentials(body: AdServerConfigBody, holdsStored: boolean): void {
  if (holdsStored) return;
  if (body.type === 'freewheel') {
    const { clientId, clientSecret, username, password, apiToken } = body;
    if ((clientId && clientSecret) || (username && password) || apiToken) return;
    throw invalid(
      'FreeWheel needs credentials: clientId and clientSecret (client-credentials grant), or username and password (legacy password grant), or apiToken',
      clientId ? 'clientSecret' : username ? 'password' : 'clientId',
    );
  }
  if (body.type === 'springserve') {
    const { email, password, apiToken } = body;
    if ((email && password) || apiToken) return;
    throw invalid(
      'SpringServe needs credentials: email and password of the API user, or apiToken',
      email ? 'password' : 'email',
    );
  }
}

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/** The hosted AdServerConfigView of a stored config: never a secret. */
export function adServerView(type: string, config: Record<string, unknown>) {
  if (type === 'springserve') {
    return {
      type,
      email: stringOrNull(config['email']),
      environment: stringOrNull(config['environment']) ?? 'production',
      defaultDemandPartnerId:
        typeof config['defaultDemandPartnerId'] === 'number'
          ? config['defaultDemandPartnerId']
          : null,
      rateCurrency: stringOrNull(config['rateCurrency']),
    };
  }
  if (type === 'freewheel') {
    return {
      type,
      clientId: stringOrNull(config['clientId']),
      username: stringOrNull(config['username']),
      environment: stringOrNull(config['environment']) ?? 'production',
      defaultAdvertiserId: stringOrNull(config['defaultAdvertiserId']),
      executionCurrency: stringOrNull(config['executionCurrency']),
    };
  }
  return { type, networkCode: String(config['networkCode'] ?? '') };
}

/** The account a connection names, for its tenant id: the network code, else the API user. */
export const accountOf = (config: Record<string, unknown>) =>
  String(
    config['networkCode'] ?? config['email'] ?? config['clientId'] ?? config['username'] ?? '',
  );
