import { isRecord } from '../../../platform/is-record.js';

/*
 * What a 3.1 package carries that @adcp/sdk 6.11's 3.0.6 validation would refuse (vendor_metric
 * goals, canonical inline creatives) is held in the package's `ext` under a key of ours for the
 * SDK's pass (free-form in 3.0, and part of the payload the idempotency key is bound to), and put
 * back in its field before the storefront reads the request.
 */

/** `pkg` with `value` held in its ext under `key`, `field` left with `kept` (absent if none). */
export function holdInExt(
  pkg: Record<string, unknown>,
  field: string,
  key: string,
  value: unknown[],
  kept: unknown[] = [],
): Record<string, unknown> {
  const { [field]: _sent, ...rest } = pkg;
  const ext = isRecord(pkg['ext']) ? pkg['ext'] : {};
  return { ...rest, ...(kept.length > 0 && { [field]: kept }), ext: { ...ext, [key]: value } };
}

/** The request as its buyer sent it: what each package held under `key` back in `field`. */
export function restoreHeld<T extends object>(request: T, key: string, field: string): T {
  const packages = (request as { packages?: unknown }).packages;
  if (!Array.isArray(packages)) return request;
  const restored = packages.map((pkg: unknown) => {
    const ext = isRecord(pkg) ? pkg['ext'] : undefined;
    if (!isRecord(pkg) || !isRecord(ext) || !Array.isArray(ext[key])) return pkg;
    const { [key]: value, ...otherExt } = ext;
    const { ext: _ext, ...rest } = pkg;
    return {
      ...rest,
      [field]: value,
      ...(Object.keys(otherExt).length > 0 && { ext: otherExt }),
    };
  });
  return { ...request, packages: restored };
}
