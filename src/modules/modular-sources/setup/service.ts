import { randomBytes, randomUUID } from 'node:crypto';
import { invalid, notFound } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import type { ModularContext, OwnedModular } from '../context.js';
import { modularExecutionType } from '../context.js';
import { type FieldSpec, modulesFor } from '../lifecycle/contracts.js';
import { missingFields, specOf } from '../lifecycle/lookup.js';
import { configsOf } from '../lifecycle/projection.js';
import type { Lifecycle } from '../lifecycle/service.js';
import { modulesOf } from '../lifecycle/store.js';
import type { CreateFeedSourceInput, ModuleConfigInput } from '../schemas/setup.js';
import type { ModularSetup } from './modes.js';
import * as store from './store.js';

/** Creating modular sources, their modules' config and their credentials. */
export function createSetup(ctx: ModularContext, lifecycle: Lifecycle) {
  const { db } = ctx;

  async function requireModule(owned: OwnedModular, moduleInstanceId: string) {
    const row = await store.findModule(db, owned.row.id, moduleInstanceId);
    if (!row) throw notFound('Module');
    return row;
  }

  /** The sealing context binds a credential to its module: a ciphertext moved elsewhere will not open. */
  const credentialContext = (moduleRowId: number, id: string) =>
    `modular-credential:${moduleRowId}:${id}`;

  return {
    /**
     * Creates a MODULAR_SOURCE (ACTIVE: it sells as soon as avails are committed) with the
     * built-in avails feed, the booking ledger unless `includeBookingLedger` is false, and the
     * modules its modes call for; all in one transaction.
     */
    async create(principal: CustomerPrincipal, input: CreateFeedSourceInput) {
      const setup: ModularSetup = {
        includeBookingLedger: input.includeBookingLedger,
        availsSource: input.availsSource ?? {},
        booking: input.booking ?? {},
        execution: input.execution ?? {},
        reporting: input.reporting ?? {},
        creative: input.creative ?? {},
        notes: input.notes ?? null,
      };
      if (!input.includeBookingLedger && input.booking?.mode === 'booking_ledger') {
        throw invalid('booking.mode booking_ledger needs includeBookingLedger', 'booking.mode');
      }
      const { row, modular } = await db.transaction(async (tx) => {
        const row = await ctx.deps.inventorySources.registerOfKind(tx, principal, {
          executionType: modularExecutionType,
          name: input.name,
          sourceId: input.sourceId,
          // Nothing to connect: it sells what its feed holds from the start.
          status: 'ACTIVE',
        });
        const modular = await store.insertModular(tx, {
          inventorySourceId: row.id,
          storefrontId: row.storefrontId,
          setup,
          columnMapping: input.columnMapping ?? {},
          feedId: randomUUID(),
        });
        for (const spec of modulesFor(setup)) {
          await store.insertModule(
            tx,
            { inventorySourceId: row.id, storefrontId: row.storefrontId },
            spec,
            ctx.now(),
          );
        }
        return { row, modular };
      });
      const projection = await lifecycle.report(row, modular);
      return { inventorySourceId: String(row.id), sourceId: row.sourceId, projection };
    },

    async projection(owned: OwnedModular) {
      return lifecycle.project(owned.row, owned.modular);
    },

    /**
     * Sets a module's non-secret config (deep-merged unless merge is false) and, optionally, its
     * status: ERROR blocks its stages, DISABLED takes them away, CONFIGURING clears either.
     */
    async updateModuleConfig(
      owned: OwnedModular,
      moduleInstanceId: string,
      input: ModuleConfigInput,
    ) {
      const module = await requireModule(owned, moduleInstanceId);
      const looksSecret = Object.keys(input.config).find((k) =>
        /secret|password|token|api[_-]?key/i.test(k),
      );
      if (looksSecret) {
        throw invalid(
          `${looksSecret} looks like a secret: store it as a module credential instead`,
          `config.${looksSecret}`,
        );
      }
      const config = input.merge ? deepMerge(module.config, input.config) : input.config;
      const configs = {
        ...configsOf(await modulesOf(db, owned.row.id)),
        [moduleInstanceId]: config,
      };
      const spec = specOf(owned.modular.setup, moduleInstanceId, configs);
      if (spec) {
        const wrong = spec.setupFields.find(
          (f) => config[f.key] !== undefined && !typeMatches(f, config[f.key]),
        );
        if (wrong)
          throw invalid(
            `${wrong.key} must be a ${wrong.valueType.toLowerCase()}${wrong.range ? ` above ${wrong.range.above} and at most ${wrong.range.atMost}` : ''}`,
            `config.${wrong.key}`,
          );
      }
      const operatorStatus =
        input.status === undefined
          ? module.operatorStatus
          : input.status === 'CONFIGURING'
            ? null
            : input.status;
      await store.updateModule(db, module.id, {
        config,
        operatorStatus,
        lastError:
          operatorStatus === 'ERROR'
            ? (input.error ?? module.lastError ?? 'Set to ERROR by the operator')
            : null,
        at: ctx.now(),
      });
      await ctx.deps.activity.record({
        storefrontId: owned.storefront.id,
        action: 'UPDATE',
        resourceType: 'STOREFRONT_INVENTORY_SOURCE',
        resourceId: owned.row.sourceId,
        resourceName: owned.row.name,
        description: `Module ${module.name} of ${owned.row.name}: config ${Object.keys(input.config).join(', ') || 'unchanged'}${input.status ? `, status ${input.status}` : ''}`,
      });
      return lifecycle.report(owned.row, owned.modular);
    },

    /** Stores a module credential sealed at rest; answers it without its secret. */
    async addCredential(
      owned: OwnedModular,
      moduleInstanceId: string,
      input: { name: string; secret: string },
    ) {
      const module = await requireModule(owned, moduleInstanceId);
      const id = `mcred_${randomBytes(9).toString('base64url')}`;
      const saved = await store.insertCredential(db, {
        id,
        moduleRowId: module.id,
        storefrontId: owned.storefront.id,
        name: input.name,
        sealed: ctx.deps.secrets.seal(input.secret, credentialContext(module.id, id)),
      });
      return credentialView(saved);
    },

    async rotateCredential(
      owned: OwnedModular,
      moduleInstanceId: string,
      credentialId: string,
      secret: string,
    ) {
      const module = await requireModule(owned, moduleInstanceId);
      const saved = await store.updateActiveCredential(db, module.id, credentialId, {
        sealed: ctx.deps.secrets.seal(secret, credentialContext(module.id, credentialId)),
        rotatedAt: ctx.now(),
      });
      if (!saved) throw notFound('Credential');
      return credentialView(saved);
    },

    /** Revokes a credential: its sealed secret is erased, the record kept. */
    async revokeCredential(owned: OwnedModular, moduleInstanceId: string, credentialId: string) {
      const module = await requireModule(owned, moduleInstanceId);
      const saved = await store.updateActiveCredential(db, module.id, credentialId, {
        sealed: null,
        status: 'REVOKED',
        revokedAt: ctx.now(),
      });
      if (!saved) throw notFound('Credential');
      return credentialView(saved);
    },

    /** A module's credential in clear, for the module that uses it (never for a response). */
    async openCredential(moduleRowId: number, credentialId: string): Promise<string | undefined> {
      const row = await store.findCredential(db, moduleRowId, credentialId);
      return row?.sealed
        ? ctx.deps.secrets.open(row.sealed, credentialContext(moduleRowId, credentialId))
        : undefined;
    },

    /** Whether a module lacks required setup (used by the stages it implements). */
    missingOf: missingFields,
  };
}

function credentialView(row: store.CredentialRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

function deepMerge(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      isPlain(current) && isPlain(value)
        ? deepMerge(current, value)
        : value === null
          ? undefined
          : value;
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function typeMatches(field: FieldSpec, value: unknown): boolean {
  switch (field.valueType) {
    case 'NUMBER':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!field.range || (value > field.range.above && value <= field.range.atMost))
      );
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'STRING':
      return typeof value === 'string' && value.length > 0 && value.length <= 2000;
    default:
      return true;
  }
}
