import type { JsonSchema } from './spec-files.js';

/**
 * An argument a tool reads that its spec request schema does not name: the spec file of its
 * schema (relative to the release's schemas/), or the schema itself, and why it is read.
 */
interface ReadBeyondSpec {
  file?: string;
  schema?: JsonSchema;
  why: string;
}

/**
 * Arguments the AdCP compliance storyboards send and Interchange's tools read, which no release's
 * request schema of that tool names (the schemas allow additional properties). @adcp/sdk's client
 * drops every argument a tool's listed schema does not name ("Stripping fields not declared in
 * agent … schema"), so a buyer on it would lose them before they left: listed as additions.
 * Found by comparing every storyboard step's `sample_request` (3.0.6 and 3.1.19) with the
 * published schemas; the others it finds are read by no tool here.
 */
export const readBeyondSpec: Readonly<Record<string, Readonly<Record<string, ReadBeyondSpec>>>> = {
  preview_creative: {
    account: {
      file: 'core/account-ref.json',
      why: 'The account the catalog a catalog asset names was synced on (sync_catalogs); a catalog-bound preview renders that account\'s items. The storyboards send it (3.1.19 sales_social catalog_substitution_safety, "account: {brand, operator}" in preview_substitution_probe_creative; the creative domain\'s scenarios).',
    },
    format: {
      schema: { type: 'string', enum: ['url', 'html', 'both'] },
      why: 'Read as output_format when that is absent: 3.1.19 sales_social asks `format: "html"` (preview_substitution_probe_creative).',
    },
  },
  log_event: {
    account: {
      file: 'core/account-ref.json',
      why: 'The account the event source was synced on; the event is forwarded to the source under that account (3.1.19 sales_social event_logging and sales_catalog_driven send it).',
    },
  },
};

/** A property read beyond the spec, described as an Interchange addition. */
export function describedBeyondSpec(schema: unknown, why: string): unknown {
  const base = typeof schema === 'object' && schema !== null ? schema : {};
  return { ...base, description: `Interchange addition, not in the AdCP request schema. ${why}` };
}
