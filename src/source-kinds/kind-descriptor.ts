/*
 * What a kind of inventory source is, as plain data: the one description the source registry,
 * the console, readiness (through inventory-sources) and the demo sandbox read. A descriptor is
 * below the modules (eslint-layers.js, "kind descriptors"): it imports nothing but this file and
 * the shared core, so a module, the console and the demo read it without a kind's runtime.
 */

/** The console section a kind's source page shows (src/web/console/seller/sources/kinds.ts). */
export type ConsoleSectionName =
  'agent' | 'linked-storefront' | 'modular' | 'ad-server' | 'provider';

/**
 * A field of a kind's create form: its path in the setup route's JSON body and how the console
 * shows it. The field's limits (required, lengths, enums) are the route's zod schema's.
 */
export interface SetupField {
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'select' | 'checkbox' | 'hidden' | 'number' | 'email' | 'url';
  hint?: string;
  /** A select's choices; defaults to the schema's enum (or the console's choices for the field). */
  options?: ReadonlyArray<{ value: string; label: string }>;
}

/** A create form the console draws from the descriptor alone (its panel, its form, its notice). */
export interface SetupForm {
  /** The panel's heading on /console/sources/new, and the note under it. */
  title: string;
  note: string;
  /** The form's id on that page; the console URL it posts to is /console/sources/{action}. */
  id: string;
  action: string;
  fields: readonly SetupField[];
  submit: string;
  values?: Readonly<Record<string, unknown>>;
  /** The notice the source's page shows after, and where the answer names the source. */
  notice: string;
  createdName: string;
}

/**
 * A create panel the console keeps by hand, and why the form renderer cannot draw it (a file
 * read in the console, several forms, a form shared with another kind).
 */
export interface CustomSetup {
  panel: 'agent' | 'ad-server';
  why: string;
}

export interface KindDescriptor {
  /** The inventory source row's executionType. */
  executionType: string;
  /** What the sources list calls it. */
  label: string;
  /**
   * What serves it, when not an agent of its own. Absent only for a kind that is an agent (an
   * endpoint, a protocol, a credential to present, a capability probe to run).
   */
  servedBy?: string;
  setup: {
    /**
     * The REST route that creates a source of this kind: its zod body schema is the kind's
     * setup schema (one schema: the route validates it, the console's form renderer reads its
     * limits from it, OpenAPI documents it).
     */
    route: string;
  };
  /**
   * What the source can declare about itself and how it comes to be known: a capability probe
   * of the agent (get_adcp_capabilities), or the kind's own report in place of a probe.
   */
  capabilities: {
    declaredBy: 'probe' | 'self-report';
    /** The AdCP protocols and specialisms it may declare (the cached capabilities' record). */
    may: readonly string[];
  };
  console: {
    section: ConsoleSectionName;
    create: SetupForm | CustomSetup;
  };
}

/** Whether the console draws the kind's create form from the descriptor. */
export const isSetupForm = (create: SetupForm | CustomSetup): create is SetupForm =>
  'fields' in create;
