import {
  AdServerError,
  type AdServerErrorCode,
  type CapabilityCheck,
  remediationOf,
} from '../port.js';

/*
 * Capability probes as the hosted test-connection answers them: each probe passes, or fails with
 * its error code and remediation (the ad server's own wording where it has one, else the
 * common one); the probes after a failed account check are not run.
 */

export async function capabilityCheck(
  capability: string,
  probe: () => Promise<void>,
  remediations: Partial<Record<AdServerErrorCode, string>> = {},
): Promise<CapabilityCheck> {
  try {
    await probe();
    return { capability, status: 'passed', message: null, errorCode: null, remediation: null };
  } catch (error) {
    if (!(error instanceof AdServerError)) throw error;
    return {
      capability,
      status: 'failed',
      message: error.message,
      errorCode: error.code,
      remediation: remediations[error.code] ?? remediationOf[error.code],
    };
  }
}

export function notChecked(capabilities: string[], message: string): CapabilityCheck[] {
  return capabilities.map((capability) => ({
    capability,
    status: 'not_checked' as const,
    message,
    errorCode: null,
    remediation: null,
  }));
}

/** The probes of an ad server's test-connection, and what is said of those not run. */
export interface ConnectionProbes {
  /** The network (or account) the credentials reach; the other probes run only when it passes. */
  network: () => Promise<void>;
  /** What the probes after a failed network check say ("Skipped: the network check failed"). */
  skipped: string;
  inventoryRead: () => Promise<void>;
  traffickingRead: () => Promise<void>;
  /** Why reporting is not probed here (the first delivery import checks it). */
  reporting: string;
}

/**
 * A hosted test-connection's answer: the network check, then inventory and trafficking reads,
 * reporting not checked; after a failed network check nothing else is run.
 */
export async function connectionChecks(
  probes: ConnectionProbes,
  remediations: Partial<Record<AdServerErrorCode, string>>,
): Promise<CapabilityCheck[]> {
  const network = await capabilityCheck('network', probes.network, remediations);
  if (network.status === 'failed') {
    return [
      network,
      ...notChecked(['inventory_read', 'trafficking_read', 'reporting'], probes.skipped),
    ];
  }
  return [
    network,
    await capabilityCheck('inventory_read', probes.inventoryRead, remediations),
    await capabilityCheck('trafficking_read', probes.traffickingRead, remediations),
    ...notChecked(['reporting'], probes.reporting),
  ];
}
