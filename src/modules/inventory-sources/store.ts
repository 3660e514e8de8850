import { and, asc, count, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { preparedPerDb } from '../../platform/db/prepared.js';
import { conflict } from '../../platform/errors.js';
import { inventorySources } from './tables.js';
import type { CachedCapabilities, CallErrorRecord } from './schemas.js';
import { agentDescriptor } from '../../source-kinds/descriptors.js';

/** Any live source row, drafts (no endpoint yet) included: what the operator sees. */
export type StoredSourceRow = typeof inventorySources.$inferSelect;
/** A source with an endpoint (every one but a draft): the only kind agents and buyers reach. */
export type SourceRow = StoredSourceRow & { endpointUrl: string; agentId: string };
export type NewSource = typeof inventorySources.$inferInsert;

const live = isNull(inventorySources.deletedAt);

export const isConnected = (row: StoredSourceRow): row is SourceRow =>
  row.endpointUrl !== null && row.agentId !== null;

/**
 * An AGENT source without an endpoint yet. Sources of other kinds (a modular source) are served
 * by Interchange itself: they have no endpoint and are never drafts.
 */
export const isDraft = (row: StoredSourceRow): boolean =>
  row.executionType === agentDescriptor.executionType && !isConnected(row);

export async function insertSource(db: Db, input: NewSource): Promise<StoredSourceRow> {
  try {
    const [row] = await db.insert(inventorySources).values(input).returning();
    return row as StoredSourceRow;
  } catch (error) {
    if (isUniqueViolation(error, 'inventory_sources_slug_key')) {
      throw conflict('This storefront already has a source with this sourceId', 'sourceId');
    }
    throw error;
  }
}

export async function sourceIdTaken(db: Db, storefrontId: number, sourceId: string) {
  const [row] = await db
    .select({ id: inventorySources.id })
    .from(inventorySources)
    .where(
      and(
        eq(inventorySources.storefrontId, storefrontId),
        eq(inventorySources.sourceId, sourceId),
        live,
      ),
    );
  return row !== undefined;
}

export async function findSource(
  db: Db,
  storefrontId: number,
  sourceId: string,
): Promise<StoredSourceRow | undefined> {
  const [row] = await db
    .select()
    .from(inventorySources)
    .where(
      and(
        eq(inventorySources.storefrontId, storefrontId),
        eq(inventorySources.sourceId, sourceId),
        live,
      ),
    );
  return row;
}

export async function listSources(db: Db, storefrontId: number): Promise<StoredSourceRow[]> {
  return db
    .select()
    .from(inventorySources)
    .where(and(eq(inventorySources.storefrontId, storefrontId), live))
    .orderBy(asc(inventorySources.id));
}

export async function updateSource(
  db: Db,
  id: number,
  patch: Partial<NewSource>,
): Promise<StoredSourceRow> {
  const [row] = await db
    .update(inventorySources)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(inventorySources.id, id))
    .returning();
  return row as StoredSourceRow;
}

/** Records a probe outcome without touching updatedAt (a probe is not an edit). */
/** Keeps the last failed call a storefront agent made to the source (operator diagnostics). */
export async function recordCallError(db: Db, id: number, error: CallErrorRecord): Promise<void> {
  await db
    .update(inventorySources)
    .set({ lastCallError: error })
    .where(eq(inventorySources.id, id));
}

export async function recordProbe(
  db: Db,
  id: number,
  patch: Pick<
    Partial<NewSource>,
    'capabilities' | 'lastProbeAt' | 'lastSuccessAt' | 'lastError' | 'lastLatencyMs'
  >,
): Promise<StoredSourceRow> {
  const [row] = await db
    .update(inventorySources)
    .set(patch)
    .where(eq(inventorySources.id, id))
    .returning();
  return row as StoredSourceRow;
}

/** PENDING → ACTIVE, only if still PENDING (two reports at once promote once); the row or undefined. */
export async function promotePending(db: Db, id: number): Promise<StoredSourceRow | undefined> {
  const [row] = await db
    .update(inventorySources)
    .set({ status: 'ACTIVE', updatedAt: new Date() })
    .where(and(eq(inventorySources.id, id), eq(inventorySources.status, 'PENDING'), live))
    .returning();
  return row;
}

export async function countActive(db: Db, storefrontIds: number[]): Promise<Map<number, number>> {
  if (storefrontIds.length === 0) return new Map();
  const rows = await db
    .select({ storefrontId: inventorySources.storefrontId, n: count() })
    .from(inventorySources)
    .where(
      and(
        inArray(inventorySources.storefrontId, storefrontIds),
        eq(inventorySources.status, 'ACTIVE'),
        live,
      ),
    )
    .groupBy(inventorySources.storefrontId);
  return new Map(rows.map((r) => [r.storefrontId, r.n]));
}

/** What buyer-facing listings need of a source: its probed capabilities, no credentials. */
export interface SourceSummaryRow {
  id: number;
  storefrontId: number;
  sourceId: string;
  name: string;
  type: string;
  agentId: string;
  requiresCredentials: boolean;
  capabilities: CachedCapabilities | null;
  lastSuccessAt: Date | null;
}

/** ACTIVE sources of several storefronts, lean, for buyer-facing listings. */
/** The ACTIVE sources of some storefronts, one prepared statement for any number of them. */
const activeSourcesOf = preparedPerDb((db) =>
  db
    .select({
      id: inventorySources.id,
      storefrontId: inventorySources.storefrontId,
      sourceId: inventorySources.sourceId,
      name: inventorySources.name,
      type: inventorySources.type,
      agentId: inventorySources.agentId,
      requiresCredentials: inventorySources.requiresCredentials,
      capabilities: inventorySources.capabilities,
      lastSuccessAt: inventorySources.lastSuccessAt,
    })
    .from(inventorySources)
    .where(
      and(
        sql`${inventorySources.storefrontId} = any(${sql.placeholder('ids')}::int[])`,
        eq(inventorySources.status, 'ACTIVE'),
        live,
      ),
    )
    .orderBy(asc(inventorySources.storefrontId), asc(inventorySources.id))
    .prepare('inventory_sources_active_for'),
);

export async function listActiveFor(db: Db, storefrontIds: number[]): Promise<SourceSummaryRow[]> {
  if (storefrontIds.length === 0) return [];
  // ACTIVE implies an endpoint (a draft cannot be activated), hence an agent id.
  return (await activeSourcesOf(db).execute({ ids: storefrontIds })) as SourceSummaryRow[];
}

/** Live sources backed by any of these agents, across storefronts. */
export async function listByAgents(db: Db, agentIds: string[]): Promise<SourceRow[]> {
  if (agentIds.length === 0) return [];
  // A draft has no agent id, so every row found here is connected.
  return (await db
    .select()
    .from(inventorySources)
    .where(and(inArray(inventorySources.agentId, agentIds), live))
    .orderBy(asc(inventorySources.storefrontId), asc(inventorySources.id))) as SourceRow[];
}

/** Every live connected source not DISABLED, across storefronts (the compliance schedule). */
export async function listLiveConnected(db: Db): Promise<SourceRow[]> {
  return (await db
    .select()
    .from(inventorySources)
    .where(
      and(isNotNull(inventorySources.endpointUrl), ne(inventorySources.status, 'DISABLED'), live),
    )
    .orderBy(asc(inventorySources.id))) as SourceRow[];
}
