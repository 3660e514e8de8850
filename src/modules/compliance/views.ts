import type { GradedTrack } from './runs/grading.js';
import type { AgentCompliance, SourceCompliance, TestRun } from './schemas.js';
import type { RunRow } from './store.js';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export const isFinished = (row: RunRow) => row.status !== 'queued' && row.status !== 'running';

/** What an unfinished or unreachable run says in place of tracks. */
function headlineOf(row: RunRow): string {
  switch (row.status) {
    case 'queued':
      return 'Compliance run queued';
    case 'running':
      return 'Compliance run under way';
    case 'unreachable':
      return `Not reachable: ${row.error ?? 'the agent did not answer capability discovery'}`;
    case 'auth_required':
      return `Not authorized: ${row.error ?? 'the agent refused the credential'}`;
    case 'error':
      return `The run could not complete: ${row.error ?? 'unknown error'}`;
    case 'completed':
      return row.summary ?? '';
  }
}

export function trackCountsOf(tracks: readonly GradedTrack[]) {
  return {
    total: tracks.length,
    passing: tracks.filter((t) => t.status === 'pass').length,
    partial: tracks.filter((t) => t.status === 'partial').length,
    failing: tracks.filter((t) => t.status === 'fail').length,
  };
}

function hostedStatus(row: RunRow): TestRun['status'] {
  if (!isFinished(row)) return 'planned';
  if (!row.passed) return 'failed';
  return (row.tracks ?? []).every((t) => t.status === 'pass' || t.status === 'skip')
    ? 'passed'
    : 'partial';
}

const stepStatus = (track: GradedTrack) =>
  track.status === 'fail' ? 'failed' : track.status === 'skip' ? 'not_checked' : 'completed';

/** A run as GET /test-runs answers it: the hosted test-run shape, one step per track. */
export function testRunView(row: RunRow): TestRun {
  const tracks = row.tracks ?? [];
  return {
    id: String(row.id),
    runUid: row.runUid,
    customerId: row.customerId,
    userId: row.requestedBy,
    conversationUid: null,
    toolName: 'compliance',
    status: hostedStatus(row),
    stage: row.status,
    sandbox: true,
    storefrontId: row.storefrontId,
    advertiserId: null,
    campaignId: null,
    discoveryId: null,
    executedCampaign: false,
    discoveredProductCount: null,
    selectedProductCount: null,
    summary: {
      passed: row.passed,
      headline: headlineOf(row),
      trackCounts: trackCountsOf(tracks),
    },
    artifacts: {
      sourceId: row.sourceId,
      agentId: row.agentId,
      agentUrl: row.agentUrl,
      protocol: row.protocol,
      storyboards: row.storyboards,
    },
    diagnostics: {
      failureCount: row.failures?.length ?? 0,
      observationCount: row.observations?.length ?? 0,
    },
    steps: tracks.map((track) => ({
      key: track.track,
      label: track.label,
      status: stepStatus(track),
      operation: `storyboard ${track.track}`,
      httpStatus: null,
      endpoint: row.agentUrl,
      message: track.failureReason ?? null,
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: (row.checkedAt ?? row.startedAt ?? row.createdAt).toISOString(),
    sourceId: row.sourceId,
    agentId: row.agentId,
    agentUrl: row.agentUrl,
    protocol: row.protocol,
    trigger: row.trigger,
    credential: row.credential,
    runStatus: row.status,
    passed: row.passed,
    checkedAt: iso(row.checkedAt),
    durationMs: row.durationMs,
    storyboards: row.storyboards,
    tracks: tracks.map((t) => ({ ...t })),
    failures: row.failures ?? [],
    observations: row.observations ?? [],
    error: row.error,
  };
}

/** A finished run as readiness' compliance[] entry (hosted ComplianceAgentResult). */
export function agentComplianceView(row: RunRow, gated: boolean): AgentCompliance {
  return {
    agentId: row.agentId,
    agentUrl: row.agentUrl,
    passed: row.passed === true,
    tracks: (row.tracks ?? []).map(({ track, status, label, durationMs, failureReason }) => ({
      track,
      status,
      label,
      durationMs,
      ...(failureReason !== undefined && { failureReason }),
    })),
    summary: headlineOf(row),
    observations: row.observations ?? [],
    durationMs: row.durationMs ?? 0,
    ...(row.status !== 'completed' && { error: headlineOf(row) }),
    sourceId: row.sourceId,
    runUid: row.runUid,
    checkedAt: iso(row.checkedAt),
    gated,
    failures: row.failures ?? [],
  };
}

/** sourceDiagnostics[].compliance: the latest finished run, or what is under way. */
export function sourceComplianceView(
  finished: RunRow | undefined,
  pending: RunRow | undefined,
  gated: boolean,
  policy: 'strict' | 'warn' | 'off',
): SourceCompliance {
  const tracks = finished?.tracks ?? [];
  const failing = tracks.filter((t) => t.status === 'fail').map((t) => t.track);
  let summary: string;
  if (!finished) {
    summary = pending
      ? headlineOf(pending)
      : policy === 'off'
        ? 'Not checked (INTERCHANGE_COMPLIANCE_POLICY=off); refresh to run the storyboards'
        : 'Not checked yet';
  } else {
    summary = headlineOf(finished);
    if (finished.passed !== true) {
      summary += gated
        ? ' — left out of composition and passthrough (policy strict)'
        : policy === 'warn'
          ? ' — still serving (policy warn)'
          : '';
    }
    if (pending) summary += `; ${headlineOf(pending).toLowerCase()}`;
  }
  const latest = pending ?? finished;
  return {
    passed: finished ? finished.passed === true : null,
    summary,
    checkedAt: iso(finished?.checkedAt ?? null),
    trackCounts: trackCountsOf(tracks),
    gated,
    runUid: latest?.runUid ?? null,
    runStatus: latest?.status ?? null,
    failingTracks: failing,
  };
}
