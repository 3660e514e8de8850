import { escapeHtml as e } from '../../platform/http/html.js';

/**
 * The console's page frame and the small pieces every page shares: navigation per persona,
 * flash messages, and forms that carry the session's CSRF token. Pages are plain HTML with one
 * small script (forms: counters, progress, previews), the plots' scripts on the pages with
 * plots, and one stylesheet, all from our origin.
 */
export type Persona = 'SELLER' | 'BUYER';

export const sellerSections = [
  { path: '/console', label: 'Readiness' },
  { path: '/console/storefront', label: 'Storefront' },
  { path: '/console/sources', label: 'Inventory sources' },
  { path: '/console/orders', label: 'Orders' },
  { path: '/console/link-requests', label: 'Linked storefronts' },
  { path: '/console/buyers', label: 'Buyers and join links' },
  { path: '/console/instructions', label: 'Instructions' },
  { path: '/console/product-rules', label: 'Product rules' },
  { path: '/console/rate-card', label: 'Rate card' },
  { path: '/console/sites', label: 'Sites' },
  { path: '/console/reviews', label: 'Review queues' },
  { path: '/console/inbox', label: 'Inbox' },
  { path: '/console/analytics', label: 'Analytics' },
  { path: '/console/storefront-reporting', label: 'Reporting' },
  { path: '/console/sessions', label: 'Sessions' },
] as const;

export const buyerSections = [
  { path: '/console', label: 'Overview' },
  { path: '/console/advertisers', label: 'Advertisers' },
  { path: '/console/storefronts', label: 'Storefronts' },
  { path: '/console/discover', label: 'Discover' },
  { path: '/console/campaigns', label: 'Campaigns' },
  { path: '/console/media-buys', label: 'Media buys' },
  { path: '/console/reporting', label: 'Reporting' },
  { path: '/console/inbox', label: 'Inbox' },
  { path: '/console/sessions', label: 'Sessions' },
] as const;

export interface Flash {
  kind: 'info' | 'error';
  text: string;
}

export interface Frame {
  title: string;
  /** The section the page belongs to (its navigation entry is marked current). */
  current: string;
  /** Whose console it is: the storefront's name for a seller, the organisation's for a buyer. */
  storefrontName: string;
  csrf: string;
  flash?: Flash | undefined;
  /** Adds the plot-drawing scripts (pages with plots only). */
  charts?: boolean;
  /** Which navigation to show; the seller's when omitted. */
  persona?: Persona;
  /** The organisation has not accepted the current terms: a banner offers to. */
  termsPending?: boolean;
  /** Unread notifications: a count on the Inbox entry of the navigation. */
  unread?: number;
  /** A trail above the title (trusted markup), e.g. a link back to the list. */
  back?: { href: string; label: string };
}

export function page(frame: Frame, body: string): string {
  const persona = frame.persona ?? 'SELLER';
  const list = persona === 'BUYER' ? buyerSections : sellerSections;
  const nav = list
    .map(
      (s) =>
        `<li><a href="${s.path}"${s.path === frame.current ? ' aria-current="page"' : ''}>${e(s.label)}${s.path === '/console/inbox' ? unreadBadge(frame.unread) : ''}</a></li>`,
    )
    .join('');
  const scripts =
    '<script src="/console/assets/console-forms.js" defer></script>' +
    (frame.charts
      ? '<script src="/console/assets/chart.umd.min.js" defer></script>' +
        '<script src="/console/assets/console.js" defer></script>'
      : '');
  const terms = frame.termsPending
    ? `<div class="flash terms" role="region" aria-label="Terms of service">Your organisation has not accepted the current terms of service yet: nothing can be changed until it does. ${postForm(
        '/console/terms/accept',
        frame.csrf,
        '<button type="submit">Accept the terms of service</button>',
        'inline',
      )}</div>`
    : '';
  const back = frame.back
    ? `<p class="back"><a href="${e(frame.back.href)}">← ${e(frame.back.label)}</a></p>`
    : '';
  const role = persona === 'BUYER' ? 'buyer' : 'seller';
  return document(
    `${frame.title} · ${frame.storefrontName}`,
    `<a class="skip" href="#main">Skip to content</a>
<header class="top"><strong class="brand">${e(frame.storefrontName)}<span class="suffix"> · Interchange console</span></strong> <span class="persona">${role}</span>
<nav class="sections" aria-label="Console sections"><ul>${nav}</ul></nav>
<div class="who">${postForm('/console/sign-out', frame.csrf, '<button type="submit">Sign out</button>', 'inline')}</div></header>
<main id="main">${back}<h1>${e(frame.title)}</h1>${terms}${flashHtml(frame.flash)}${body}</main>`,
    scripts,
  );
}

/** The page an API refusal of a whole page becomes (404 for another customer's id). */
export function notFoundPage(frame: Frame, message: string): string {
  return page(
    { ...frame, flash: undefined },
    `<section class="panel"><p role="alert">${e(message)}</p><p><a href="/console">Back to the console home</a></p></section>`,
  );
}

/** A panel with a heading (id for aria-labelledby) around trusted markup. */
export function panel(id: string, heading: string, body: string, className = 'panel'): string {
  return `<section class="${className}" aria-labelledby="${id}"><h2 id="${id}">${e(heading)}</h2>${body}</section>`;
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

/** The Inbox entry's count of unread notifications (none shown at zero). */
function unreadBadge(unread: number | undefined): string {
  if (!unread) return '';
  const shown = unread > 99 ? '99+' : String(unread);
  return ` <span class="badge" aria-label="${unread} unread">${shown}</span>`;
}
