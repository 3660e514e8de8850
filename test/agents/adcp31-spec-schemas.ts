import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spec31Dir } from '../../scripts/compliance/spec31.js';

/*
 * The spec's own AdCP 3.1.19 JSON schemas (shared/reference/adcp-3.1/schemas), every `$id` loaded
 * into one ajv so their `$ref`s resolve, as a 3.1 buyer's SDK would check an answer. Which file
 * grades which tool is the spec's manifest.json: the tool's response schema, or the async
 * response schema of the answer's status (submitted, working, input-required).
 */

type Manifest = {
  tools: Record<string, { response_schema: string; async_response_schemas: string[] }>;
};

const root = join(dirname(spec31Dir()), 'schemas');
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
// ajv-formats is CommonJS: its plugin is the module's `default` under Node's ESM interop.
(formats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith('.json')
        ? [join(dir, entry.name)]
        : [],
  );
// A few files repeat another's `$id` (core/async-response-refs/): the id is loaded once.
const idOf = new Map<string, string>();
for (const file of files(root)) {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id?: string; $async?: false };
  if (typeof schema.$id !== 'string') continue;
  if (![...idOf.values()].includes(schema.$id)) ajv.addSchema(schema);
  idOf.set(file.slice(root.length + 1), schema.$id);
}
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;

/** The spec file (relative to schemas/) that grades `tool`'s answer in the given status. */
export function responseSchemaOf(tool: string, status?: string): string {
  const entry = manifest.tools[tool];
  if (!entry) throw new Error(`the 3.1.19 manifest names no tool ${tool}`);
  const async = entry.async_response_schemas.find((file) => file.endsWith(`-${status}.json`));
  return async ?? entry.response_schema;
}

/**
 * What the 3.1.19 schema of `tool`'s answer says is wrong with `answer` (an MCP tool's structured
 * content; the test client's own `isError` flag is not part of it): `path: message` lines, none
 * when it is valid.
 */
export function specViolations(tool: string, answer: Record<string, unknown>): string[] {
  const { isError: _flag, ...content } = answer;
  const file = responseSchemaOf(tool, content['status'] as string | undefined);
  const failed = content['status'] === 'failed' && !declaresErrors(file);
  // A tool whose answer schema has no error arm (get_task_status) fails with core/error.json's
  // error, as adcp_error and in errors[] (the protocol's two-layer model).
  if (failed) {
    const errors = [content['adcp_error'], ...((content['errors'] as unknown[]) ?? [])];
    return errors.flatMap((error) => violations('core/error.json', error));
  }
  return violations(file, content);
}

/** What the 3.1.19 schema `file` (relative to schemas/) says is wrong with `content`. */
export function violations(file: string, content: unknown): string[] {
  const validate = ajv.getSchema(idOf.get(file) ?? '');
  if (!validate) throw new Error(`no 3.1.19 schema ${file}`);
  if (validate(content)) return [];
  return (validate.errors ?? []).map(
    (e) => `${file}${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

const declaresErrors = (file: string) =>
  JSON.stringify(JSON.parse(readFileSync(join(root, file), 'utf8'))).includes('"errors"');
