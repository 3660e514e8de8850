import type { JoinContext } from '../../modules/join-links/index.js';
import { escapeHtml as e } from '../../platform/http/html.js';
import { type Language, messages, type Messages } from './i18n.js';
import { themeCss } from './theme.js';

/** The co-branded join page: plain HTML and CSS, no script, nothing loaded from elsewhere. */
export type FormValues = Partial<
  Record<'name' | 'email' | 'brandDomain' | 'company' | 'country', string>
>;
export type FieldErrors = Partial<Record<keyof FormValues | 'acceptTerms', string>>;

interface Frame {
  lang: Language;
  context: JoinContext;
  languages: Language[];
  title: string;
}

function layout(frame: Frame, body: string): string {
  const t = messages[frame.lang];
  const name = frame.context.storefrontName ?? 'Interchange';
  const logo = frame.context.logoUrl
    ? `<img class="logo" src="/join/${e(frame.context.slug)}/logo" alt="${e(name)}">`
    : `<span class="mark" aria-hidden="true">${e(name.slice(0, 1).toUpperCase())}</span>`;
  const switcher =
    frame.languages.length > 1
      ? `<nav aria-label="${e(t.language)}"><ul class="langs">${frame.languages
          .map((l) =>
            l === frame.lang
              ? `<li><span aria-current="true">${l.toUpperCase()}</span></li>`
              : `<li><a href="?lang=${l}" hreflang="${l}" lang="${l}">${l.toUpperCase()}</a></li>`,
          )
          .join('')}</ul></nav>`
      : '';
  return `<!doctype html>
<html lang="${frame.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(frame.title)}</title>
<style>${themeCss(frame.context.brandColors)}${css}</style></head>
<body><header class="brand">${logo}<strong>${e(name)}</strong>${switcher}</header>
<main id="main">${body}</main></body></html>`;
}

export function renderForm(
  frame: Omit<Frame, 'title'>,
  values: FormValues = {},
  errors: FieldErrors = {},
): string {
  const t = messages[frame.lang];
  const name = frame.context.storefrontName ?? '';
  const field = (key: keyof FormValues, label: string, attrs: string, hint?: string) => {
    const error = errors[key];
    const described = [hint ? `${key}-hint` : '', error ? `${key}-error` : '']
      .filter(Boolean)
      .join(' ');
    return `<div class="field${error ? ' invalid' : ''}">
<label for="${key}">${e(label)}</label>
${hint ? `<p class="hint" id="${key}-hint">${e(hint)}</p>` : ''}
<input id="${key}" name="${key}" ${attrs} value="${e(values[key] ?? '')}"${described ? ` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''}>
${error ? `<p class="error" id="${key}-error">${e(error)}</p>` : ''}</div>`;
  };
  const hasErrors = Object.keys(errors).length > 0;
  const body = `<h1>${e(t.title(name))}</h1>
<p>${e(t.intro(name))}</p>
${frame.context.defaultCurrency ? `<p class="note">${e(t.currency(frame.context.defaultCurrency))}</p>` : ''}
${hasErrors ? `<div class="alert" role="alert">${e(t.fixErrors)}</div>` : ''}
<form method="post" action="/join/${e(frame.context.slug)}?lang=${frame.lang}" novalidate>
${field('name', t.name, 'type="text" required maxlength="255" autocomplete="organization"')}
${field('email', t.email, 'type="email" required maxlength="254" autocomplete="email"')}
${field('brandDomain', t.brandDomain, 'type="text" required maxlength="253" inputmode="url"', t.brandDomainHint)}
${field('company', t.company, 'type="text" maxlength="255"')}
${field('country', t.country, 'type="text" maxlength="2" autocomplete="country"', t.countryHint)}
<div class="field check${errors.acceptTerms ? ' invalid' : ''}">
<input id="acceptTerms" name="acceptTerms" type="checkbox" value="on" required${errors.acceptTerms ? ' aria-invalid="true" aria-describedby="acceptTerms-error"' : ''}>
<label for="acceptTerms">${e(t.acceptTerms)}</label>
${errors.acceptTerms ? `<p class="error" id="acceptTerms-error">${e(errors.acceptTerms)}</p>` : ''}</div>
<button type="submit">${e(t.submit)}</button>
</form>`;
  return layout({ ...frame, title: t.title(name) }, body);
}

export function renderResult(
  frame: Omit<Frame, 'title'>,
  result: { status: 'active' | 'pending'; apiKey: string },
): string {
  const t: Messages = messages[frame.lang];
  const name = frame.context.storefrontName ?? '';
  const active = result.status === 'active';
  const title = active ? t.welcomeTitle : t.pendingTitle;
  const body = `<h1>${e(title)}</h1>
<p role="status">${e(active ? t.welcome(name) : t.pending(name))}</p>
<section class="key" aria-labelledby="key-label">
<h2 id="key-label">${e(t.keyLabel)}</h2>
<p><code id="api-key">${e(result.apiKey)}</code></p>
<p class="note">${e(t.keyNote)}</p></section>`;
  return layout({ ...frame, title }, body);
}

export function renderInvalid(frame: Omit<Frame, 'title'>): string {
  const t = messages[frame.lang];
  return layout(
    { ...frame, title: t.invalidTitle },
    `<h1>${e(t.invalidTitle)}</h1><p>${e(t.invalid)}</p>`,
  );
}

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#f6f7f9}
.brand{display:flex;align-items:center;gap:12px;padding:16px 24px;background:var(--brand-primary);color:var(--brand-on-primary)}
.brand strong{font-size:1.2rem}.logo{height:40px;width:auto;background:#fff;border-radius:4px;padding:2px}
.mark{display:inline-grid;place-items:center;width:40px;height:40px;border-radius:50%;background:var(--brand-on-primary);color:var(--brand-primary);font-weight:700}
nav{margin-left:auto}.langs{display:flex;gap:8px;list-style:none;margin:0;padding:0}
.langs a{color:var(--brand-on-primary)}
main{max-width:560px;margin:32px auto;padding:24px 28px;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{margin-top:0;font-size:1.6rem}.field{margin:16px 0}label{display:block;font-weight:600}
.check{display:flex;gap:8px;align-items:flex-start;flex-wrap:wrap}.check label{font-weight:400}
input[type=text],input[type=email]{width:100%;padding:10px;border:1px solid #6b7280;border-radius:4px;font:inherit}
input:focus,button:focus,a:focus{outline:3px solid var(--brand-accent);outline-offset:2px}
.hint,.note{color:#4b5563;font-size:.9rem;margin:2px 0}
.invalid input{border-color:#b91c1c}.error{color:#b91c1c;margin:4px 0 0;width:100%}
.alert{border-left:4px solid #b91c1c;background:#fef2f2;padding:8px 12px}
button{background:var(--brand-primary);color:var(--brand-on-primary);border:0;border-radius:4px;padding:12px 20px;font:inherit;font-weight:600;cursor:pointer}
.key code{display:block;padding:12px;background:#111827;color:#f9fafb;border-radius:4px;word-break:break-all;font-size:.95rem}
`;
