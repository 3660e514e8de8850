import type { ModularSetup } from '../setup/modes.js';
import { type FieldSpec, type ModuleConfigs, type ModuleSpec, modulesFor } from './contracts.js';

/** The spec of a stored module (its contract id names it; the setup gives its stages). */
export function specOf(
  setup: ModularSetup,
  moduleInstanceId: string,
  configs: ModuleConfigs = {},
): ModuleSpec | undefined {
  return modulesFor(setup, configs).find((m) => m.moduleInstanceId === moduleInstanceId);
}

/** The setup fields a module still lacks in `config`. */
export function missingFields(spec: ModuleSpec, config: Record<string, unknown>): FieldSpec[] {
  return spec.setupFields.filter(
    (f) =>
      f.required && (config[f.key] === undefined || config[f.key] === null || config[f.key] === ''),
  );
}

/** The stage and its module for a work item kind. */
export function stageOfKind(setup: ModularSetup, kind: string, configs: ModuleConfigs = {}) {
  for (const spec of modulesFor(setup, configs)) {
    const stage = spec.stages.find((s) => s.workItemKind === kind);
    if (stage) return { spec, stage };
  }
  return undefined;
}
