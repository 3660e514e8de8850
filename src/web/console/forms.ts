import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { escapeHtml as e } from '../html.js';
import type { ApiError } from './api.js';

/**
 * Console forms are drawn from the API's own request schemas and answered by the API's own
 * validation. A form names the route it submits to ("PUT /api/v2/storefront"); each field is
 * named by its path in that route's JSON body ("businessProfile.agentPersonality"). From the
 * route's zod schema each field takes its limits (required, maxlength, min/max, list sizes), which
 * the browser enforces and the page shows as the user types; the submitted form becomes the JSON
 * body, the route validates it, and each refusal it names comes back at the field it names.
 */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'number'
  | 'email'
  | 'url'
  | 'password'
  | 'select'
  | 'radio'
  | 'checkbox'
  | 'checkboxes'
  | 'list'
  | 'date'
  | 'datetime'
  | 'color'
  | 'hidden'
  | 'file';

export interface FieldSpec {
  /** The field's path in the route's JSON body, dotted. */
  name: string;
  label: string;
  kind?: FieldKind;
  hint?: string;
  /** select, radio and checkboxes; defaults to the schema's enum. */
  options?: Array<{ value: string; label: string }>;
  /** What an empty value sends: nothing (default), null, or an empty list. */
  empty?: 'omit' | 'null' | 'empty';
  /** A date field's time of day (UTC) in the body: the start or the end of the day. */
  dayEdge?: 'start' | 'end';
  /** Extra attributes (trusted markup), e.g. autocomplete="off". */
  attrs?: string;
  /** Shown only when the form's `data-show-when` control has one of these values. */
  showWhen?: { field: string; values: string[] };
  /** Not sent to the API (e.g. a file the page's script uploads first). */
  local?: boolean;
}

export interface FormSpec {
  /** Unique on its page; errors come back to the form with this id. */
  id: string;
  /** The console URL the form posts to. */
  action: string;
  /** The API route it submits to, as "METHOD /path" with the route's own :params. */
  route: string;
  fields: FieldSpec[];
  submit: string;
  /** Current values (an API object): each field's value is read at its path. */
  values?: unknown;
  /** A form that creates something gets an Idempotency-Key: submitting twice creates once. */
  idempotent?: boolean;
  /** Optional trusted markup shown above the fields. */
  intro?: string;
  /** Marks the submit button dangerous. */
  danger?: boolean;
  /** Extra hidden inputs (trusted values, escaped here). */
  hidden?: Record<string, string>;
  /** A progress note the page script shows while the request runs (long operations). */
  busy?: string;
  className?: string;
  /** A named window the form opens (the OAuth consent window). */
  target?: string;
}

/** A submitted form coming back with what the user typed and what the API refused. */
export interface FormState {
  formId: string;
  values: FormValues;
  errors: Record<string, string>;
  /** Refusals that name no field of the form. */
  message?: string;
}

export type FormValues = Record<string, string | string[]>;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  maxLength?: number;
  minLength?: number;
  maximum?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  minItems?: number;
  format?: string;
};

export interface RouteSchemas {
  /** The JSON Schema (input side) of a route's body; undefined for a route without one. */
  bodyOf(route: string): JsonSchema | undefined;
}

/**
 * The body schemas of the app's routes, as their zod schemas declare them (converted once per
 * route to JSON Schema, input side: what a client may send).
 */
export function routeSchemas(
  catalog: Array<{ method: string; url: string; schema: Record<string, unknown> | undefined }>,
): RouteSchemas {
  const cache = new Map<string, JsonSchema | undefined>();
  return {
    bodyOf(route) {
      if (cache.has(route)) return cache.get(route);
      const [method, url] = route.split(' ');
      const entry = catalog.find((r) => r.method === method && r.url === url);
      const body = entry?.schema?.body as z.ZodType | undefined;
      let json: JsonSchema | undefined;
      if (body) {
        try {
          json = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
        } catch {
          json = undefined;
        }
      }
      cache.set(route, json);
      return json;
    },
  };
}

/** A field's schema and whether the body requires it, following nullable and union branches. */
function fieldSchema(
  root: JsonSchema | undefined,
  path: string,
): { schema?: JsonSchema; required: boolean } {
  let node = root;
  let required = true;
  for (const part of path.split('.')) {
    if (/^\d+$/.test(part)) {
      node = nonNull(node)?.items;
      continue;
    }
    node = objectBranch(node, part);
    if (!node?.properties?.[part]) return { required: false };
    required = required && (node.required ?? []).includes(part);
    const next: JsonSchema = node.properties[part];
    if (next.default !== undefined) required = false;
    node = next;
  }
  const leaf = nonNull(node);
  if (leaf !== node) required = false;
  return { schema: leaf, required };
}

/** The object branch (of a union or nullable) that has `property`. */
function objectBranch(node: JsonSchema | undefined, property: string): JsonSchema | undefined {
  if (!node) return undefined;
  if (node.properties?.[property]) return node;
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    const found = objectBranch(branch, property);
    if (found) return found;
  }
  return node;
}

function nonNull(node: JsonSchema | undefined): JsonSchema | undefined {
  const branches = node?.anyOf ?? node?.oneOf;
  if (!branches) return node;
  const real = branches.filter((b) => b.type !== 'null');
  return real.length === 1 ? nonNull(real[0]) : node;
}

/** The limits the browser enforces and the page shows, from the field's schema. */
export function limitsOf(schema: JsonSchema | undefined) {
  const s = schema ?? {};
  return {
    maxLength: s.maxLength ?? s.items?.maxLength,
    minLength: s.minLength,
    maximum: s.maximum,
    minimum: s.minimum ?? s.exclusiveMinimum,
    maxItems: s.type === 'array' ? s.maxItems : undefined,
    minItems: s.type === 'array' ? s.minItems : undefined,
    enum: (s.enum ?? s.items?.enum)?.map(String),
  };
}

/** Renders a form: the CSRF token, an Idempotency-Key when it creates, and each field. */
export function renderForm(
  spec: FormSpec,
  csrf: string,
  schemas: RouteSchemas,
  state?: FormState,
): string {
  const mine = state?.formId === spec.id ? state : undefined;
  const root = schemas.bodyOf(spec.route);
  const hidden = {
    csrf,
    form: spec.id,
    ...(spec.idempotent && { idem: randomUUID() }),
    ...spec.hidden,
  };
  const fields = spec.fields
    .map((field) => {
      const value = mine ? mine.values[field.name] : valueAt(spec.values, field.name);
      return renderField(spec.id, field, fieldSchema(root, field.name), value, mine?.errors);
    })
    .join('\n');
  const message = mine?.message
    ? `<div class="flash error" role="alert" id="${e(spec.id)}-message">${e(mine.message)}</div>`
    : mine && Object.keys(mine.errors).length > 0
      ? `<div class="flash error" role="alert" id="${e(spec.id)}-message">${e(
          'Some fields need attention: see the messages below each one.',
        )}</div>`
      : '';
  return `<form method="post" action="${e(spec.action)}" id="${e(spec.id)}" class="api-form${spec.className ? ` ${spec.className}` : ''}"${spec.busy ? ` data-busy="${e(spec.busy)}"` : ''}${spec.target ? ` target="${e(spec.target)}" data-popup="${e(spec.target)}"` : ''}>
${Object.entries(hidden)
  .map(([name, value]) => `<input type="hidden" name="${e(name)}" value="${e(value)}">`)
  .join('')}
${spec.intro ?? ''}${message}${fields}
<div class="actions"><button type="submit"${spec.danger ? ' class="danger"' : ''}>${e(spec.submit)}</button>${
    spec.busy ? `<p class="busy" role="status" aria-live="polite" hidden></p>` : ''
  }</div></form>`;
}

function renderField(
  formId: string,
  field: FieldSpec,
  found: { schema?: JsonSchema; required: boolean },
  value: unknown,
  errors: Record<string, string> | undefined,
): string {
  const kind = field.kind ?? 'text';
  const id = `${formId}-${field.name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  const limits = limitsOf(found.schema);
  const error = errors?.[field.name];
  const required = found.required && kind !== 'checkbox' && kind !== 'checkboxes';
  if (kind === 'hidden') {
    return `<input type="hidden" name="${e(field.name)}" value="${e(textOf(value))}">`;
  }
  const described: string[] = [];
  if (field.hint) described.push(`${id}-hint`);
  const counted = limits.maxItems ?? (kind === 'checkboxes' ? undefined : limits.maxLength);
  if (counted !== undefined && (kind === 'textarea' || kind === 'list')) {
    described.push(`${id}-count`);
  }
  if (error) described.push(`${id}-error`);
  const aria = `${described.length ? ` aria-describedby="${described.join(' ')}"` : ''}${error ? ' aria-invalid="true"' : ''}`;
  const hint = field.hint ? `<p class="hint" id="${id}-hint">${e(field.hint)}</p>` : '';
  const errorHtml = error ? `<p class="field-error" id="${id}-error">${e(error)}</p>` : '';
  const show = field.showWhen
    ? ` data-show-field="${e(`${formId}-${field.showWhen.field.replace(/[^a-zA-Z0-9_-]/g, '-')}`)}" data-show-values="${e(field.showWhen.values.join(' '))}"`
    : '';
  const wrap = (inner: string, extra = '') =>
    `<div class="field${error ? ' invalid' : ''}${extra}"${show}>${inner}${errorHtml}</div>`;
  const label = `<label for="${id}">${e(field.label)}${required ? ' <span class="req">(required)</span>' : ''}</label>`;
  const name = e(field.name);
  const common = `id="${id}" name="${name}"${required ? ' required' : ''}${aria}${field.attrs ? ` ${field.attrs}` : ''}`;
  const options =
    field.options ?? (limits.enum ?? []).map((v) => ({ value: v, label: v.replace(/_/g, ' ') }));

  switch (kind) {
    case 'checkbox': {
      const checked = value === true || value === 'true' || value === 'on';
      return wrap(
        `<input type="checkbox" value="true" ${common}${checked ? ' checked' : ''}> ${label.replace('<label', '<label class="inline"')}${hint}`,
        ' check',
      );
    }
    case 'checkboxes': {
      const chosen = new Set(listOf(value));
      return wrap(
        `<fieldset id="${id}"${aria}><legend>${e(field.label)}</legend>${hint}<div class="choices">${options
          .map(
            (o, i) =>
              `<label class="choice" for="${id}-${i}"><input type="checkbox" id="${id}-${i}" name="${name}" value="${e(o.value)}"${chosen.has(o.value) ? ' checked' : ''}> ${e(o.label)}</label>`,
          )
          .join('')}</div></fieldset>`,
      );
    }
    case 'radio': {
      const current = textOf(value);
      return wrap(
        `<fieldset id="${id}"${aria}><legend>${e(field.label)}</legend>${hint}<div class="choices">${options
          .map(
            (o, i) =>
              `<label class="choice" for="${id}-${i}"><input type="radio" id="${id}-${i}" name="${name}" value="${e(o.value)}"${current === o.value ? ' checked' : ''}> ${e(o.label)}</label>`,
          )
          .join('')}</div></fieldset>`,
      );
    }
    case 'select': {
      const current = textOf(value);
      const blank = required ? '' : `<option value="">—</option>`;
      return wrap(
        `${label}${hint}<select ${common}>${blank}${options
          .map(
            (o) =>
              `<option value="${e(o.value)}"${current === o.value ? ' selected' : ''}>${e(o.label)}</option>`,
          )
          .join('')}</select>`,
      );
    }
    case 'textarea':
    case 'list': {
      const text = kind === 'list' ? listOf(value).join('\n') : textOf(value);
      const max = kind === 'list' ? limits.maxItems : limits.maxLength;
      const used = kind === 'list' ? listOf(value).length : text.length;
      const unit = kind === 'list' ? 'entries' : 'characters';
      const limit =
        kind === 'textarea' && limits.maxLength !== undefined
          ? ` maxlength="${limits.maxLength}"`
          : '';
      const count =
        max !== undefined
          ? `<p class="count" id="${id}-count" data-count-for="${id}" data-max="${max}" data-unit="${unit}"${kind === 'list' ? ' data-list="true"' : ''}>${used} of ${max} ${unit}</p>`
          : '';
      return wrap(
        `${label}${hint}<textarea ${common}${limit} rows="${kind === 'list' ? 4 : 5}">${e(text)}</textarea>${count}`,
      );
    }
    case 'file':
      return wrap(`${label}${hint}<input type="file" ${common}>`);
    default: {
      const type =
        kind === 'datetime'
          ? 'datetime-local'
          : kind === 'date'
            ? 'date'
            : kind === 'number'
              ? 'number'
              : kind;
      const shown =
        kind === 'date'
          ? textOf(value).slice(0, 10)
          : kind === 'datetime'
            ? textOf(value).slice(0, 16)
            : textOf(value);
      const attrs = [
        limits.maxLength !== undefined && kind !== 'number'
          ? `maxlength="${limits.maxLength}"`
          : '',
        limits.minLength !== undefined && limits.minLength > 1
          ? `minlength="${limits.minLength}"`
          : '',
        kind === 'number' && limits.maximum !== undefined ? `max="${limits.maximum}"` : '',
        kind === 'number' && limits.minimum !== undefined ? `min="${limits.minimum}"` : '',
        kind === 'number' ? 'step="any"' : '',
      ]
        .filter(Boolean)
        .join(' ');
      return wrap(
        `${label}${hint}<input type="${type}" ${common}${attrs ? ` ${attrs}` : ''} value="${e(shown)}">`,
      );
    }
  }
}

/** The JSON body a submitted form stands for: each field's value, typed, at its path. */
export function bodyOf(fields: FieldSpec[], form: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.local) continue;
    if (field.showWhen && !field.showWhen.values.includes(first(form[field.showWhen.field]))) {
      continue;
    }
    const kind = field.kind ?? 'text';
    const raw = form[field.name];
    let value: unknown;
    if (kind === 'checkbox') {
      value = first(raw) === 'true' || first(raw) === 'on';
    } else if (kind === 'checkboxes') {
      value = listOf(raw);
      if ((value as string[]).length === 0) value = emptyValue(field);
    } else if (kind === 'list') {
      value = first(raw)
        .split(/[\n,]/)
        .map((v) => v.trim())
        .filter(Boolean);
      if ((value as string[]).length === 0) value = emptyValue(field);
    } else {
      const text = first(raw);
      if (text.trim() === '') {
        value = emptyValue(field);
      } else if (kind === 'number') {
        const n = Number(text);
        value = Number.isFinite(n) ? n : text;
      } else if (kind === 'date') {
        value = /^\d{4}-\d{2}-\d{2}$/.test(text)
          ? `${text}T${field.dayEdge === 'end' ? '23:59:59' : '00:00:00'}Z`
          : text;
      } else if (kind === 'datetime') {
        value = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? `${text}:00Z` : text;
      } else {
        value = text;
      }
    }
    if (value !== undefined) setAt(body, field.name, value);
  }
  return body;
}

/**
 * The API's refusal, laid on the form: each issue at the field it names (a field is matched by
 * its path or the nearest enclosing one), the rest as the form's message.
 */
export function stateOf(
  spec: Pick<FormSpec, 'id' | 'fields'>,
  form: FormValues,
  error: ApiError,
): FormState {
  const issues =
    (error.details?.issues as Array<{ field: string; message: string }> | undefined) ??
    (error.field !== undefined ? [{ field: error.field, message: error.message }] : []);
  const names = spec.fields.filter((f) => f.kind !== 'hidden').map((f) => f.name);
  const errors: Record<string, string> = {};
  const stray: string[] = [];
  for (const issue of issues) {
    const name = fieldFor(names, issue.field);
    if (name && !errors[name]) errors[name] = sentence(issue.message);
    else if (!name) stray.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
  }
  const message =
    Object.keys(errors).length === 0
      ? error.message
      : stray.length > 0
        ? stray.map(sentence).join(' ')
        : undefined;
  return { formId: spec.id, values: form, errors, ...(message && { message }) };
}

function fieldFor(names: string[], path: string | undefined): string | undefined {
  if (!path) return undefined;
  const direct = names
    .filter((n) => path === n || path.startsWith(`${n}.`))
    .sort((a, b) => b.length - a.length)[0];
  if (direct) return direct;
  // A refusal of a whole object (auth) goes to its first field shown.
  return names.find((n) => n.startsWith(`${path}.`));
}

function sentence(message: string): string {
  const text = message.trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

function emptyValue(field: FieldSpec): unknown {
  return field.empty === 'null' ? null : field.empty === 'empty' ? [] : undefined;
}

const first = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    return value
      .split(/[\n,]/)
      .map((v) => v.trim())
      .filter(Boolean);
  }
  return [];
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

/** Sets `value` at a dotted path; a numeric segment makes (or fills) a list. */
function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  parts.slice(0, -1).forEach((part, i) => {
    if (typeof node[part] !== 'object' || node[part] === null) {
      node[part] = /^\d+$/.test(parts[i + 1]!) ? [] : {};
    }
    node = node[part] as Record<string, unknown>;
  });
  node[parts.at(-1)!] = value;
}

function valueAt(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
