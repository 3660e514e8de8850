import { escapeHtml as e } from '../platform/http/html.js';

/**
 * A readable API reference rendered on the server from the OpenAPI documents: no script, no
 * CDN, so it works offline and in any browser.
 */
type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  format?: string;
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: {
    name: string;
    in: string;
    required?: boolean;
    schema?: Schema;
    description?: string;
  }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};

type Doc = {
  info: { title: string; version: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

export interface ReferenceSection {
  name: string;
  specUrl: string;
  doc: Doc;
}

export function renderApiReference(sections: ReferenceSection[]): string {
  const nav = sections
    .map(
      (s) =>
        `<li><a href="#${e(s.name)}">${e(s.doc.info.title)}</a> · <a href="${e(s.specUrl)}">openapi.json</a></li>`,
    )
    .join('');
  const body = sections.map(renderSection).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Interchange API reference</title><style>${css}</style></head>
<body><header><h1>Interchange API reference</h1>
<p>Every <code>/api/v2</code> response is <code>{data, error, meta: {requestId, timestamp}}</code>; the shapes below are <code>data</code>. Authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>.</p>
<ul class="docs">${nav}</ul></header><main>${body}</main></body></html>`;
}

function renderSection(section: ReferenceSection): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(section.doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'Other';
      const list = byTag.get(tag) ?? [];
      list.push(renderOperation(section.doc, method, path, op));
      byTag.set(tag, list);
    }
  }
  const groups = [...byTag.entries()]
    .map(([tag, ops]) => `<h3>${e(tag)}</h3>${ops.join('')}`)
    .join('');
  return `<section id="${e(section.name)}"><h2>${e(section.doc.info.title)}</h2>${groups || '<p>No operations yet.</p>'}</section>`;
}

function renderOperation(doc: Doc, method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${e(p.name)}</code></td><td>${e(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${describe(doc, p.schema)}</td></tr>`,
    )
    .join('');
  const body = op.requestBody?.content?.['application/json']?.schema;
  const okStatus = Object.keys(op.responses ?? {}).find((s) => s.startsWith('2'));
  const ok = okStatus ? op.responses?.[okStatus]?.content?.['application/json']?.schema : undefined;
  const data = ok ? resolve(doc, resolve(doc, ok).properties?.data) : undefined;
  return `<article class="op" id="${e(op.operationId ?? `${method}-${path}`)}">
<h4><span class="m ${e(method)}">${e(method.toUpperCase())}</span> <code>${e(path)}</code></h4>
<p>${e(op.summary ?? '')}${op.security ? '' : ' <em>(no API key needed)</em>'}</p>
${op.description ? `<p>${e(op.description)}</p>` : ''}
${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params}</table>` : ''}
${body ? `<details open><summary>Request body</summary>${fields(doc, body, 0)}</details>` : ''}
${data ? `<details><summary>Response ${e(okStatus)} data</summary>${fields(doc, data, 0)}</details>` : ''}
</article>`;
}

function fields(doc: Doc, schema: Schema | undefined, depth: number): string {
  const s = resolve(doc, schema);
  if (depth > 4) return '';
  if (s.type === 'array' && s.items)
    return `<div>array of:</div>${fields(doc, s.items, depth + 1)}`;
  const variants = s.anyOf ?? s.oneOf;
  if (variants) {
    const object = variants.map((v) => resolve(doc, v)).find((v) => v.properties);
    if (object) return fields(doc, object, depth);
  }
  if (!s.properties) return `<div>${describe(doc, s)}</div>`;
  const required = new Set(s.required ?? []);
  const rows = Object.entries(s.properties)
    .map(([name, prop]) => {
      const r = resolve(doc, prop);
      const nested =
        r.properties || (r.type === 'array' && resolve(doc, r.items).properties)
          ? fields(doc, r, depth + 1)
          : '';
      return `<li><code>${e(name)}</code>${required.has(name) ? ' <b>required</b>' : ''} — ${describe(doc, r)}${nested}</li>`;
    })
    .join('');
  return `<ul class="fields">${rows}</ul>`;
}

function describe(doc: Doc, schema: Schema | undefined): string {
  const s = resolve(doc, schema);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map((v) => describe(doc, v)).join(' | ');
  const parts: string[] = [];
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  parts.push(s.type === 'array' ? `array of ${describe(doc, s.items)}` : type);
  if (s.enum) parts.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (s.const !== undefined) parts.push(`= ${JSON.stringify(s.const)}`);
  if (s.format) parts.push(s.format);
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    parts.push(`length ${s.minLength ?? 0}..${s.maxLength ?? '∞'}`);
  }
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  if (s.description) parts.push(s.description);
  return e(parts.join(', '));
}

function resolve(doc: Doc, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return doc.components?.schemas?.[name] ?? {};
  }
  if (schema.allOf?.length === 1) return resolve(doc, schema.allOf[0]);
  return schema;
}

const css = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
header{background:#17202e;color:#fff;padding:24px 32px}header a{color:#9cc3ff}header code{background:#2a3648}
main{max-width:1000px;margin:0 auto;padding:16px 32px}
h2{border-bottom:2px solid #d8dde6;padding-bottom:4px;margin-top:40px}
.op{background:#fff;border:1px solid #e1e5eb;border-radius:6px;padding:8px 16px;margin:12px 0}
.op h4{margin:8px 0}.m{display:inline-block;min-width:60px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}
.get{background:#2f7d4f}.post{background:#2563c9}.put{background:#a26a00}.patch{background:#7a4bc2}.delete{background:#b73333}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #e1e5eb;padding:2px 8px;text-align:left;font-size:14px}
.fields{margin:4px 0;padding-left:20px;font-size:14px}code{background:#eef1f5;padding:0 4px;border-radius:3px}
`;
