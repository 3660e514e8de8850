import { randomUUID } from 'node:crypto';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { fieldSchema, type JsonSchema, limitsOf, type RouteSchemas } from './schemas.js';
import type { FieldSpec, FormSpec, FormState } from './types.js';
import { listOf, textOf, valueAt } from './values.js';

/**
 * Console forms are drawn from the API's own request schemas and answered by the API's own
 * validation. A form names the route it submits to ("PUT /api/v2/storefront"); each field is
 * named by its path in that route's JSON body ("businessProfile.agentPersonality"). From the
 * route's zod schema each field takes its limits (required, maxlength, min/max, list sizes), which
 * the browser enforces and the page shows as the user types; the submitted form becomes the JSON
 * body, the route validates it, and each refusal it names comes back at the field it names.
 */
export type { FieldKind, FieldSpec, FormSpec, FormState, FormValues } from './types.js';
export { routeSchemas, type RouteSchemas } from './schemas.js';
export { bodyOf, stateOf } from './values.js';

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
  return `<form method="post" action="${e(spec.action)}" id="${e(spec.id)}" class="api-form${spec.className ? ` ${spec.className}` : ''}"${spec.multipart ? ' enctype="multipart/form-data"' : ''}${spec.busy ? ` data-busy="${e(spec.busy)}"` : ''}${spec.target ? ` target="${e(spec.target)}" data-popup="${e(spec.target)}"` : ''}>
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
