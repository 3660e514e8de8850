import type { RunnerPatch } from '../stock/citations.js';

/**
 * The 3.1 run's grading patches of the storyboard runner's copy (runner-patch.ts applies them):
 * each acts only while the run pins a 3.1 release (the environment variable `pin` names), so
 * the 3.0.6 runs are graded exactly as before. They make 6.11's runner grade a 3.1 answer by
 * 3.1's rules: its schemas, its key order, its advisory errors, its capability gates and its
 * creative edges.
 */
// structure: listing-only (a table of the runner's patches, each an object documented on its own)
export function grading31Patches(pin: string) {
  /**
   * A pinned list_creatives answer is graded by 3.1's list-creatives-response.json too: 6.11's zod
   * schema is 3.0.6's, whose creative-status has no `suspended` and whose listed creative requires
   * `format_id`, while 3.1 lists a canonical creative by `format_kind` and none
   * (creative_lifecycle_webhooks' snapshot-repair steps read a suspended creative; a storefront's
   * library holds canonical creatives from earlier storyboards).
   */
  /**
   * A response schema 6.11 has no zod schema for (3.1's `list_tasks` and `get_task_status`: "No
   * schema registered for task", so get_products_async's list_tasks step failed on the runner,
   * not the answer, and every step after it was skipped). Pinned run only: such a step's
   * `response_schema_ref` is read from the spec's own 3.1 schema files beside ADCP_COMPLIANCE_DIR
   * and checked with ajv (the SDK's own validator), every `$id` of that directory loaded so its
   * `$ref`s resolve; a task with a 6.11 schema is graded by that schema as before.
   */
  const specSchemaFunction = `function interchangeSpecSchema(ref) {
      const dir = process.env.ADCP_COMPLIANCE_DIR;
      if (!process.env.${pin} || !dir || typeof ref !== 'string') return undefined;
      const fs = require('fs'), path = require('path');
      const root = path.join(path.dirname(dir), 'schemas');
      const file = path.join(root, ref);
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) return undefined;
      let ajv = globalThis.__interchangeSpecAjv;
      if (!ajv) {
          const Ajv = require('ajv'), formats = require('ajv-formats');
          ajv = new (Ajv.default ?? Ajv)({ strict: false, allErrors: true, validateSchema: false });
          (formats.default ?? formats)(ajv);
          const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : []);
          for (const f of walk(root)) { try { const s = JSON.parse(fs.readFileSync(f, 'utf8')); if (s && typeof s.$id === 'string') ajv.addSchema(s); } catch { /* not a schema */ } }
          globalThis.__interchangeSpecAjv = ajv;
      }
      const id = JSON.parse(fs.readFileSync(file, 'utf8')).$id;
      const validate = typeof id === 'string' ? ajv.getSchema(id) : undefined;
      if (!validate) return undefined;
      return { safeParse: (data) => validate(data) ? { success: true, data } : { success: false, error: { issues: (validate.errors ?? []).map((e) => ({ code: e.keyword, path: e.instancePath.split('/').filter(Boolean), message: e.message ?? 'invalid' })) } } };
  }
  `;

  const specSchemaPatch: RunnerPatch = {
    cites: [
      {
        file: 'compliance/universal/storyboard-schema.yaml',
        quote: 'response_schema_ref: string (path to response schema)',
      },
      {
        file: 'schemas/manifest.json',
        quote: '"response_schema": "protocol/list-tasks-response.json"',
      },
      {
        file: 'schemas/enums/creative-status.json',
        quote: "'suspended' (recoverable dependency/authorization loss)",
      },
    ],
    file: 'dist/lib/testing/storyboard/validations.js',
    find: 'function validateResponseSchema(validation, ctx, taskResult) {\n    const taskName = ctx.taskName;\n    const { schema_id, schema_url } = resolveSchemaIdentity(ctx.responseSchemaRef);\n    const schema = response_schemas_1.TOOL_RESPONSE_SCHEMAS[taskName];',
    replace:
      specSchemaFunction +
      'function validateResponseSchema(validation, ctx, taskResult) {\n    const taskName = ctx.taskName;\n    const { schema_id, schema_url } = resolveSchemaIdentity(ctx.responseSchemaRef);\n' +
      `    const schema = (process.env.${pin} && taskName === 'list_creatives' && interchangeSpecSchema(ctx.responseSchemaRef)) || (response_schemas_1.TOOL_RESPONSE_SCHEMAS[taskName] ?? interchangeSpecSchema(ctx.responseSchemaRef));`,
  };

  /**
   * Object equality in field_value / allowed_values (validations.js valuesMatch): 6.11 compares
   * JSON strings, so key order decides, while a JSON object's members have no order (RFC 8259).
   * product_discovery's "format_id round-trips verbatim" failed on `{"agent_url", "id"}` against
   * the filter's `{"id", "agent_url"}`: the same format id. Pinned run only: members are compared
   * with their keys sorted; a 3.0.6 run compares as before.
   */
  const keyOrderPatch: RunnerPatch = {
    cites: [
      {
        file: 'compliance/universal/storyboard-schema.yaml',
        quote:
          '`field_equals_context` deep-equals the response value against the captured comparand using the same equality semantics as `field_value`.',
      },
    ],
    file: 'dist/lib/testing/storyboard/validations.js',
    find: '        return JSON.stringify(actual) === JSON.stringify(expected);\n    }\n    return actual === expected;',
    replace:
      `        if (process.env.${pin}) {\n` +
      "            const sorted = (v) => Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;\n" +
      '            return JSON.stringify(sorted(actual)) === JSON.stringify(sorted(expected));\n' +
      '        }\n' +
      '        return JSON.stringify(actual) === JSON.stringify(expected);\n    }\n    return actual === expected;',
  };

  /**
   * 3.1's `unchanged: true` answer to get_products (wholesale_feed_products' unchanged_probe):
   * get-products-response.json's if/then says it carries `wholesale_feed_version` and
   * `cache_scope` and MUST omit `products[]`; 6.11 grades every get_products answer with 3.0's zod
   * schema, where `products` is required, so the spec's own shape failed ("products: expected
   * array, received undefined") and a `products: []` to please it would break the spec. Pinned run
   * only: such an answer is graded by that 3.1 branch; every other answer by 6.11's schema as
   * before, with one 3.1 rule more: product.json's anyOf lets a 3.1 product carry `format_options`
   * without `format_ids` (a v2-only product MUST NOT invent named formats: canonical_formats), where
   * 3.0's schema requires `format_ids`. Such a product is graded with an empty `format_ids` added
   * for the schema check only (what the runner records and compares is the answer as sent); a
   * product with neither still fails. Likewise a get_products answer with `status: "submitted"`
   * (get_products_async, whose step names get-products-async-response-submitted.json, a 3.1 file
   * 6.11 does not have) is graded by that schema: `task_id`, a `message` of at most 2000
   * characters if any, and no `products`, `proposals` or `result`. And a get_adcp_capabilities
   * answer's `compliance_testing.scenarios` is graded by 3.1's rule (a non-empty list of strings:
   * get-adcp-capabilities-response.json makes it open and SHOULD name every scenario served, seeds
   * and forced arms included), where 3.0's zod schema holds it to 3.0's six state scenarios; the
   * rest of that answer by 6.11's schema as before.
   */
  const unchangedSchemaPatch: RunnerPatch = {
    cites: [
      {
        file: 'schemas/media-buy/get-products-response.json',
        quote:
          'Wholesale-feed unchanged response: products MUST be omitted; wholesale_feed_version and cache_scope MUST be present (echoed from the cached version).',
      },
      {
        file: 'schemas/core/product.json',
        quote:
          'Product carries one or more inline ProductFormatDeclarations, each narrowing a canonical format.',
      },
      {
        file: 'schemas/media-buy/get-products-async-response-submitted.json',
        quote:
          'Async task envelope returned when get_products cannot be confirmed before the response',
      },
      {
        file: 'schemas/protocol/get-adcp-capabilities-response.json',
        quote: 'Values SHOULD include every canonical controller scenario the agent implements',
      },
    ],
    file: 'dist/lib/testing/storyboard/validations.js',
    find: 'const parseResult = schema.safeParse(dataWithoutMessage);',
    replace:
      `const parseResult = process.env.${pin} && taskName === 'get_products' && dataWithoutMessage?.unchanged === true\n` +
      "        ? (d => { const issues = [...(typeof d.wholesale_feed_version === 'string' ? [] : [{ code: 'invalid_type', path: ['wholesale_feed_version'], message: 'an unchanged answer carries wholesale_feed_version (3.1 get-products-response.json)' }]), ...(['public', 'account'].includes(d.cache_scope) ? [] : [{ code: 'invalid_enum_value', path: ['cache_scope'], message: 'an unchanged answer carries cache_scope public or account' }]), ...('products' in d ? [{ code: 'unrecognized_keys', path: ['products'], message: 'an unchanged answer MUST omit products' }] : [])]; return issues.length ? { success: false, error: { issues } } : { success: true, data: d }; })(dataWithoutMessage)\n" +
      `        : process.env.${pin} && taskName === 'get_products' && dataWithoutMessage?.status === 'submitted'\n` +
      "        ? (d => { const issues = [...(typeof d.task_id === 'string' && d.task_id !== '' ? [] : [{ code: 'invalid_type', path: ['task_id'], message: 'a submitted envelope carries task_id (3.1 get-products-async-response-submitted.json)' }]), ...(d.message === undefined || (typeof d.message === 'string' && d.message.length <= 2000) ? [] : [{ code: 'invalid_type', path: ['message'], message: 'message is a string of at most 2000 characters' }]), ...['products', 'proposals', 'result'].filter(k => k in d).map(k => ({ code: 'unrecognized_keys', path: [k], message: 'a submitted envelope MUST omit ' + k }))]; return issues.length ? { success: false, error: { issues } } : { success: true, data: d }; })(dataWithoutMessage)\n" +
      `        : schema.safeParse(process.env.${pin} && taskName === 'get_products' && Array.isArray(dataWithoutMessage?.products)\n` +
      "            ? { ...dataWithoutMessage, products: dataWithoutMessage.products.map(p => p && typeof p === 'object' && !('format_ids' in p) && Array.isArray(p.format_options) && p.format_options.length > 0 ? { ...p, format_ids: [] } : p) }\n" +
      `            : process.env.${pin} && taskName === 'get_adcp_capabilities' && Array.isArray(dataWithoutMessage?.compliance_testing?.scenarios) && dataWithoutMessage.compliance_testing.scenarios.length > 0 && dataWithoutMessage.compliance_testing.scenarios.every(s => typeof s === 'string')\n` +
      "            ? { ...dataWithoutMessage, compliance_testing: { ...dataWithoutMessage.compliance_testing, scenarios: ['simulate_delivery'] } }\n" +
      '            : dataWithoutMessage);',
  };

  /**
   * 3.1's non-fatal advisories on a get_products answer (core/error.json `source`, e.g.
   * FORMAT_DECLARATION_DIVERGENT: "the response stays 200/success"): 6.11's client takes any
   * non-empty `errors[]` for a failed task, so a completed 3.1 answer with its products and an
   * advisory failed the step ("Task failed"). Pinned run only: an answer whose 3.1 envelope says
   * `status: "completed"`, with a `products` array and no `adcp_error`, is a success with
   * advisories; every other `errors[]` still fails as before.
   */
  const advisoryErrorsPatch: RunnerPatch = {
    cites: [
      {
        file: 'schemas/enums/error-code.json',
        quote: 'Hard-failing the entire `get_products` response is discouraged',
      },
      {
        file: 'schemas/enums/error-code.json',
        quote:
          'Non-fatal advisory raised when a product carries BOTH `format_ids` (v1) AND `format_options` (v2)',
      },
    ],
    file: 'dist/lib/utils/response-unwrapper.js',
    find: 'function isAdcpError(response) {\n    if (Array.isArray(response?.errors) && response.errors.length > 0)',
    replace:
      'function isAdcpError(response) {\n' +
      `    if (process.env.${pin} && response?.status === 'completed' && Array.isArray(response?.products) && !response?.adcp_error)\n` +
      '        return false;\n' +
      '    if (Array.isArray(response?.errors) && response.errors.length > 0)',
  };

  /**
   * 3.1's storyboard-level `requires_capability` matchers `present` and `contains`
   * (storyboard-schema.yaml: `present: true` passes when the path exists, `false` when it is
   * absent; `contains` when the path is an array holding the value; unmet, the storyboard is not
   * applicable). 6.11 reads `equals` alone, so a `present`/`contains` gate compared the declared
   * value with undefined: a storyboard gated on a capability the agent does not declare at all ran
   * (product_signal_targeting, gated on `signals.discovery_modes` present, on a storefront that
   * declares no signals), and one whose array holds the value was skipped. Pinned run only;
   * `equals` keeps 6.11's rule (absent: run).
   */
  const capabilityMatcherPatch: RunnerPatch = {
    cites: [
      {
        file: 'compliance/universal/storyboard-schema.yaml',
        quote:
          'contains: JSON value (optional — predicate passes when the path value is an array containing this value) present: boolean (optional — predicate passes when the path exists when true, or is absent when false)',
      },
    ],
    file: 'dist/lib/testing/storyboard/runner.js',
    find:
      '            if (actual !== undefined && actual !== equals) {\n' +
      '                const detail = `Capability predicate \\`${path} === ${JSON.stringify(equals)}\\` not satisfied: ` +',
    replace:
      '            const gate = storyboard.requires_capability;\n' +
      `            const matcher = process.env.${pin} && ('present' in gate || 'contains' in gate);\n` +
      "            const unmet = !matcher ? actual !== undefined && actual !== equals : 'present' in gate ? (actual !== undefined) !== gate.present : !(Array.isArray(actual) && actual.some((v) => JSON.stringify(v) === JSON.stringify(gate.contains)));\n" +
      '            if (unmet) {\n' +
      "                const detail = `Capability predicate \\`${path} ${!matcher ? '=== ' + JSON.stringify(equals) : 'present' in gate ? 'present: ' + gate.present : 'contains ' + JSON.stringify(gate.contains)}\\` not satisfied: ` +",
  };

  /**
   * The capabilities a storyboard's `requires_capability` is read against: 6.11 asks
   * get_adcp_capabilities once, unpinned, so a pinned run graded 3.1 gates against the 3.0 answer
   * (which rightly carries none of 3.1's capability fields: `buying_modes`,
   * `propagation_surfaces`…). A 3.1 buyer pins that call too; pinned run only.
   */
  const pinnedProfilePatch: RunnerPatch = {
    cites: [
      {
        file: 'schemas/protocol/get-adcp-capabilities-response.json',
        quote: 'buyers SHOULD declare `adcp_version` (release-precision string) on each request',
      },
    ],
    file: 'dist/lib/testing/client.js',
    find: 'const caps = (await client.getAdcpCapabilities({}));',
    replace: `const caps = (await client.getAdcpCapabilities(process.env.${pin} ? { adcp_version: process.env.${pin} } : {}));`,
  };

  /**
   * 3.1's creative lifecycle in the status.monotonic invariant (enums/creative-status.json 3.1.19:
   * an approved creative may go to `pending_review` (re-review) or `suspended` (recoverable
   * dependency loss); a suspended one back to `approved` or on to `rejected`). 6.11's graph is
   * 3.0's, so creative_lifecycle_webhooks' snapshot repair, which reads the creative it just saw
   * suspended, failed "approved → suspended" on the invariant while the spec names that edge.
   * Pinned run only: the 3.0 edges plus those.
   */
  const creativeEdgesPatch: RunnerPatch = {
    cites: [
      {
        file: 'schemas/enums/creative-status.json',
        quote:
          "or transitioned by the seller to 'pending_review' (re-review), 'suspended' (recoverable dependency/authorization loss), or 'rejected'",
      },
      {
        file: 'schemas/enums/creative-status.json',
        quote:
          'Sellers MAY transition `suspended` back to `approved` after the dependency is restored',
      },
    ],
    file: 'dist/lib/testing/storyboard/default-invariants.js',
    find: 'const CREATIVE_ASSET_TRANSITIONS = {\n    transitions: state_machine_1.CREATIVE_ASSET_TRANSITIONS,',
    replace:
      'const CREATIVE_ASSET_TRANSITIONS = {\n' +
      `    transitions: process.env.${pin}\n` +
      "        ? new Map([...[...state_machine_1.CREATIVE_ASSET_TRANSITIONS].map(([from, to]) => [from, new Set([...to, ...(from === 'approved' ? ['pending_review', 'suspended'] : [])])]), ['suspended', new Set(['approved', 'rejected'])]])\n" +
      '        : state_machine_1.CREATIVE_ASSET_TRANSITIONS,',
  };
  return {
    specSchemaPatch,
    keyOrderPatch,
    unchangedSchemaPatch,
    advisoryErrorsPatch,
    capabilityMatcherPatch,
    pinnedProfilePatch,
    creativeEdgesPatch,
  };
}
