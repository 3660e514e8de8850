/**
 * The hosted-compatibility comparison (the semantics of the project's api-compat tool): for each
 * hosted operation scope.tsv lists, whether we serve the same method and path (parameter names
 * ignored), hosted request-body fields we do not accept, fields we require that hosted does not
 * have or leaves optional, hosted query parameters we lack, and hosted response fields missing
 * from our `data` (when our response schema is closed). It reads schemas only.
 */
export type HostedApi = 'buyer' | 'storefront';
type Schema = Record<string, unknown>;
export interface OpenApi {
  openapi?: string;
  info?: unknown;
  servers?: { url: string }[];
  paths: Record<string, Record<string, unknown> & { servers?: { url: string }[] }>;
  components?: { schemas?: Record<string, Schema> };
}
interface Operation {
  servers?: { url: string }[];
  parameters?: { in?: string; name?: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface ScopeRow {
  group: string;
  api: HostedApi;
  method: string;
  path: string;
  operationId: string;
  /** `METHOD path` with path parameters blanked, as both indexes key operations. */
  key: string;
}
export type GapKind = 'operation' | 'body' | 'required' | 'optional' | 'query' | 'response';
export interface Gap {
  kind: GapKind;
  /** The field or parameter; '' for a missing operation. */
  field: string;
  /** A response field hosted marks required. */
  required?: boolean;
}
export interface CompatRow extends ScopeRow {
  present: boolean;
  gaps: Gap[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const norm = (p: string) => p.replace(/\{[^}]+\}/g, '{}').replace(/\/$/, '');

export function readScope(tsv: string): ScopeRow[] {
  return tsv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [group = '', api = '', method = '', path = '', operationId = ''] = line.split('\t');
      // scope.tsv's api column is buyer or storefront (the two hosted documents).
      return {
        group,
        api: api as HostedApi,
        method,
        path,
        operationId,
        key: `${method} ${norm(path)}`,
      };
    });
}

export interface IndexEntry {
  path: string;
  method: string;
  op: Operation;
}

/** Hosted's operations by full path: each operation's base is its own, its path's or the document's server. */
export function hostedIndex(spec: OpenApi): Map<string, IndexEntry> {
  const out = new Map<string, IndexEntry>();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      const url = (op.servers ?? item.servers ?? spec.servers ?? [{ url: '' }])[0]?.url ?? '';
      const base = url.startsWith('http') ? new URL(url).pathname : url;
      const full = path === '/' ? base : base.replace(/\/$/, '') + path;
      out.set(`${method.toUpperCase()} ${norm(full)}`, { path, method, op });
    }
  }
  return out;
}

function ourIndex(docs: OpenApi[]): Map<string, { op: Operation; spec: OpenApi }> {
  const out = new Map<string, { op: Operation; spec: OpenApi }>();
  for (const spec of docs) {
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      for (const method of METHODS) {
        const op = item[method] as Operation | undefined;
        if (op) out.set(`${method.toUpperCase()} ${norm(path)}`, { op, spec });
      }
    }
  }
  return out;
}

interface Shape {
  props: Map<string, boolean>;
  open: boolean;
}

/** A schema flattened to its properties (name → required) and whether it admits others. */
function shape(schema: unknown, spec: OpenApi, seen: ReadonlySet<string> = new Set()): Shape {
  if (!schema || typeof schema !== 'object') return { props: new Map(), open: true };
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    if (seen.has(s.$ref)) return { props: new Map(), open: true };
    const name = s.$ref.split('/').pop() ?? '';
    return shape(spec.components?.schemas?.[name], spec, new Set([...seen, s.$ref]));
  }
  const props = new Map<string, boolean>();
  let open = false;
  // JSON Schema keywords read as what they are; anything else is ignored.
  const required = new Set((s.required as string[] | undefined) ?? []);
  const properties = s.properties as Record<string, unknown> | undefined;
  for (const k of Object.keys(properties ?? {})) props.set(k, required.has(k));
  if (s.additionalProperties && s.additionalProperties !== false) open = true;
  for (const sub of (s.allOf as unknown[] | undefined) ?? []) {
    const x = shape(sub, spec, seen);
    for (const [k, r] of x.props) props.set(k, r || props.get(k) || false);
    open ||= x.open;
  }
  const alts = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (alts) {
    const xs = alts.map((sub) => shape(sub, spec, seen)).filter((x) => x.props.size);
    for (const x of xs) {
      for (const [k, r] of x.props) {
        props.set(k, (props.get(k) ?? true) && r && xs.every((y) => y.props.get(k)));
      }
    }
    open ||= xs.some((x) => x.open);
  }
  if (!properties && !s.allOf && !alts && (s.type === 'object' || !s.type)) open = true;
  return { props, open };
}

const bodyOf = (op: Operation) => op.requestBody?.content?.['application/json']?.schema;
function okResponse(op: Operation): Schema | undefined {
  for (const code of ['200', '201', '202']) {
    const schema = op.responses?.[code]?.content?.['application/json']?.schema;
    if (schema) return schema;
  }
  return undefined;
}

/** The shape of an answer's `data` when it is our {data, meta} envelope, else of the answer. */
function dataOf(schema: Schema, spec: OpenApi): Shape {
  const whole = shape(schema, spec);
  if (!(whole.props.has('data') && whole.props.has('meta'))) return whole;
  const raw =
    typeof schema.$ref === 'string'
      ? spec.components?.schemas?.[schema.$ref.split('/').pop() ?? '']
      : schema;
  const propsOf = (x: unknown) =>
    (x as { properties?: Record<string, unknown> } | undefined)?.properties;
  const data =
    propsOf(raw)?.data ??
    ((raw?.allOf as unknown[] | undefined) ?? []).map((x) => propsOf(x)?.data).find(Boolean);
  return data ? shape(data, spec) : whole;
}

function gapsOf(h: { op: Operation; spec: OpenApi }, o: { op: Operation; spec: OpenApi }): Gap[] {
  const gaps: Gap[] = [];
  const hb = bodyOf(h.op);
  if (hb) {
    const ob = bodyOf(o.op);
    const hs = shape(hb, h.spec);
    const os = ob ? shape(ob, o.spec) : { props: new Map<string, boolean>(), open: false };
    for (const k of hs.props.keys()) {
      if (!os.props.has(k) && !os.open) gaps.push({ kind: 'body', field: k });
    }
    for (const [k, req] of os.props) {
      if (req && !hs.props.has(k)) gaps.push({ kind: 'required', field: k });
    }
    for (const [k, req] of os.props) {
      if (req && hs.props.has(k) && !hs.props.get(k)) gaps.push({ kind: 'optional', field: k });
    }
  }
  const ours = new Set((o.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
  for (const p of h.op.parameters ?? []) {
    if (p.in === 'query' && p.name && !ours.has(p.name))
      gaps.push({ kind: 'query', field: p.name });
  }
  const hr = okResponse(h.op);
  const or = okResponse(o.op);
  if (hr && or) {
    const hd = dataOf(hr, h.spec);
    const od = dataOf(or, o.spec);
    if (!od.open) {
      for (const [k, required] of hd.props) {
        if (!od.props.has(k)) gaps.push({ kind: 'response', field: k, required });
      }
    }
  }
  return gaps;
}

/** Every in-scope hosted operation compared with ours (our documents as served). */
export function compare(
  hosted: Record<HostedApi, OpenApi>,
  scope: readonly ScopeRow[],
  ours: OpenApi[],
): CompatRow[] {
  const index = { buyer: hostedIndex(hosted.buyer), storefront: hostedIndex(hosted.storefront) };
  const our = ourIndex(ours);
  return scope.map((row) => {
    const h = index[row.api].get(row.key);
    const o = our.get(row.key);
    if (!o) return { ...row, present: false, gaps: [{ kind: 'operation', field: '' }] };
    return { ...row, present: true, gaps: h ? gapsOf({ op: h.op, spec: hosted[row.api] }, o) : [] };
  });
}
