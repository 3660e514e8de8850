/**
 * Compliance runs: @adcp/sdk's storyboards run against inventory sources (in a worker thread,
 * through the guarded client), kept per run, graded per track, and read by readiness and the
 * source gate. Owns compliance_runs.
 */
export {
  createComplianceService,
  type ComplianceScheduler,
  type ComplianceService,
  type CompliancePolicy,
} from './service.js';
export { complianceRoutes } from './routes.js';
export { complianceCheckOf, isGated, sourceComplianceOf, type ComplianceState } from './state.js';
export {
  agentComplianceSchema,
  complianceCheckSchema,
  sourceComplianceSchema,
  type SourceCompliance,
  type TestRun,
} from './schemas.js';
export { essentialSteps } from './runs/grading.js';
export { storyboardsFor } from './storyboards.js';
