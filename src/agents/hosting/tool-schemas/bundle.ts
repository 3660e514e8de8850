import { isRecord } from '../../../platform/is-record.js';
import type { JsonSchema, SpecRelease } from './spec-files.js';

/**
 * A self-contained copy of spec schemas: one JSON Schema document holding what a root file
 * reaches through `$ref`, each reached file once under `definitions` (keyed by its path:
 * `core.account-ref.json`), every `$ref` rewritten to point there. An MCP client or a language
 * model reads it without fetching anything, and any draft-07 validator compiles it as is. The
 * spec's files are copied, never changed; `$id` and `$schema` go from the copies, since a
 * nested `$id` would move the base its `$ref`s resolve against.
 */
export class Bundler {
  readonly definitions: Record<string, JsonSchema> = {};
  private readonly keys = new Map<string, string>();

  /** `prefix` keeps the definitions of two releases bundled into one document apart. */
  constructor(
    private readonly spec: SpecRelease,
    private readonly prefix = '',
  ) {}

  /** The spec's `$id` of a file relative to its schemas/ folder. */
  idOf(file: string): string {
    return `/schemas/${this.spec.version}/${file}`;
  }

  /** The file with its `$ref`s rewritten, as the root of the document (undefined: no file). */
  root(file: string): JsonSchema | undefined {
    const id = this.idOf(file);
    const schema = this.spec.byId.get(id);
    if (!schema) return undefined;
    const { $id: _id, $schema: _schema, ...rest } = schema;
    return this.rewrite(rest, id, '#');
  }

  /** A subschema of the file `base` (a property of it), rewritten to live in this document. */
  copy(node: unknown, base: string): unknown {
    return this.rewrite(node, base, undefined);
  }

  /** The document's pointer to a file: its definition, made on first use. */
  private pointer(id: string): string {
    let key = this.keys.get(id);
    if (key === undefined) {
      key = this.prefix + id.replace(/^\/schemas\/[^/]+\//, '').replace(/\//g, '.');
      this.keys.set(id, key);
      const schema = this.spec.byId.get(id);
      if (!schema) throw new Error(`the ${this.spec.version} schemas have no ${id}`);
      const { $id: _id, $schema: _schema, ...rest } = schema;
      // Set before rewriting, so a file that reaches itself finds its own definition.
      this.definitions[key] = {};
      const target = `#/definitions/${key}`;
      this.definitions[key] = this.rewrite(rest, id, target) as JsonSchema;
    }
    return `#/definitions/${key}`;
  }

  /**
   * `node` with each `$ref` pointed into this document. `self` is the pointer of the file being
   * copied (`#` for the root; undefined when copying a fragment of a file, whose own `#…`
   * references then point into that file's definition).
   */
  private rewrite(node: unknown, base: string, self: string | undefined): JsonSchema {
    const walk = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(walk);
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string') {
          const hash = child.indexOf('#');
          const file = hash < 0 ? child : child.slice(0, hash);
          const fragment = hash < 0 ? '' : child.slice(hash + 1);
          const target = file === '' ? base : file;
          const at = target === base && self !== undefined ? self : this.pointer(target);
          out[key] = fragment ? `${at === '#' ? '#' : at}${fragment}` : at;
        } else {
          out[key] = walk(child);
        }
      }
      return out;
    };
    return walk(node) as JsonSchema;
  }
}

/** A top-level property of a request schema, with the file and the keyword that name it. */
export interface TopProperty {
  schema: unknown;
  file: string;
  /** `properties` of the root or of an `allOf` member (always applies), else a branch's. */
  via: 'properties' | 'allOf' | 'anyOf' | 'oneOf';
}

/**
 * The top-level properties a request schema names: its own and those of the schemas its root
 * `allOf` / `anyOf` / `oneOf` compose (version-envelope.json's `adcp_version` among them), each
 * with the file it is written in.
 */
export function topProperties(
  spec: SpecRelease,
  root: JsonSchema,
  rootId: string,
): Map<string, TopProperty> {
  const found = new Map<string, TopProperty>();
  const collect = (schema: JsonSchema, file: string, via: TopProperty['via']) => {
    const properties = schema['properties'];
    if (isRecord(properties)) {
      for (const [name, property] of Object.entries(properties)) {
        if (!found.has(name)) found.set(name, { schema: property, file, via });
      }
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (!Array.isArray(branches)) continue;
      for (const branch of branches) {
        if (!isRecord(branch)) continue;
        const ref = branch['$ref'];
        const external = typeof ref === 'string' && !ref.startsWith('#');
        const target = external ? spec.byId.get(ref) : branch;
        // A branch inside a branch is as conditional as the outer one.
        const how = via === 'properties' || via === 'allOf' ? key : via;
        if (target) collect(target, external ? ref : file, how === 'allOf' ? 'allOf' : how);
      }
    }
  };
  collect(root, rootId, 'properties');
  return found;
}
