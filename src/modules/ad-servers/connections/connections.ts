import { invalid } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { AdServerError, remediationOf, type CapabilityCheck } from '../adapters/port.js';
import {
  adServerExecutionType,
  credentialContext,
  type AdServerContext,
  type ConnectionRow,
  type OwnedConnection,
} from '../context.js';
import { insertConnection, updateConnection, type NewConnection } from './connections-store.js';
import { assertCredentials, splitConfig, type SplitConfig } from './configs.js';
import { connectionAuth, gamAccountFor } from './gam-account.js';
import type { AdServerConfigBody } from '../schemas.js';
import { reportConnection } from './self-report.js';
import { history } from '../sync/runs-store.js';
import type { InventorySync } from '../sync/sync.js';
import { connectionView } from '../views.js';

/*
 * The connection's lifecycle (hosted: create the connection → save the ad-server config → test
 * → deactivate or reactivate): a PUT of the config creates the MANAGED_SALES_AGENT source when
 * the sourceId is new, seals the credentials, and provisions at once (a connection test);
 * provisioningStatus follows pending → provisioning → active | failed, deactivated.
 */

export interface TestOutcome {
  success: boolean;
  error: string | null;
  errorCode: string | null;
  remediation: string | null;
  details: Record<string, unknown> | null;
  capabilityChecks: CapabilityCheck[];
  testedAt: string;
}

export function createConnections(ctx: AdServerContext, sync: InventorySync) {
  const update = (id: number, fields: Partial<NewConnection>) =>
    updateConnection(ctx.db, id, { ...fields, updatedAt: ctx.now() });

  /** Probes the ad server with the stored credentials and records the outcome on the connection. */
  async function test(
    connection: ConnectionRow,
  ): Promise<{ outcome: TestOutcome; row: ConnectionRow }> {
    const testedAt = ctx.now();
    let checks: CapabilityCheck[];
    try {
      checks = await ctx.adapterFor(connection).testConnection();
    } catch (error) {
      if (!(error instanceof AdServerError)) throw error;
      checks = [
        {
          capability: 'network',
          status: 'failed',
          message: error.message,
          errorCode: error.code,
          remediation: remediationOf[error.code],
        },
      ];
    }
    const failed = checks.find((c) => c.status === 'failed');
    const outcome: TestOutcome = {
      success: !failed,
      error: failed?.message ?? null,
      errorCode: failed?.errorCode ?? null,
      remediation: failed?.remediation ?? null,
      details: failed ? { capability: failed.capability } : null,
      capabilityChecks: checks,
      testedAt: testedAt.toISOString(),
    };
    const deactivated = connection.provisioningStatus === 'deactivated';
    const row = await update(connection.inventorySourceId, {
      lastTestedAt: testedAt,
      lastError: outcome.error,
      lastErrorCode: outcome.errorCode,
      ...(!deactivated && {
        provisioningStatus: failed ? 'failed' : 'active',
        ...(!failed && !connection.provisionedAt && { provisionedAt: testedAt }),
      }),
    });
    return { outcome, row };
  }

  /** Once tested: readiness and selling hear how it stands, and an active one's first sync starts. */
  async function afterProvisioning(owned: OwnedConnection, row: ConnectionRow) {
    await reportConnection(ctx, owned.row, row);
    if (row.provisioningStatus === 'active' && ctx.deps.jobs.isStarted()) {
      await sync.start(row.inventorySourceId);
    }
  }

  function sealed(id: number, secrets: SplitConfig['secrets'], previous: string | null) {
    if (secrets === null) return null;
    if (!secrets) return previous;
    return ctx.deps.secrets.seal(JSON.stringify(secrets), credentialContext(id));
  }

  return {
    test,

    /** PUT|PATCH …/{sourceId}/ad-server and PUT …/adapter-config: save (and create), then provision. */
    async save(
      principal: CustomerPrincipal,
      sourceId: string,
      body: AdServerConfigBody,
      rotateOnly = false,
    ) {
      let owned = await ctx.requireOwned(principal, sourceId).catch(async (error: unknown) => {
        if (rotateOnly) throw error;
        const storefront = await ctx.deps.storefronts.requireOwn(principal);
        const existing = await ctx.deps.inventorySources.findStored(storefront.id, sourceId);
        if (existing) throw error; // another kind's source under this slug
        return undefined;
      });
      if (owned && rotateOnly) {
        if (!owned.connection) throw invalid('Save the ad-server config first', 'type');
        if (owned.connection.type !== body.type) {
          throw invalid(
            `The source is connected to ${owned.connection.type}: rotate its own credentials, or PUT …/ad-server to switch`,
            'type',
          );
        }
      }
      // Ad Manager: the publisher's own service account or the instance's, decided before
      // anything is written (no account at all is a 400, not a source that cannot connect).
      const gamAccount =
        body.type === 'google_ad_manager'
          ? gamAccountFor(
              body,
              owned?.connection?.type === body.type && Boolean(owned.connection.credentialsSealed),
              ctx.deps.gamServiceAccountKey,
            )
          : undefined;
      // FreeWheel and SpringServe: no credentials to act with is a 400, not a source that cannot connect.
      assertCredentials(
        body,
        owned?.connection?.type === body.type && Boolean(owned.connection.credentialsSealed),
      );
      const split = splitConfig(body, undefined, gamAccount);
      if (!owned) {
        const storefront = await ctx.deps.storefronts.requireOwn(principal);
        await ctx.db.transaction(async (tx) => {
          const row = await ctx.deps.inventorySources.registerOfKind(tx, principal, {
            executionType: adServerExecutionType,
            name: split.name,
            sourceId,
            // It sells once its connection test passes (self-report.ts reports that).
            status: 'PENDING',
          });
          await insertConnection(tx, {
            inventorySourceId: row.id,
            storefrontId: storefront.id,
            type: body.type,
            config: split.config,
            credentialsSealed: sealed(row.id, split.secrets, null),
            provisioningStatus: 'pending',
          });
        });
        owned = await ctx.requireOwned(principal, sourceId);
      } else if (rotateOnly && owned.connection) {
        const rotated = splitConfig(body, owned.connection.config, gamAccount);
        const config = { ...owned.connection.config, ...rotated.config };
        // Moving to the instance's account: the email of the key no longer used goes too.
        if (gamAccount === 'instance') delete config['serviceAccountEmail'];
        await update(owned.row.id, {
          config,
          credentialsSealed: sealed(
            owned.row.id,
            rotated.secrets,
            owned.connection.credentialsSealed,
          ),
        });
      } else if (owned.connection) {
        const replaced = splitConfig(body, owned.connection.config, gamAccount);
        // Another ad server's secrets never carry over to this one.
        const kept =
          owned.connection.type === body.type ? owned.connection.credentialsSealed : null;
        await update(owned.row.id, {
          type: body.type,
          config: replaced.config,
          credentialsSealed: sealed(owned.row.id, replaced.secrets, kept),
          ...(owned.connection.provisioningStatus !== 'deactivated' && {
            provisioningStatus: 'pending',
          }),
        });
      }
      const connection = (await ctx.connectionOf(owned.row.id))!;
      const auth = connectionAuth(connection, ctx.deps.gamServiceAccountKey);
      if (!auth.configured) {
        await reportConnection(ctx, owned.row, connection);
        return connectionView(owned, connection, null, auth);
      }
      if (connection.provisioningStatus !== 'deactivated') {
        await update(owned.row.id, { provisioningStatus: 'provisioning' });
      }
      const { row } = await test(connection);
      await afterProvisioning(owned, row);
      return this.view(principal, sourceId);
    },

    async view(principal: CustomerPrincipal, sourceId: string) {
      const owned = await ctx.requireOwned(principal, sourceId);
      const auth = connectionAuth(owned.connection, ctx.deps.gamServiceAccountKey);
      return connectionView(owned, owned.connection, await latestRun(ctx, owned.row.id), auth);
    },

    async testConnection(principal: CustomerPrincipal, sourceId: string): Promise<TestOutcome> {
      const owned = await ctx.requireOwned(principal, sourceId);
      if (!owned.connection) throw invalid('Save the ad-server config first', 'sourceId');
      const { outcome, row } = await test(owned.connection);
      await afterProvisioning(owned, row);
      return outcome;
    },

    async deactivate(principal: CustomerPrincipal, sourceId: string) {
      const owned = await ctx.requireOwned(principal, sourceId);
      if (!owned.connection) throw invalid('Save the ad-server config first', 'sourceId');
      const row = await update(owned.row.id, {
        provisioningStatus: 'deactivated',
        deactivatedAt: ctx.now(),
      });
      await reportConnection(ctx, owned.row, row);
      return this.view(principal, sourceId);
    },

    async reactivate(principal: CustomerPrincipal, sourceId: string) {
      const owned = await ctx.requireOwned(principal, sourceId);
      if (!owned.connection) throw invalid('Save the ad-server config first', 'sourceId');
      const reopened = await update(owned.row.id, {
        provisioningStatus: 'provisioning',
        deactivatedAt: null,
      });
      const { row } = await test(reopened);
      await afterProvisioning(owned, row);
      return this.view(principal, sourceId);
    },
  };
}

async function latestRun(ctx: AdServerContext, id: number) {
  return (await history(ctx.db, id, { syncType: 'inventory', limit: 1 }))[0] ?? null;
}

export type Connections = ReturnType<typeof createConnections>;
