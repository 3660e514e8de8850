import { escapeHtml as e } from '../html.js';

/**
 * The console's page frame and the small pieces every page shares: navigation, flash
 * messages, and forms that carry the session's CSRF token. Pages are plain HTML with one
 * static script (the analytics page's plots) and one stylesheet, both from our origin.
 */
export const sections = [
  { path: '/console', label: 'Readiness' },
  { path: '/console/sources', label: 'Inventory sources' },
  { path: '/console/buyers', label: 'Buyers and join links' },
  { path: '/console/reviews', label: 'Review queues' },
  { path: '/console/analytics', label: 'Analytics' },
  { path: '/console/sessions', label: 'Sessions' },
] as const;
export type SectionPath = (typeof sections)[number]['path'];

export interface Flash {
  kind: 'info' | 'error';
  text: string;
}

export interface Frame {
  title: string;
  current: SectionPath;
  storefrontName: string;
  csrf: string;
  flash?: Flash | undefined;
  /** Adds the plot-drawing scripts (analytics page only). */
  charts?: boolean;
}

export function page(frame: Frame, body: string): string {
  const nav = sections
    .map(
      (s) =>
        `<li><a href="${s.path}"${s.path === frame.current ? ' aria-current="page"' : ''}>${e(s.label)}</a></li>`,
    )
    .join('');
  const scripts = frame.charts
    ? '<script src="/console/assets/chart.umd.min.js" defer></script>' +
      '<script src="/console/assets/console.js" defer></script>'
    : '';
  return document(
    `${frame.title} · ${frame.storefrontName}`,
    `<a class="skip" href="#main">Skip to content</a>
<header class="top"><strong>${e(frame.storefrontName)} · Interchange console</strong>
<nav class="sections" aria-label="Console sections"><ul>${nav}</ul></nav>
<div class="who">${postForm('/console/sign-out', frame.csrf, '<button type="submit">Sign out</button>', 'inline')}</div></header>
<main id="main"><h1>${e(frame.title)}</h1>${flashHtml(frame.flash)}${body}</main>`,
    scripts,
  );
}

export function document(title: string, body: string, scripts = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">${scripts}</head>
<body>${body}</body></html>`;
}

export function flashHtml(flash: Flash | undefined): string {
  if (!flash) return '';
  return flash.kind === 'error'
    ? `<div class="flash error" role="alert">${e(flash.text)}</div>`
    : `<div class="flash" role="status">${e(flash.text)}</div>`;
}

/** A POST form carrying the CSRF token; `inner` is trusted markup (buttons, fields). */
export function postForm(action: string, csrf: string, inner: string, className = ''): string {
  return `<form method="post" action="${e(action)}"${className ? ` class="${className}"` : ''}>
<input type="hidden" name="csrf" value="${e(csrf)}">${inner}</form>`;
}

/** A table from rows of already-escaped cells; an empty list reads as `emptyText`. */
export function table(
  caption: string,
  headings: string[],
  rows: string[][],
  emptyText: string,
): string {
  if (rows.length === 0) return `<p class="empty">${e(emptyText)}</p>`;
  return `<table><caption>${e(caption)}</caption><thead><tr>${headings
    .map((h) => `<th scope="col">${e(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function statusBadge(text: string, tone: 'good' | 'bad' | 'neutral'): string {
  return `<span class="status ${tone}">${e(text)}</span>`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `<time datetime="${e(iso)}">${e(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;
}
