import type { ApiError } from '../api.js';
import type { FieldSpec, FormSpec, FormState, FormValues } from './types.js';

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

export const first = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');

export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    return value
      .split(/[\n,]/)
      .map((v) => v.trim())
      .filter(Boolean);
  }
  return [];
}

export function textOf(value: unknown): string {
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

export function valueAt(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
