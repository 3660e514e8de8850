import { dirname, join } from 'node:path';

/** The part of @adcp/sdk's storyboard loader module (dist/lib/testing/storyboard/loader.js) used here. */
interface LoaderModule {
  loadStoryboardFile?: (path: string) => unknown;
}

/**
 * Makes the SDK's storyboard runner parse each storyboard YAML file once per thread instead of
 * once per lookup (issue 46 item 6). @adcp/sdk 6.11.0 resolves every storyboard id of a run
 * (`comply({ storyboards })`) by parsing every YAML file in its compliance cache, and does it
 * again to find each required scenario: about 520 parses of 65 files for the seven storyboards
 * a media-buy seller plays, most of a run's CPU and the first start's memory peak. The SDK
 * reads `loadStoryboardFile` through its loader module's exports on every call, so replacing
 * that export with a memoised one changes what is parsed, not what a run sees: the same files
 * in the same order, each caller getting its own copy (the runner adjusts storyboards it was
 * given, and a cached object must not carry that into the next lookup).
 *
 * `testingEntry` is the resolved path of the `@adcp/sdk/testing` module the run uses (the
 * installed SDK or the patched copy), so the loader patched is the one that copy calls. A
 * loader without the export (another SDK layout) is left as it is: runs parse as before.
 */
export function parseStoryboardsOnce(
  load: (path: string) => LoaderModule,
  testingEntry: string,
): void {
  // `require` answers untyped exports; the one function used is checked before it is replaced.
  const loader = load(join(dirname(testingEntry), 'storyboard', 'loader.js'));
  const parse = loader.loadStoryboardFile;
  if (typeof parse !== 'function') return;
  // A file that is not a storyboard (a schema or fixture YAML) fails to parse on every listing;
  // its error is kept too, and thrown again, as the SDK expects of such files.
  const parsed = new Map<string, { storyboard: unknown } | { error: unknown }>();
  loader.loadStoryboardFile = (path: string) => {
    let entry = parsed.get(path);
    if (entry === undefined) {
      try {
        entry = { storyboard: parse(path) };
      } catch (error) {
        entry = { error };
      }
      parsed.set(path, entry);
    }
    if ('error' in entry) throw entry.error;
    return structuredClone(entry.storyboard);
  };
}
