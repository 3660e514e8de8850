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
