import { invalid } from '../../../platform/errors.js';
import type { ServiceAccountKey } from '../adapters/gam/token.js';
import type { ConnectionRow } from '../context.js';
import type { AdServerConfigBody } from '../schemas.js';

/*
 * Which Google service account an Ad Manager source acts as (docs/ad-servers.md, "Connect
 * (Google Ad Manager)"): the publisher's own, whose JSON key the body carries (sealed with the
 * source), or the instance's (INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE), the one hosted's
 * `authenticationMethod: "platform_service_account"` names. The instance's key is configuration,
 * never stored: a source acts as whichever key the instance was started with, so a restart with
 * another key moves every such source to it without saving them again.
 */

const gamType = 'google_ad_manager';
const platformServiceAccount = 'platform_service_account';

export type GamAccount = 'publisher' | 'instance';

type GamBody = Extract<AdServerConfigBody, { type: 'google_ad_manager' }>;

const noAccount =
  'Ad Manager needs a service account: send serviceAccountKey (the JSON key of a service account added as an API user in Ad Manager), or ask the operator to configure INTERCHANGE_GAM_SERVICE_ACCOUNT_KEY_FILE so that sources use the instance’s own service account';

/**
 * The account a saved GAM body acts as: its own key; else, unless it asks for the platform's
 * account, the key the source already holds; else the instance's. Throws invalid naming
 * serviceAccountKey when there is none, or when the body carries a key and asks for the
 * platform's account at once.
 */
export function gamAccountFor(
  body: GamBody,
  holdsOwnKey: boolean,
  instanceKey: ServiceAccountKey | undefined,
): GamAccount {
  const asksForPlatform = body.connectionContract?.authenticationMethod === platformServiceAccount;
  if (body.serviceAccountKey) {
    if (asksForPlatform) {
      throw invalid(
        `authenticationMethod ${platformServiceAccount} acts as the instance’s service account: leave serviceAccountKey out, or name another authenticationMethod to use your own`,
        'serviceAccountKey',
      );
    }
    return 'publisher';
  }
  if (holdsOwnKey && !asksForPlatform) return 'publisher';
  if (instanceKey) return 'instance';
  throw invalid(noAccount, 'serviceAccountKey');
}

/** Whether a stored connection acts as the instance's account (a GAM source without a key). */
const actsAsInstance = (connection: ConnectionRow) =>
  connection.type === gamType && !connection.credentialsSealed;

/**
 * What the connection view says of its credentials: whether it has some to act with, and the
 * email of the service account it acts as (the user the publisher adds in Ad Manager).
 */
export function connectionAuth(
  connection: ConnectionRow | undefined,
  instanceKey: ServiceAccountKey | undefined,
): { configured: boolean; serviceAccountEmail: string | null } {
  if (!connection) return { configured: false, serviceAccountEmail: null };
  if (actsAsInstance(connection)) {
    return {
      configured: Boolean(instanceKey),
      serviceAccountEmail: instanceKey?.client_email ?? null,
    };
  }
  const email = connection.config['serviceAccountEmail'];
  return {
    configured: Boolean(connection.credentialsSealed),
    serviceAccountEmail: typeof email === 'string' ? email : null,
  };
}
