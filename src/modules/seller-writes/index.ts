/** Durable, resumable writes to sellers: intents recorded before each call, and their recovery. */
export {
  callLeaseMs,
  createSellerWrites,
  resolverLeaseMs,
  type Established,
  type SellerWrites,
  type WriteIntent,
  type WriteResolver,
  type WriteSpec,
} from './service.js';
export type { IntentOutcome } from './tables.js';
export type { CrashPhase } from './crash-points.js';
export {
  adcpCodeOf,
  unknownOutcomeCodes,
  unknownTransportCodes,
  type Verdict,
  verdictOf,
} from './verdict.js';
