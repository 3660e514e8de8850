import type { Db } from '../../../../platform/db/database.js';
import type { StoredSourceRow } from '../../../inventory-sources/index.js';
import type { ModularRow } from '../../context.js';
import { modulesFor, type StageSpec } from '../../lifecycle/contracts.js';
import { configsOf } from '../../lifecycle/projection.js';
import { modulesOf } from '../../lifecycle/store.js';

/** A stage a source's enabled module implements, and that module's row (its work items'). */
export interface FoundStage {
  stage: StageSpec;
  moduleRowId: number;
}

/**
 * The stages of a source's enabled modules, as its setup and module config say now: `find`
 * answers the first enabled module implementing a stage (undefined when none does).
 */
export async function stagesOf(db: Db, row: StoredSourceRow, modular: ModularRow) {
  const modules = await modulesOf(db, row.id);
  const specs = modulesFor(modular.setup, configsOf(modules));
  const active = new Map(
    modules.filter((m) => m.operatorStatus !== 'DISABLED').map((m) => [m.moduleInstanceId, m.id]),
  );
  const find = (stage: StageSpec['stage']): FoundStage | undefined => {
    for (const spec of specs) {
      const found = spec.stages.find((s) => s.stage === stage);
      const moduleRowId = active.get(spec.moduleInstanceId);
      if (found && moduleRowId !== undefined) return { stage: found, moduleRowId };
    }
    return undefined;
  };
  /** The configured name of the system a module's stage works in (execution, booking). */
  const systemName = (moduleInstanceId: string): string | undefined => {
    const configured = modules.find((m) => m.moduleInstanceId === moduleInstanceId)?.config?.[
      'systemName'
    ];
    return typeof configured === 'string' && configured ? configured : undefined;
  };
  return { find, systemName };
}
