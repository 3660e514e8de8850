import { z } from 'zod';
import { accountRef } from '../schemas/tasks.js';

/*
 * AdCP 3.1.19's governance wire shapes the storefront reads: account/sync-governance-request.json
 * (what a buyer registers) and governance/check-governance-response.json (what its agent says).
 */

/** enums/auth-scheme.json */
export const authScheme = z.enum(['Bearer', 'HMAC-SHA256']);

/**
 * One governance agent: its URL (https: the spec's pattern; a loopback http URL passes only when
 * the deployment allows private networks, checked by the tool) and the credential to present.
 */
export const governanceAgentEntry = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    authentication: z
      .object({
        schemes: z.array(authScheme).min(1).max(1),
        credentials: z.string().min(32),
      })
      .strict(),
    // AdCP 3.0.6's entry also names what the agent governs (budget_authority, brand_policy, …);
    // 3.1.19 dropped it. Taken and not kept: one agent answers for the account whatever it names.
    categories: z.array(z.string().max(64)).max(32).optional(),
  })
  .strict();

export const syncGovernanceRequest = z
  .object({
    idempotency_key: z.string().regex(/^[A-Za-z0-9_.:-]{16,255}$/),
    accounts: z
      .array(
        z
          .object({
            account: accountRef,
            // maxItems: 1 is load-bearing: one agent per account (the spec's invariant).
            governance_agents: z
              .array(governanceAgentEntry)
              .min(1)
              .max(1, 'one governance agent per account (governance_agents maxItems: 1)'),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    context: z.record(z.string(), z.unknown()).optional(),
    ext: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type SyncGovernanceRequest = z.infer<typeof syncGovernanceRequest>;

/** enums/governance-decision.json */
export const governanceVerdict = z.enum(['approved', 'denied', 'conditions']);

/** governance/check-governance-response.json: the fields the storefront acts on. */
export const checkGovernanceResponse = z
  .object({
    check_id: z.string().min(1),
    verdict: governanceVerdict,
    plan_id: z.string(),
    explanation: z.string(),
    findings: z.array(z.record(z.string(), z.unknown())).optional(),
    conditions: z.array(z.record(z.string(), z.unknown())).optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    governance_context: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[\x20-\x7E]+$/)
      .optional(),
  })
  .loose();
export type CheckGovernanceResponse = z.infer<typeof checkGovernanceResponse>;
