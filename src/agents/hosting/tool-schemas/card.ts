import type { AgentCard } from '@a2a-js/sdk';
import { supportedReleases, toolTable } from '../../adcp31/index.js';
import { requestExamples } from './examples.js';

type AgentSkill = AgentCard['skills'][number];
type AgentExtension = NonNullable<NonNullable<AgentCard['capabilities']['extensions']>[number]>;

/** Where every release's request schema of every tool is served (routes.ts), under the origin. */
export const schemasPath = '/adcp/schemas';

/**
 * An A2A 0.3 skill with what 0.3 lets a card say of its input: AgentSkill has no input schema, so
 * `examples` carries a call a client can send as is (the message's DataPart `{skill, input}`, in
 * 3.0's form and pinned 3.1's), and the card's extension (schemaExtension) links each skill to its
 * request schema per release.
 */
export function withExamples(skill: AgentSkill): AgentSkill {
  const input = requestExamples[skill.id];
  if (!input) return skill;
  const pinned = { adcp_version: '3.1', ...input };
  const examples = [input, pinned].map((example) =>
    JSON.stringify({ skill: skill.id, input: example }),
  );
  return { ...skill, examples: [...(skill.examples ?? []), ...examples] };
}

/**
 * The card's extension naming, per skill and release, the URL of the request schema that skill
 * takes (the same document MCP's tools/list publishes for that release). Its URI is the index
 * of those schemas, which answers what the extension lists.
 */
export function schemaExtension(origin: string, skills: readonly string[]): AgentExtension {
  const base = `${origin.replace(/\/+$/, '')}${schemasPath}`;
  const schemas: Record<string, Record<string, string>> = {};
  // Every tool of the release seam has a schema in every release (published.ts); read lazily.
  for (const skill of skills.filter((name) => toolTable[name])) {
    schemas[skill] = Object.fromEntries(
      supportedReleases.map((release) => [release, `${base}/${release}/${skill}.json`]),
    );
  }
  return {
    uri: base,
    description:
      "AdCP request schemas: each skill's `input`, per AdCP release (pin one with `adcp_version` in the input; none is 3.0).",
    required: false,
    params: { releases: [...supportedReleases], schemas },
  };
}
