import type { SellerAnalytics } from '../../../modules/seller-analytics/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FormSpec } from '../forms/index.js';
import { panel, statusBadge } from '../layout.js';

/*
 * The seller's decision on history's posture recommendations (issue 47, item 2), on the
 * analytics page: each recommendation (hosted strategySignals) with its evidence, and a button
 * to accept it (only then does it change get_products) or to withdraw an acceptance.
 */

const acceptances = '/api/v2/storefront/seller-analytics/posture-acceptances';
const at = '/console/analytics';
const label = (posture: string) => posture.replace(/_/g, ' ');

const acceptSpec = (posture: string): FormSpec => ({
  id: `accept-${posture}`,
  action: `${at}/postures/accept`,
  route: `POST ${acceptances}`,
  fields: [{ name: 'posture', label: 'Posture', kind: 'hidden' }],
  values: { posture },
  submit: `Accept ${label(posture)}`,
  className: 'inline-form',
});

const withdrawSpec = (posture: string): FormSpec => ({
  id: `withdraw-${posture}`,
  action: `${at}/postures/${encodeURIComponent(posture)}/withdraw`,
  route: `DELETE ${acceptances}/:posture`,
  fields: [],
  submit: `Withdraw ${label(posture)}`,
  danger: true,
  className: 'inline-form',
});

/** The accept and withdraw forms of the analytics page. */
export function registerPostureForms(ctx: ConsoleContext): void {
  ctx.apiForm({
    url: `${at}/postures/accept`,
    persona: 'SELLER',
    page: at,
    spec: () => acceptSpec(''),
    done: (data) => ({
      to: `${at}#postures-h`,
      notice: 'posture-accepted',
      subject: label((data as { posture: string }).posture),
    }),
  });
  ctx.apiForm({
    url: `${at}/postures/:posture/withdraw`,
    persona: 'SELLER',
    page: at,
    spec: ({ params }) => withdrawSpec(params.posture!),
    noBody: true,
    done: (data) => ({
      to: `${at}#postures-h`,
      notice: 'posture-withdrawn',
      subject: label((data as { posture: string }).posture),
    }),
  });
}

/**
 * The recommendations panel: each signal with its evidence and the seller's choice; accepted
 * postures no current signal recommends are listed too, so an acceptance can always be undone.
 */
export function posturesPanel(args: PageArgs, analytics: SellerAnalytics): string {
  const signals = analytics.strategySignals.map((signal) => {
    const evidence = signal.evidence
      .map((item) => `<dt>${e(item.label)}</dt><dd>${e(item.value)}</dd>`)
      .join('');
    const state = signal.accepted
      ? `${statusBadge('accepted: applies to get_products', 'good')} ${args.form(withdrawSpec(signal.posture))}`
      : `${statusBadge('not applied', 'neutral')} ${args.form(acceptSpec(signal.posture))}`;
    return `<li class="signal"><h3>${e(signal.label)} <small>(${e(signal.priority)} priority; posture ${e(label(signal.posture))})</small></h3>
<p>${e(signal.detail)}</p><dl class="facts">${evidence}</dl><p>${state}</p></li>`;
  });
  const recommended = new Set(analytics.strategySignals.map((s) => s.posture));
  const others = analytics.acceptedPostures
    .filter((posture) => !recommended.has(posture))
    .map(
      (posture) =>
        `<li>${e(label(posture))}: accepted, not recommended by this window ${args.form(withdrawSpec(posture))}</li>`,
    );
  const intro =
    '<p>History’s recommendations change your agent’s answers only once you accept them. ' +
    'A posture pinned in your operating instructions or buyer instructions, and your answer ' +
    'size (storefront settings), still win.</p>';
  return panel(
    'postures-h',
    'Posture recommendations',
    `${intro}${
      signals.length
        ? `<ul class="signals">${signals.join('')}</ul>`
        : '<p class="empty">No posture recommendations for this window.</p>'
    }${others.length ? `<h3>Other accepted postures</h3><ul>${others.join('')}</ul>` : ''}`,
  );
}
