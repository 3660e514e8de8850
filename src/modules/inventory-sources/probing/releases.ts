import { isRelease31OrLater } from '../../../upstream/index.js';
import type { SourceRow } from '../store.js';
import { agentDescriptor, linkedStorefrontDescriptor } from '../../../source-kinds/descriptors.js';

/**
 * Whether a source speaks AdCP 3.1: a linked storefront (every Interchange storefront does when
 * asked), or an agent whose last probe reported a 3.1 release or later. Such a source is probed
 * as a 3.1 caller (source-probing.ts), so what it declares to 3.1 callers only (a storefront's
 * frequency_capping) is cached with the rest, and it publishes wholesale feed versions (the
 * agent kind's feed mirror).
 */
export function speaksAdcp31(source: Pick<SourceRow, 'executionType' | 'capabilities'>): boolean {
  if (source.executionType === linkedStorefrontDescriptor.executionType) return true;
  if (source.executionType !== agentDescriptor.executionType) return false;
  const releases = source.capabilities?.adcpVersion?.split(',') ?? [];
  return releases.some(isRelease31OrLater);
}
