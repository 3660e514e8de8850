import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * A 3.1.19 storyboard's `required_tools` (storyboard-schema.yaml: the tools an agent must offer
 * for the storyboard to apply), read from the spec's own files, by storyboard id
 * (`creative/canonical_supported_formats`, as the runner's step names begin).
 */
let byId: Map<string, string[]> | undefined;

/** Every `.yaml` file under `dir`, depth first. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith('.yaml') ? [path] : [];
  });
}

function load(dir: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const file of yamlFiles(dir)) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // not a storyboard this reader can use; the runner reports it if it matters
    }
    if (!doc || typeof doc !== 'object') continue;
    const { id, required_tools: tools } = doc as { id?: unknown; required_tools?: unknown };
    if (typeof id === 'string' && Array.isArray(tools)) {
      map.set(
        id,
        tools.filter((t): t is string => typeof t === 'string'),
      );
    }
  }
  return map;
}

/** The tools the storyboard a step belongs to requires; [] when it names none. */
export function requiredToolsOf(dir: string, step: string): string[] {
  byId ??= load(dir);
  const parts = step.split(' › ')[0]!.split('/');
  // A step is `<storyboard id>/<phase>/<step>`; a storyboard id has one or two segments.
  for (const length of [2, 1]) {
    const tools = byId.get(parts.slice(0, length).join('/'));
    if (tools) return tools;
  }
  return [];
}
