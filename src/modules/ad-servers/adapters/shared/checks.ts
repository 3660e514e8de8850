import { AdServerError, remediationOf, type CapabilityCheck } from '../port.js';

/*
 * Capability probes as the hosted test-connection answers them: each probe passes, or fails with
 * its error code and remediation; the probes after a failed account check are not run.
 */

export async function capabilityCheck(
  capability: string,
  probe: () => Promise<void>,
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
      remediation: remediationOf[error.code],
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
