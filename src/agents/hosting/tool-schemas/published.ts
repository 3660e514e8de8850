import { isRecord } from '../../../platform/is-record.js';
import { type Release, supportedReleases, toolTable } from '../../adcp31/index.js';
import { describedBeyondSpec, readBeyondSpec } from './beyond-spec.js';
import { Bundler, type TopProperty, topProperties } from './bundle.js';
import { type JsonSchema, specRelease } from './spec-files.js';

/** The spec file a request schema was published from, and the spec's version of it. */
export interface PublishedSchema {
  schema: JsonSchema;
  /** `$id` of the request schema (`/schemas/3.1.19/media-buy/get-products-request.json`). */
  source: string;
  /** The release the schema is that release's own (a 3.1 tool offered to a 3.0 caller: 3.1). */
  release: Release;
}

const draft07 = 'http://json-schema.org/draft-07/schema#';

/**
 * The request schema `tool` is published with to a caller of `release`, made once per process:
 * the spec's own request schema of that release, self-contained (bundle.ts), or of the first later
 * release that has it (see build). Beside its
 * own, it names the top-level properties the other supported releases' schemas add (each
 * described with the release that reads it): @adcp/sdk's client drops every argument a tool's
 * published schema does not name, so a 3.0 listing without 3.1's fields would strip a 3.1
 * buyer's `if_wholesale_feed_version` before it left. Nothing here narrows what a call may carry:
 * the agents' own input schemas stay as they are. Undefined for a tool no release defines.
 */
export function publishedSchema(tool: string, release: Release): PublishedSchema | undefined {
  const key = `${release}\n${tool}`;
  if (!published.has(key)) published.set(key, build(tool, release));
  return published.get(key);
}

const published = new Map<string, PublishedSchema | undefined>();

function build(tool: string, asked: Release): PublishedSchema | undefined {
  // The asked release's own schema; else the first later release's that has one: a tool it
  // introduced (get_task_status to a 3.0 caller), or a file its copy lacks (@adcp/sdk's 3.0.6
  // manifest names comply-test-controller-request.json, its copy does not ship it).
  const release = supportedReleases
    .slice(supportedReleases.indexOf(asked))
    .find((r) => requestFileOf(tool, r) !== undefined);
  if (!release) return undefined;
  const spec = specRelease(release);
  const file = requestFileOf(tool, release);
  const bundler = new Bundler(spec);
  const own = file ? bundler.root(file) : undefined;
  if (!file || !own) return undefined;
  const source = bundler.idOf(file);
  const properties = isRecord(own['properties']) ? { ...own['properties'] } : {};
  const named = topProperties(spec, spec.byId.get(source) ?? {}, source);
  // Every top-level property at the root too, so a client that reads the root's `properties`
  // (@adcp/sdk's strips the rest) keeps them: one an `allOf` member names, as it is written; one
  // a branch of `oneOf` / `anyOf` names, as an unconstrained name (its branch still constrains it).
  for (const [name, found] of named) {
    if (name in properties) continue;
    properties[name] =
      found.via === 'allOf' ? bundler.copy(found.schema, found.file) : aName(found);
  }
  const definitions: Record<string, unknown> = { ...bundler.definitions };
  for (const other of supportedReleases) {
    const theirFile = other === release ? undefined : requestFileOf(tool, other);
    if (!theirFile) continue;
    const theirs = specRelease(other);
    const borrowed = new Bundler(theirs, `${theirs.version}:`);
    const rootId = borrowed.idOf(theirFile);
    for (const [name, found] of topProperties(theirs, theirs.byId.get(rootId) ?? {}, rootId)) {
      if (named.has(name) || name in properties) continue;
      const always = found.via === 'properties' || found.via === 'allOf';
      properties[name] = describedFor(
        always ? borrowed.copy(found.schema, found.file) : aName(found),
        other,
      );
    }
    Object.assign(definitions, borrowed.definitions);
  }
  // What the storyboards send and our tools read that no release names (beyond-spec.ts).
  for (const [name, read] of Object.entries(readBeyondSpec[tool] ?? {})) {
    if (name in properties) continue;
    const schema = read.file
      ? bundler.copy({ $ref: bundler.idOf(read.file) }, source)
      : read.schema;
    properties[name] = describedBeyondSpec(schema, read.why);
  }
  Object.assign(definitions, bundler.definitions);
  const schema: JsonSchema = {
    $schema: draft07,
    ...own,
    type: 'object',
    properties,
    ...(Object.keys(definitions).length > 0 && {
      definitions: { ...(isRecord(own['definitions']) && own['definitions']), ...definitions },
    }),
  };
  return { schema, source, release };
}

/** A property named in a branch: its description, no constraint of its own. */
function aName(found: TopProperty): unknown {
  const said = isRecord(found.schema) ? found.schema['description'] : undefined;
  return {
    description: `In one of the request's ${found.via} forms.${typeof said === 'string' ? ` ${said}` : ''}`,
  };
}

/** A property another release adds, saying which release reads it. */
function describedFor(schema: unknown, release: Release): unknown {
  if (!isRecord(schema)) return schema;
  const said = typeof schema['description'] === 'string' ? ` ${schema['description']}` : '';
  return { ...schema, description: `AdCP ${release} (with adcp_version "${release}").${said}` };
}

/** The request schema file of `tool` in a release's spec, when that spec has the file. */
function requestFileOf(tool: string, release: Release): string | undefined {
  const spec = specRelease(release);
  const file = spec.requests[tool] ?? toolTable[tool]?.request;
  return file && spec.byId.has(`/schemas/${spec.version}/${file}`) ? file : undefined;
}
