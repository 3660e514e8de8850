import { eq } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import type { ModuleSpec } from '../lifecycle/contracts.js';
import { modularModuleCredentials, modularModules, modularSources } from '../tables.js';

/** Every query on a modular source's setup row, its modules and their sealed credentials. */

export type ModularRow = typeof modularSources.$inferSelect;
export type NewModularRow = typeof modularSources.$inferInsert;
export type ModuleRecord = typeof modularModules.$inferSelect;
export type CredentialRow = typeof modularModuleCredentials.$inferSelect;

/** A modular source's setup by its inventory-source row id, or undefined. */
export async function findModular(
  db: Db,
  inventorySourceId: number,
): Promise<ModularRow | undefined> {
  const [row] = await db
    .select()
    .from(modularSources)
    .where(eq(modularSources.inventorySourceId, inventorySourceId));
  return row;
}

/** A modular source's setup, only when it is the given storefront's (else undefined). */
export async function findModularOf(
  db: Db,
  storefrontId: number,
  inventorySourceId: number,
): Promise<ModularRow | undefined> {
  const [row] = await db
    .select()
    .from(modularSources)
    .where(columnsEqual(modularSources, { inventorySourceId, storefrontId }));
  return row;
}

/** Inserts a new modular source's setup row (in the caller's transaction) and answers it. */
export async function insertModular(db: Db, values: NewModularRow): Promise<ModularRow> {
  const [row] = await db.insert(modularSources).values(values).returning();
  return row!;
}

/** Inserts one module of a new source, as its contract spec describes it. */
export async function insertModule(
  db: Db,
  owner: { inventorySourceId: number; storefrontId: number },
  spec: ModuleSpec,
  checkedAt: Date,
): Promise<void> {
  await db.insert(modularModules).values({
    inventorySourceId: owner.inventorySourceId,
    storefrontId: owner.storefrontId,
    moduleInstanceId: spec.moduleInstanceId,
    kind: spec.kind,
    name: spec.name,
    provider: spec.contract.provider,
    contractId: spec.contract.contractId,
    contractVersion: spec.contract.version,
    config: spec.initialConfig,
    lastCheckedAt: checkedAt,
  });
}

/** A source's module by its instance id (e.g. `avails-feed`), or undefined. */
export async function findModule(
  db: Db,
  inventorySourceId: number,
  moduleInstanceId: string,
): Promise<ModuleRecord | undefined> {
  const [row] = await db
    .select()
    .from(modularModules)
    .where(columnsEqual(modularModules, { inventorySourceId, moduleInstanceId }));
  return row;
}

/** Sets a module's config, operator status and last error. */
export async function updateModule(
  db: Db,
  moduleRowId: number,
  values: {
    config: Record<string, unknown>;
    operatorStatus: ModuleRecord['operatorStatus'];
    lastError: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .update(modularModules)
    .set({
      config: values.config,
      operatorStatus: values.operatorStatus,
      lastError: values.lastError,
      lastCheckedAt: values.at,
      updatedAt: values.at,
    })
    .where(eq(modularModules.id, moduleRowId));
}

/** Stores a sealed credential of a module and answers its record. */
export async function insertCredential(
  db: Db,
  values: { id: string; moduleRowId: number; storefrontId: number; name: string; sealed: string },
): Promise<CredentialRow> {
  const [row] = await db.insert(modularModuleCredentials).values(values).returning();
  return row!;
}

/**
 * Replaces an ACTIVE credential's sealed secret (null erases it: `revoke` also sets the status),
 * answering the record, or undefined when the module has no such active credential.
 */
export async function updateActiveCredential(
  db: Db,
  moduleRowId: number,
  credentialId: string,
  values: Partial<Pick<CredentialRow, 'sealed' | 'status' | 'rotatedAt' | 'revokedAt'>>,
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .update(modularModuleCredentials)
    .set(values)
    .where(
      columnsEqual(modularModuleCredentials, { id: credentialId, moduleRowId, status: 'ACTIVE' }),
    )
    .returning();
  return row;
}

/** A module's credential by id, whatever its status, or undefined. */
export async function findCredential(
  db: Db,
  moduleRowId: number,
  credentialId: string,
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .select()
    .from(modularModuleCredentials)
    .where(columnsEqual(modularModuleCredentials, { id: credentialId, moduleRowId }));
  return row;
}
