import { servedSourceTools } from '../../../sources/capabilities.js';
import type { SelfProblem, StoredSourceRow } from '../../inventory-sources/index.js';
import type { AdServerContext, ConnectionRow } from '../context.js';
import { connectionAuth } from './gam-account.js';
import { mediaOf } from '../media.js';
import { publisherDomainOf, rulesOf } from '../products.js';

/*
 * What an ad-server source tells inventory-sources in place of a probe (readiness and the
 * storefront agent read it): what it offers, and why it cannot sell now when it cannot, in
 * words that say what the operator must do. It sells only while its connection is active.
 */

const tools = servedSourceTools;

// Codes of a connection test meaning the ad server refused who we are, not that it is down.
const credentialCodes = new Set(['ADAPTER_INVALID_CREDENTIALS', 'ADAPTER_PERMISSION_DENIED']);

/** Why a connection cannot sell now; null when it is active. */
export function problemOf(
  ctx: AdServerContext,
  row: StoredSourceRow,
  connection: ConnectionRow | undefined,
): SelfProblem | null {
  const at = `/api/v2/storefront/inventory-sources/${row.sourceId}`;
  if (!connection || !connectionAuth(connection, ctx.deps.gamServiceAccountKey).configured) {
    return {
      code: 'ADAPTER_CREDENTIALS_MISSING',
      message: `The ad server has no credentials to act with: save them (PUT ${at}/ad-server)`,
      credentials: true,
    };
  }
  switch (connection.provisioningStatus) {
    case 'active':
      return null;
    case 'deactivated':
      return {
        code: 'ADAPTER_DEACTIVATED',
        message: `The ad-server connection is deactivated: reactivate it (POST ${at}/reactivate)`,
      };
    case 'failed': {
      const code = connection.lastErrorCode ?? 'ADAPTER_CONNECTION_FAILED';
      return {
        code,
        message: `The ad server refused the connection test (${code}: ${connection.lastError ?? 'no detail'}): fix the credentials or configuration (PUT ${at}/ad-server) and test again`,
        ...(credentialCodes.has(code) && { credentials: true }),
      };
    }
    default:
      return {
        code: 'ADAPTER_NOT_TESTED',
        message: `The ad-server connection has not passed a test yet (POST ${at}/test-connection)`,
      };
  }
}

/** Reports the source's offer and its connection's state to inventory-sources. */
export async function reportConnection(
  ctx: AdServerContext,
  row: StoredSourceRow,
  connection: ConnectionRow | undefined,
): Promise<void> {
  const rules = connection ? (rulesOf(connection) ?? [{}]) : [];
  const channels = connection
    ? rules.flatMap((rule) => mediaOf(connection.type, rule, []).channels)
    : [];
  const domain = connection ? await publisherDomainOf(ctx, connection) : undefined;
  await ctx.deps.inventorySources.recordSelfReport(row, {
    declared: {
      agentName: row.name,
      tools,
      channels,
      // Neither the connection nor the storefront names one: nothing to authorize.
      publisherDomains: domain && domain !== 'unknown.invalid' ? [domain] : [],
      pricingModels: ['cpm'],
    },
    problem: problemOf(ctx, row, connection),
  });
}
