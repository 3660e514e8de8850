import { servedSourceTools } from '../../../sources/capabilities.js';
import type { StoredSourceRow } from '../../inventory-sources/index.js';
import type { ModularContext, ModularRow } from '../context.js';
import { buildProjection, type ModularProjection } from './projection.js';
import { factsOf, modulesOf, offeredOf } from './store.js';

/** The AdCP tools it answers through the storefront (the source port). */
const tools = servedSourceTools;

export function createLifecycle(ctx: ModularContext) {
  async function project(row: StoredSourceRow, modular: ModularRow): Promise<ModularProjection> {
    const modules = await modulesOf(ctx.db, row.id);
    const facts = await factsOf(
      ctx.db,
      row.id,
      modules.map((m) => m.id),
      ctx.now(),
    );
    return buildProjection(row, modular, modules, facts);
  }

  return {
    project,
    /**
     * Tells inventory-sources what the source offers and whether it is healthy (in place of a
     * probe), so readiness, sourceDiagnostics and buyer listings see modular sources too; then
     * answers the fresh projection.
     */
    async report(row: StoredSourceRow, modular: ModularRow): Promise<ModularProjection> {
      const projection = await project(row, modular);
      const offered = await offeredOf(ctx.db, row.id);
      const blocked = projection.inventorySource.lastError;
      await ctx.deps.inventorySources.recordSelfReport(row, {
        declared: {
          agentName: row.name,
          tools,
          channels: offered?.channels ?? [],
          publisherDomains: (offered?.domains ?? []).filter(Boolean),
          pricingModels: ['cpm'],
        },
        problem: blocked ? { code: 'MODULE_ERROR', message: blocked } : null,
      });
      return projection;
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
