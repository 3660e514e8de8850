export {
  createGovernanceGate,
  type GovernanceApproval,
  type GovernanceGate,
  type GovernedAction,
} from './gate.js';
export { governanceToolsOver } from './tools.js';
export type { CallerGovernance } from './sync-governance.js';
export { withGovernance } from './answer.js';
