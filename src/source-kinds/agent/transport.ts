import type { SourceRow } from '../../modules/inventory-sources/index.js';

/**
 * Creative transport for a source (seed 003): `library` sends creatives with sync_creatives and
 * packages reference them through creative_assignments; `inline` puts the manifests on the
 * packages themselves. creativeHasCreativeLibrary decides when known (true / false); when it
 * is unknown (null, legacy or synthetic manifests) the advertised tools do.
 */
export function creativeTransportOf(source: SourceRow): 'library' | 'inline' {
  const caps = source.capabilities;
  if (caps?.creativeHasCreativeLibrary === true) return 'library';
  if (caps?.creativeHasCreativeLibrary === false) return 'inline';
  return caps?.tools.includes('sync_creatives') ? 'library' : 'inline';
}
