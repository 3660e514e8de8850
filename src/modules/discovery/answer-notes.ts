import { isRecord } from '../../platform/is-record.js';
import { customerDomainMissing } from '../identity/index.js';
import type { AgentRow, DiscoveryRow } from './store.js';
import type { AgentNotes, SourceIssue } from './tables.js';

export type { AgentNotes, SourceIssue } from './tables.js';

/**
 * What a discovery answer says beside its products (hosted connectionIssues, refinementApplied,
 * campaignWarning), so an empty or thin answer is never silent: which storefront or inventory
 * source did not answer and why, with the fix where there is one, and what each refine ask got.
 */

type Json = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The source issues in a storefront's get_products `errors[]` (entries naming a source_id). */
export function sourceIssuesOf(errors: unknown): SourceIssue[] {
  return (Array.isArray(errors) ? errors : []).filter(isRecord).flatMap((e) => {
    const details = isRecord(e['details']) ? e['details'] : {};
    const sourceId = str(details['source_id']);
    if (!sourceId) return [];
    const sourceName = str(details['source_name']);
    const suggestion = str(e['suggestion']);
    return [
      {
        sourceId,
        ...(sourceName && { sourceName }),
        reason: str(details['reason']) ?? 'error',
        code: str(e['code']) ?? 'SERVICE_UNAVAILABLE',
        message: str(e['message']) ?? 'The source gave no products',
        ...(suggestion && { suggestion }),
      },
    ];
  });
}

/** The notes of one agent's answer, or null when there is nothing to note. */
export function notesOf(answer: {
  sourceIssues?: SourceIssue[];
  refineIndexes?: number[];
  refinementApplied?: Json[];
}): AgentNotes | null {
  const notes: AgentNotes = {
    ...(answer.sourceIssues?.length && { sourceIssues: answer.sourceIssues }),
    ...(answer.refineIndexes?.length && { refineIndexes: answer.refineIndexes }),
    ...(answer.refinementApplied?.length && { refinementApplied: answer.refinementApplied }),
  };
  return Object.keys(notes).length > 0 ? notes : null;
}

const storefrontOf = (a: AgentRow) =>
  a.storefrontId === null
    ? {}
    : { storefrontId: String(a.storefrontId), storefrontName: a.storefrontName };

/**
 * Hosted connectionIssues, widened (additively) from "re-authenticate this adapter" to every
 * storefront or source that did not answer: `providerType` says which (`storefront` for a
 * storefront agent, `sales_agent` for a buyer's own, `inventory_source` for one source behind a
 * storefront), `reason` why, and `suggestion` the fix where the storefront gave one.
 */
export function connectionIssuesOf(agents: AgentRow[]) {
  return agents.flatMap((a) => {
    const own = {
      providerType: a.storefrontId === null ? 'sales_agent' : 'storefront',
      ...storefrontOf(a),
      salesAgentId: a.agentId,
    };
    const agentIssue =
      a.timedOut || !a.success
        ? [
            {
              ...own,
              reason: a.timedOut ? 'timeout' : 'error',
              message:
                a.error ??
                (a.timedOut ? `${a.agentName} did not answer in time` : 'No products offered'),
            },
          ]
        : [];
    const sources = (a.notes?.sourceIssues ?? []).map((s) => ({
      ...own,
      providerType: 'inventory_source',
      sourceId: s.sourceId,
      ...(s.sourceName && { sourceName: s.sourceName }),
      reason: s.reason,
      code: s.code,
      message: s.message,
      ...(s.suggestion && { suggestion: s.suggestion }),
    }));
    return [...agentIssue, ...sources];
  });
}

type RefineStatus = 'applied' | 'partial' | 'unable';

/**
 * Hosted refinementApplied: one entry per entry of the request's refine array, by position.
 * An ask sent to several agents is `applied` when all applied it, `unable` when none could,
 * else `partial`; notes name each agent's answer. An ask no agent was sent (a product nobody
 * offered) or no agent answered is `unable`. Undefined when the round was not a refine.
 */
export function refinementAppliedOf(
  agents: AgentRow[],
  asked?: Array<{ scope: string; id?: string | undefined }>,
) {
  const sent = agents.filter((a) => a.notes?.refineIndexes?.length);
  if (sent.length === 0 && !asked) return undefined;
  const count = Math.max(
    asked?.length ?? 0,
    ...sent.flatMap((a) => a.notes?.refineIndexes ?? []).map((i) => i + 1),
  );
  return Array.from({ length: count }, (_, index) => {
    const answers = sent.flatMap((a) => {
      const position = a.notes?.refineIndexes?.indexOf(index) ?? -1;
      if (position < 0) return [];
      const answer = a.notes?.refinementApplied?.[position];
      const status = str(answer?.['status']);
      const notes = str(answer?.['notes']);
      return [
        {
          agent: a.agentName,
          answer,
          status: (status === 'applied' || status === 'partial'
            ? status
            : 'unable') as RefineStatus,
          notes: notes ?? (answer ? undefined : 'no answer to this ask'),
        },
      ];
    });
    const echoed = answers.find((x) => x.answer)?.answer;
    const scope = asked?.[index]?.scope ?? str(echoed?.['scope']);
    const id = asked?.[index]?.id ?? str(echoed?.['product_id']) ?? str(echoed?.['proposal_id']);
    const status: RefineStatus =
      answers.length === 0 || answers.every((x) => x.status === 'unable')
        ? 'unable'
        : answers.every((x) => x.status === 'applied')
          ? 'applied'
          : 'partial';
    const notes =
      answers.length === 0
        ? 'No agent was asked: nobody offered what it names in this session'
        : answers
            .filter((x) => x.notes)
            .map((x) => `${x.agent}: ${x.notes}`)
            .join('; ');
    return {
      ...(scope && { scope: scope as 'request' | 'product' | 'proposal' }),
      ...(id && { id }),
      status,
      ...(notes && { notes }),
    };
  });
}

/** Hosted campaignWarning: said only when the session is bound to no campaign. */
export function campaignWarningOf(discovery: DiscoveryRow): string | undefined {
  return discovery.campaignId === null
    ? 'This discovery is attached to no campaign: pass campaignId (here, or on POST /api/v2/buyer/campaigns with this discoveryId) so the campaign books these products'
    : undefined;
}

/** The connection issue of a buyer without a customer domain: why most sources answer nothing. */
export const domainIssue = {
  providerType: 'interchange',
  reason: 'customer_domain_missing',
  code: customerDomainMissing.code,
  message: customerDomainMissing.message,
  suggestion: customerDomainMissing.fix,
};
