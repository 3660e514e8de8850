import type { SourceRow } from '../inventory-sources/index.js';
import type { ComplianceCheck, SourceCompliance } from './schemas.js';
import type { RunRow } from './store.js';
import { agentComplianceView, sourceComplianceView } from './views.js';

export interface SourceState {
  source: SourceRow;
  /** Its latest finished run. */
  finished: RunRow | undefined;
  /** A run queued or under way. */
  pending: RunRow | undefined;
  /** Left out of composition and passthrough: policy strict and the latest run failed. */
  gated: boolean;
}

/** A storefront's compliance as readiness, gating and the console read it. */
export interface ComplianceState {
  policy: 'strict' | 'warn' | 'off';
  sources: SourceState[];
  /** Whether any run of these sources was ever queued. */
  anyRun: boolean;
}

export function stateOf(
  sources: SourceRow[],
  finished: Map<number, RunRow>,
  pending: Map<number, RunRow>,
  policy: 'strict' | 'warn' | 'off',
): ComplianceState {
  const states = sources.map((source) => {
    const last = finished.get(source.id);
    return {
      source,
      finished: last,
      pending: pending.get(source.id),
      gated: policy === 'strict' && last !== undefined && last.passed !== true,
    };
  });
  return {
    policy,
    sources: states,
    anyRun: states.some((s) => s.finished !== undefined || s.pending !== undefined),
  };
}

/** sourceDiagnostics[].compliance of one source row (by its global id). */
export function sourceComplianceOf(state: ComplianceState, rowId: number): SourceCompliance {
  const entry = state.sources.find((s) => s.source.id === rowId);
  return sourceComplianceView(entry?.finished, entry?.pending, entry?.gated ?? false, state.policy);
}

/** Whether the latest run of this source failed under the strict policy. */
export function isGated(state: ComplianceState, rowId: number): boolean {
  return state.sources.some((s) => s.source.id === rowId && s.gated);
}

/**
 * The readiness check `agent_connectivity`: each testable source's latest run (compliance[]).
 * Complete when every one passed; partial when some failed or are not checked yet; missing when
 * none was checked. It informs rather than blocks ("authorization blocks; compliance informs"):
 * under the strict policy a failing source is left out, the storefront is not held back.
 */
export function complianceCheckOf(state: ComplianceState): ComplianceCheck {
  const checked = state.sources.filter((s) => s.finished);
  const failing = checked.filter((s) => s.finished?.passed !== true);
  const unchecked = state.sources.filter((s) => !s.finished);
  const status =
    state.sources.length === 0 || checked.length === 0
      ? 'missing'
      : failing.length === 0 && unchecked.length === 0
        ? 'complete'
        : 'partial';
  const parts: string[] = [];
  if (state.sources.length === 0) parts.push('No source to check');
  if (checked.length > 0)
    parts.push(`${checked.length - failing.length} of ${checked.length} checked source(s) pass`);
  if (failing.length > 0) {
    const verb =
      state.policy === 'strict' ? 'left out (policy strict)' : 'still serving (policy warn)';
    parts.push(
      `failing: ${failing.map((s) => s.source.sourceId).join(', ')}` +
        (state.policy === 'off' ? '' : ` — ${verb}`),
    );
  }
  if (unchecked.length > 0)
    parts.push(`not checked yet: ${unchecked.map((s) => s.source.sourceId).join(', ')}`);
  return {
    id: 'agent_connectivity',
    name: 'Agent compliance',
    description:
      'Each source passes the AdCP storyboards that apply to it (capability discovery, media-buy ' +
      'seller, sales, schema validation, error compliance, idempotency)',
    category: 'agents',
    status,
    isBlocker: false,
    details: parts.join('; '),
    ...(status !== 'complete' &&
      state.sources.length > 0 && {
        action: 'recheck' as const,
        actionLabel: 'Re-run compliance',
        method: 'POST /api/v2/storefront/readiness/compliance/refresh',
      }),
    compliance: checked.map((s) => agentComplianceView(s.finished as RunRow, s.gated)),
    requirement: 'soft',
    policy: state.policy,
    pending: state.sources
      .filter((s) => s.pending)
      .map((s) => ({
        runUid: (s.pending as RunRow).runUid,
        sourceId: s.source.sourceId,
        agentId: s.source.agentId,
        status: (s.pending as RunRow).status,
      })),
  };
}
