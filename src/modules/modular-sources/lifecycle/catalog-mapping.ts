/**
 * Hosted's catalogMappingReadiness for a modular source: its set-up checklist in hosted's three
 * sections, each row read from what the source holds now (its modules, its committed avails, its
 * lifecycle stages and open work items), never assumed. Hosted's rows over things a modular
 * source here does not have (a property roster, a playbook, business rules) are not listed.
 */
type Status = 'NOT_STARTED' | 'IN_PROGRESS' | 'READY' | 'NEEDS_ATTENTION' | 'BLOCKED';
type SourceOfTruth = 'INVENTORY_SOURCE' | 'INVENTORY_FEED' | 'PRODUCT_CATALOG' | 'SOURCE_PROOF';
type Action = {
  operation: 'open_modular_avails_commit' | 'get_modular_inventory_source_readiness';
  arguments: { sourceId: string };
};

export interface MappingInput {
  sourceId: string;
  modules: Array<{ status: string; issues: string[] }>;
  /** projection.ts's lifecycleSummary (status: one of its lifecycleStatuses). */
  lifecycleSummary: Array<{ stage: string; supported: boolean; status: string }>;
  openWorkItemCount: number;
  activeAvailCount: number;
  /** When the active feed revision was committed (ISO), null before any commit. */
  activeCommittedAt: string | null;
}

export function catalogMappingOf(p: MappingInput) {
  const open: Action = {
    operation: 'open_modular_avails_commit',
    arguments: { sourceId: p.sourceId },
  };
  const readiness: Action = {
    operation: 'get_modular_inventory_source_readiness',
    arguments: { sourceId: p.sourceId },
  };
  const committed = p.activeCommittedAt;
  const feedFreshness = committed
    ? { state: 'FRESH' as const, observedAt: committed }
    : { state: 'UNAVAILABLE' as const, observedAt: null };
  const live = { state: 'FRESH' as const, observedAt: null };
  const availStatus: Status =
    p.activeAvailCount > 0 ? 'READY' : committed ? 'NEEDS_ATTENTION' : 'NOT_STARTED';
  const stages = p.lifecycleSummary.filter((s) => s.supported);

  const sections = [
    {
      id: 'SET_UP_INVENTORY' as const,
      title: 'Set up inventory' as const,
      rows: [
        row('modules_configured', 'Configure the source’s modules', 'INVENTORY_SOURCE', {
          status: modulesStatus(p.modules),
          evidence: [
            evidence('configured_module_count', 'Modules set up (ACTIVE)', count(p.modules)),
          ],
          freshness: live,
          action: readiness,
          diagnostics: p.modules.flatMap((m) =>
            m.issues.map((message) => ({ code: 'module_setup', message })),
          ),
        }),
        row('avails_on_sale', 'Commit an avails feed', 'INVENTORY_FEED', {
          status: availStatus,
          evidence: [
            evidence('active_avail_count', 'Avails on sale', p.activeAvailCount, committed),
          ],
          freshness: feedFreshness,
          action: open,
          diagnostics:
            availStatus === 'NEEDS_ATTENTION'
              ? [{ code: 'no_active_avails', message: 'Every committed avail has ended' }]
              : [],
        }),
      ],
    },
    {
      id: 'MAKE_IT_MERCHANDISABLE' as const,
      title: 'Make it merchandisable' as const,
      rows: [
        row('products_offered', 'Products offered to buyers', 'PRODUCT_CATALOG', {
          // Each avail on sale is one product (…/modular/products, get_products).
          status: availStatus,
          evidence: [evidence('product_count', 'Products on sale', p.activeAvailCount, committed)],
          freshness: feedFreshness,
          action: open,
          diagnostics: [],
        }),
      ],
    },
    {
      id: 'PROVE_IT' as const,
      title: 'Prove it' as const,
      rows: [
        row('lifecycle_ready', 'Every supported lifecycle stage ready', 'SOURCE_PROOF', {
          status: stagesStatus(stages, p.openWorkItemCount),
          evidence: stages.map((s) => evidence(`stage_${s.stage}`, s.stage, s.status)),
          freshness: live,
          action: readiness,
          diagnostics: [],
        }),
      ],
    },
  ];
  // Every row listed applies to a modular source (the rows that would not are not listed).
  const applicable = sections.flatMap((s) => s.rows);
  const ready = applicable.filter((r) => r.status === 'READY').length;
  return {
    sections,
    progress: {
      ready,
      applicable: applicable.length,
      percent: applicable.length ? Math.floor((100 * ready) / applicable.length) : 100,
    },
    nextAction: applicable.find((r) => r.status !== 'READY')?.action ?? null,
  };
}

function row(
  id: string,
  title: string,
  sourceOfTruth: SourceOfTruth,
  fields: {
    status: Status;
    evidence: ReturnType<typeof evidence>[];
    freshness: { state: 'FRESH' | 'UNAVAILABLE'; observedAt: string | null };
    action: Action;
    diagnostics: Array<{ code: string; message: string }>;
  },
) {
  return {
    id,
    title,
    requirement: 'REQUIRED' as const,
    ...fields,
    sourceOfTruth,
    externalOwner: 'PUBLISHER' as const,
  };
}

const evidence = (
  code: string,
  summary: string,
  value: string | number,
  observedAt: string | null = null,
) => ({ code, summary, value, observedAt });

const count = (modules: MappingInput['modules']) =>
  modules.filter((m) => m.status === 'ACTIVE').length;

/** ERROR blocks; a module lacking setup is in progress; all set up (or disabled) is ready. */
function modulesStatus(modules: MappingInput['modules']): Status {
  if (modules.some((m) => m.status === 'ERROR')) return 'BLOCKED';
  if (modules.some((m) => m.status === 'CONFIGURING')) return 'IN_PROGRESS';
  return modules.some((m) => m.status === 'ACTIVE') ? 'READY' : 'NOT_STARTED';
}

/** A BLOCKED stage blocks, missing setup needs attention, waiting inputs or work is in progress. */
function stagesStatus(stages: MappingInput['lifecycleSummary'], openWork: number): Status {
  if (stages.length === 0) return 'NOT_STARTED';
  if (stages.some((s) => s.status === 'BLOCKED')) return 'BLOCKED';
  if (stages.some((s) => s.status === 'MISSING_SETUP')) return 'NEEDS_ATTENTION';
  if (openWork > 0 || stages.some((s) => s.status !== 'READY')) return 'IN_PROGRESS';
  return 'READY';
}
