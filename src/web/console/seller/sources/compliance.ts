import type { TestRun } from '../../../../modules/compliance/index.js';
import type { ReadinessService } from '../../../../modules/readiness/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import { seg } from '../../api.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FormSpec } from '../../forms/index.js';
import { panel, statusBadge, table, when } from '../../layout.js';

type Readiness = Awaited<ReturnType<ReadinessService['forSeller']>>;
type Diagnostic = Readiness['sourceDiagnostics'][number];

const rerunSpec = (sourceId: string): FormSpec => ({
  id: 'compliance-rerun',
  action: `/console/sources/${seg(sourceId)}/compliance`,
  route: 'POST /api/v2/storefront/readiness/compliance/refresh',
  fields: [],
  submit: 'Re-run compliance',
  className: 'inline-form',
  busy: 'Running the AdCP storyboards against the source…',
});

const trackTone = (status: string) =>
  status === 'pass' ? 'good' : status === 'fail' ? 'bad' : 'neutral';

/** The source's latest compliance run (GET /api/v2/storefront/test-runs), or undefined before any. */
export async function latestRun(args: PageArgs, sourceId: string): Promise<TestRun | undefined> {
  const answer = await args.api.get<{ runs: TestRun[] }>(
    `/api/v2/storefront/test-runs?sourceId=${encodeURIComponent(sourceId)}&take=1`,
  );
  return answer.runs[0];
}

/**
 * A source's Compliance section: the verdict readiness reports (sourceDiagnostics[].compliance),
 * whether the policy leaves the source out, each track of the latest run, the failing steps with
 * what the storyboard expects and the command that re-runs one, and a button to run it again.
 */
export function complianceSection(
  args: PageArgs,
  diagnostic: Diagnostic | undefined,
  run: TestRun | undefined,
): string {
  if (!diagnostic) return '';
  const c = diagnostic.compliance;
  const verdict =
    c.passed === null
      ? statusBadge(
          c.runStatus === 'queued' || c.runStatus === 'running' ? 'checking' : 'not checked',
          'neutral',
        )
      : statusBadge(c.passed ? 'passing' : 'failing', c.passed ? 'good' : 'bad');
  const gated = c.gated
    ? '<p class="error-text">Left out of composition and passthrough: the instance policy is strict and the latest run failed. Buyers see none of its products until a run passes.</p>'
    : '';
  const tracks = run
    ? table(
        'Compliance tracks',
        ['Track', 'Result', 'Steps', 'Why'],
        run.tracks.map((t) => [
          e(t.label),
          statusBadge(t.status, trackTone(t.status)),
          `${t.stepsPassed} passed, ${t.stepsFailed} failed, ${t.stepsSkipped} skipped`,
          e(t.failureReason ?? ''),
        ]),
        run.error ? `No track ran: ${run.error}` : 'No track ran.',
      )
    : '';
  const failures = run?.failures.length
    ? `<h3>What failed</h3><ul class="failures">${[...run.failures]
        .sort((a, b) => Number(b.essential) - Number(a.essential))
        .slice(0, 20)
        .map(
          (f) =>
            `<li><strong>${e(f.step)}</strong> (${e(f.track)}, ${e(f.task)})${f.essential ? ' — fails its track' : ''}` +
            `${f.error ? `<br><span class="error-text">${e(f.error)}</span>` : ''}` +
            `${
              f.checks.length
                ? `<br>${f.checks
                    .slice(0, 3)
                    .map((check) => e(check))
                    .join('<br>')}`
                : ''
            }` +
            `${f.expected ? `<details><summary>What the storyboard expects</summary><pre>${e(f.expected)}</pre></details>` : ''}` +
            `${f.fix ? `<br><code>${e(f.fix)}</code>` : ''}</li>`,
        )
        .join('')}</ul>`
    : '';
  const warnings = (run?.observations ?? []).filter(
    (o) => o.severity === 'warning' || o.severity === 'error',
  );
  const observations = warnings.length
    ? `<h3>Observations</h3><ul>${warnings
        .slice(0, 10)
        .map((o) => `<li>${e(o.message)}</li>`)
        .join('')}</ul>`
    : '';
  return panel(
    'compliance-h',
    'Compliance',
    `<p>${verdict} ${e(c.summary)}${c.checkedAt ? ` (checked ${when(c.checkedAt)})` : ''}</p>
${c.trackCounts.total > 0 ? `<p>${c.trackCounts.passing} of ${c.trackCounts.total} tracks passing, ${c.trackCounts.partial} partial, ${c.trackCounts.failing} failing.</p>` : ''}
${gated}${tracks}${failures}${observations}
<div class="button-row">${args.form(rerunSpec(diagnostic.sourceId ?? ''))}</div>`,
  );
}

/** The re-run button: the refresh route for this source, back to its page. */
export function registerComplianceForm(ctx: ConsoleContext): void {
  ctx.apiForm({
    url: '/console/sources/:sourceId/compliance',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => rerunSpec(params.sourceId!),
    shape: (_body, { params }) => ({ sourceId: params.sourceId! }),
    done: (_data, { params }) => ({
      to: `/console/sources/${seg(params.sourceId!)}`,
      notice: 'compliance-rerun',
      subject: params.sourceId!,
    }),
  });
}
