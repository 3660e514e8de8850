import { isoDateOrNull } from '../../../platform/formats.js';
import type { StoredSourceRow } from '../../inventory-sources/index.js';
import type { ModularRow } from '../context.js';
import type { modularModules } from '../tables.js';
import {
  type FieldSpec,
  type FieldSource,
  type ModuleConfigs,
  type ModuleSpec,
  modulesFor,
  type Stage,
  stages,
} from './contracts.js';
import { catalogMappingOf } from './catalog-mapping.js';
import { missingFields } from './lookup.js';
import { modularDescriptor } from '../../../source-kinds/descriptors.js';

/**
 * The operator-facing projection of a modular source (hosted getModularInventorySourceReadiness):
 * its modules with their contracts, stages and missing setup, and per stage a lifecycleSummary
 * row whose status is exactly one of seed 003's six, decided in this order:
 *   UNSUPPORTED             no active module implements the stage;
 *   BLOCKED                 a module implementing it is in ERROR (source health needs the operator);
 *   MISSING_SETUP           a module implementing it lacks required config;
 *   HITL_PENDING            a work item of the stage is open;
 *   RUNTIME_INPUTS_REQUIRED setup is complete but the stage lacks runtime data (avails, a report);
 *   READY                   otherwise.
 */
export const lifecycleStatuses = [
  'UNSUPPORTED',
  'MISSING_SETUP',
  'RUNTIME_INPUTS_REQUIRED',
  'HITL_PENDING',
  'READY',
  'BLOCKED',
] as const;
export type LifecycleStatus = (typeof lifecycleStatuses)[number];

export type ModuleRow = typeof modularModules.$inferSelect;

export interface ProjectionFacts {
  activeAvailCount: number;
  /** Open (OPEN, IN_PROGRESS, BLOCKED) work items by module row id, stage and kind. */
  openWorkItems: Array<{ moduleRowId: number | null; stage: string; kind: string; count: number }>;
  /** Booked buys whose flight ended and that have no delivery yet. */
  reportsDue: number;
  credentials: Array<{
    moduleRowId: number;
    id: string;
    name: string;
    status: string;
    createdAt: Date;
    rotatedAt: Date | null;
    revokedAt: Date | null;
  }>;
}

const groupBySource = (fields: FieldSpec[]) => {
  const by = new Map<FieldSource, FieldSpec[]>();
  for (const f of fields) by.set(f.source, [...(by.get(f.source) ?? []), f]);
  return [...by].map(([source, list]) => ({ source, fields: list.map(fieldView) }));
};

const fieldView = (f: FieldSpec) => ({
  key: f.key,
  label: f.label,
  description: f.description,
  source: f.source,
  valueType: f.valueType,
  required: f.required,
  requiredFor: f.requiredFor,
  ...(f.enumValues && { enumValues: f.enumValues }),
});

/** A module's status: the operator's ERROR or DISABLED, else CONFIGURING until set up, else ACTIVE. */
export function moduleStatus(spec: ModuleSpec, row: ModuleRow) {
  if (row.operatorStatus === 'ERROR' || row.operatorStatus === 'DISABLED')
    return row.operatorStatus;
  return missingFields(spec, row.config).length > 0 ? 'CONFIGURING' : 'ACTIVE';
}

export function configsOf(rows: ModuleRow[]): ModuleConfigs {
  return Object.fromEntries(rows.map((r) => [r.moduleInstanceId, r.config]));
}

export function buildProjection(
  source: StoredSourceRow,
  modular: ModularRow,
  rows: ModuleRow[],
  facts: ProjectionFacts,
) {
  const specs = modulesFor(modular.setup, configsOf(rows));
  const byInstance = new Map(rows.map((r) => [r.moduleInstanceId, r]));
  const openOf = (moduleRowId: number) =>
    facts.openWorkItems.filter((w) => w.moduleRowId === moduleRowId);
  const modules = specs.flatMap((spec) => {
    const row = byInstance.get(spec.moduleInstanceId);
    if (!row) return [];
    const missing = missingFields(spec, row.config);
    const open = openOf(row.id);
    const status = moduleStatus(spec, row);
    return [
      {
        spec,
        row,
        status,
        view: {
          moduleRowId: String(row.id),
          inventorySourceId: String(source.id),
          moduleInstanceId: row.moduleInstanceId,
          kind: row.kind,
          name: row.name,
          provider: row.provider,
          status,
          contractId: row.contractId,
          contractVersion: row.contractVersion,
          contract: spec.contract,
          configuredFieldKeys: Object.keys(row.config).sort(),
          missingSetupFieldsBySource: groupBySource(missing),
          lifecycle: spec.stages.map((stage) => {
            const required = spec.setupFields.filter((f) => f.requiredFor.includes(stage.stage));
            const missingHere = missing.filter((f) => f.requiredFor.includes(stage.stage));
            return {
              stage: stage.stage,
              mode: stage.mode,
              description: stage.description,
              ...(stage.workItemKind && { workItemKind: stage.workItemKind }),
              outputKeys: stage.outputKeys,
              taskContract: {
                taskId: `${spec.contract.contractId}#${stage.stage}`,
                stage: stage.stage,
                automationMode: stage.mode,
                completionPolicy: stage.mode === 'HITL' ? 'HUMAN_COMPLETES' : 'NO_TASK',
                defaultActor: stage.mode === 'HITL' ? 'operator' : 'system',
                ...(stage.workItemKind && { workItemKind: stage.workItemKind }),
                requiredInputKeys: [],
                requiredResultKeys: stage.requiredResultKeys ?? [],
                outputKeys: stage.outputKeys,
                retryable: true,
                blocksStage: stage.mode === 'HITL',
              },
              requiredFieldsBySource: groupBySource(required),
              missingSetupFieldsBySource: groupBySource(missingHere),
              moduleConfigReady: missingHere.length === 0,
            };
          }),
          openWorkItemCount: open.reduce((sum, w) => sum + w.count, 0),
          openWorkItemCountsByKind: countsByKind(open),
          lastError: row.lastError,
          lastCheckedAt: isoDateOrNull(row.lastCheckedAt),
          issues: [
            ...(row.operatorStatus === 'ERROR' ? [row.lastError ?? 'The module is in ERROR'] : []),
            ...missing.map((f) => `${f.label} (${f.key}) is not set`),
          ],
          credentials: facts.credentials
            .filter((c) => c.moduleRowId === row.id)
            .map((c) => ({
              id: c.id,
              name: c.name,
              status: c.status,
              createdAt: c.createdAt.toISOString(),
              rotatedAt: isoDateOrNull(c.rotatedAt),
              revokedAt: isoDateOrNull(c.revokedAt),
            })),
        },
      },
    ];
  });

  const lifecycleSummary = stages.map((stage) => summaryOf(stage));
  const openWorkItemCount = facts.openWorkItems.reduce((sum, w) => sum + w.count, 0);
  const healthError = modules.find((m) => m.status === 'ERROR');
  const activeCommittedAt = isoDateOrNull(modular.activeCommittedAt);
  return {
    inventorySource: {
      id: String(source.id),
      storefrontId: String(source.storefrontId),
      sourceId: source.sourceId,
      name: source.name,
      executionType: modularDescriptor.executionType,
      status: source.status,
      healthStatus: healthError ? 'BLOCKED' : 'HEALTHY',
      lastError: healthError ? (healthError.row.lastError ?? 'A module is in ERROR') : null,
      lastCheckedAt: isoDateOrNull(source.lastProbeAt),
    },
    modules: modules.map((m) => m.view),
    lifecycleSummary,
    openWorkItemCount,
    openWorkItemCountsByKind: countsByKind(facts.openWorkItems),
    activeAvailCount: facts.activeAvailCount,
    catalogMappingReadiness: catalogMappingOf({
      sourceId: source.sourceId,
      modules: modules.map((m) => m.view),
      lifecycleSummary,
      openWorkItemCount,
      activeAvailCount: facts.activeAvailCount,
      activeCommittedAt,
    }),
    setup: { ...modular.setup },
    columnMapping: modular.columnMapping,
    feed: {
      feedId: modular.feedId,
      activeRevisionId: modular.activeRevisionId,
      activeCommittedAt,
    },
  };

  function summaryOf(stage: Stage) {
    const implementing = modules.filter(
      (m) => m.status !== 'DISABLED' && m.spec.stages.some((s) => s.stage === stage),
    );
    const specsHere = implementing.map((m) => m.spec.stages.find((s) => s.stage === stage)!);
    const missing = implementing.flatMap((m) =>
      missingFields(m.spec, m.row.config).filter((f) => f.requiredFor.includes(stage)),
    );
    const open = facts.openWorkItems
      .filter((w) => w.stage === stage)
      .reduce((sum, w) => sum + w.count, 0);
    const runtimeSources = [...new Set(specsHere.flatMap((s) => (s.runtime ? [s.runtime] : [])))];
    const runtimeMissing = runtimeSources.some(
      (r) =>
        (r === 'INVENTORY_FEED' && facts.activeAvailCount === 0) ||
        (r === 'REPORTING_UPLOAD' && facts.reportsDue > 0),
    );
    const status: LifecycleStatus =
      implementing.length === 0
        ? 'UNSUPPORTED'
        : implementing.some((m) => m.status === 'ERROR')
          ? 'BLOCKED'
          : missing.length > 0
            ? 'MISSING_SETUP'
            : open > 0
              ? 'HITL_PENDING'
              : runtimeMissing
                ? 'RUNTIME_INPUTS_REQUIRED'
                : 'READY';
    return {
      stage,
      supported: implementing.length > 0,
      status,
      modes: [...new Set(specsHere.map((s) => s.mode))],
      moduleInstanceIds: implementing.map((m) => m.row.moduleInstanceId),
      moduleNames: implementing.map((m) => m.row.name),
      setupConfigured: missing.length === 0,
      runtimeInputsRequired: runtimeMissing,
      hitlRequired: specsHere.some((s) => s.mode === 'HITL'),
      openWorkItemCount: open,
      requiredRuntimeFieldSources: runtimeSources,
      missingSetupFieldsBySource: groupBySource(missing),
      issues: [
        ...implementing
          .filter((m) => m.status === 'ERROR')
          .map((m) => `${m.row.name}: ${m.row.lastError ?? 'in ERROR'}`),
        ...missing.map((f) => `${f.label} (${f.key}) is not set`),
        ...(runtimeMissing
          ? [
              facts.activeAvailCount === 0 && runtimeSources.includes('INVENTORY_FEED')
                ? 'No active avails: preview and commit an avails feed'
                : 'A final report is due',
            ]
          : []),
      ],
    };
  }
}

function countsByKind(items: Array<{ kind: string; count: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of items) out[w.kind] = (out[w.kind] ?? 0) + w.count;
  return out;
}

export type ModularProjection = ReturnType<typeof buildProjection>;
