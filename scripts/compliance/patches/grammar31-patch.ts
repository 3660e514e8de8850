import type { RunnerPatch } from '../stock/citations.js';

/*
 * 3.1 storyboard grammar the 6.11 runner does not know (runner-patch.ts applies these): a
 * storyboard's `requires` and a validation's `severity`, each read as storyboard-schema.yaml
 * says, for the pinned (3.1) run only.
 */

/**
 * 3.1's `requires: [multi_agent]` (governance_denied, governance_denied_recovery: a governance
 * agent's plan set up with sync_plans, then that agent registered with the seller): 6.11 knows
 * no `requires`, so it ran them against the one agent under test, which has no sync_plans; the
 * plan and the registration were skipped and the buy, on an account with no governance agent,
 * was booked. storyboard-schema.yaml: a runner without an `agents` map of two logical agents
 * "MUST emit skip_result.reason: requirement_unmet with detail naming multi_agent". Pinned run
 * only; the storefront's own denial is tested with a governance agent (adcp31-governance.test.ts).
 */
const multiAgentPatch = (pinVariable: string): RunnerPatch => ({
  cites: [
    {
      file: 'compliance/universal/storyboard-schema.yaml',
      quote:
        'When unmet, the runner MUST emit skip_result.reason: requirement_unmet with detail naming "multi_agent" rather than failing a routed step',
    },
  ],
  file: 'dist/lib/testing/storyboard/runner.js',
  find: '    // Evaluate requires_capability predicate before any phase setup.',
  replace:
    `    if (process.env.${pinVariable} && Array.isArray(storyboard.requires) && storyboard.requires.includes('multi_agent') && Object.keys(options.agents ?? {}).length < 2) {\n` +
    `        const unmet = buildCapabilityUnsupportedResult(agentUrls, storyboard, 'multi_agent: this run has one agent; the storyboard routes steps to ' + JSON.stringify([...new Set((storyboard.phases ?? []).flatMap(p => p.steps.map(s => s.agent ?? storyboard.default_agent)).filter(Boolean))]));\n` +
    "        Object.assign(unmet.phases[0], { phase_id: 'requirement_unmet', phase_title: 'Requirement unmet' });\n" +
    "        Object.assign(unmet.phases[0].steps[0], { step_id: 'requirement_unmet', phase_id: 'requirement_unmet', title: 'Storyboard skipped: requirement unmet', skip_reason: 'requirement_unmet', skip: { reason: 'requirement_unmet', detail: unmet.phases[0].steps[0].error } });\n" +
    `        if (!options._client) await (0, protocols_1.closeConnections)(options.protocol);\n` +
    `        return unmet;\n` +
    `    }\n` +
    '    // Evaluate requires_capability predicate before any phase setup.',
});

/**
 * 3.1's `severity: advisory` on a validation (storyboard-schema.yaml: an advisory failure
 * "surfaces in the validation_result with passed: false but does NOT fail the step"): 6.11 knows
 * no severity and failed the step (reach_buy_flow's reach_window_absent_advisory, where the
 * controller was given no window and the spec says the row then has none). Pinned run only.
 */
const advisoryCites = [
  {
    file: 'compliance/universal/storyboard-schema.yaml',
    quote:
      'An "advisory" failure surfaces in the validation_result with passed: false but does NOT fail the step',
  },
];
const advisoryPatches = (pinVariable: string): RunnerPatch[] => [
  {
    cites: advisoryCites,
    file: 'dist/lib/testing/storyboard/validations.js',
    find: 'return validations.map(v => attachOnFailure(runValidation(v, context), context));',
    replace: `return validations.map(v => { const r = attachOnFailure(runValidation(v, context), context); return process.env.${pinVariable} && v.severity === 'advisory' ? { ...r, severity: 'advisory' } : r; });`,
  },
  {
    cites: advisoryCites,
    file: 'dist/lib/testing/storyboard/runner.js',
    find: 'const allValidationsPassedFinal = validations.every(v => v.passed);',
    replace:
      "const allValidationsPassedFinal = validations.every(v => v.passed || v.severity === 'advisory');",
  },
];

/** The grammar patches, in the order applied; `pinVariable` names the pin's environment variable. */
export function grammar31Patches(pinVariable: string): RunnerPatch[] {
  return [multiAgentPatch(pinVariable), ...advisoryPatches(pinVariable)];
}
