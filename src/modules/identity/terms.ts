/**
 * The current platform terms. Bumping `version` makes every customer accept again before writing
 * (403 TOS_ACCEPTANCE_REQUIRED), which is the point of versioning them.
 */
export const currentTerms = {
  version: '2026-11-01',
  title: 'Interchange Platform Service Agreement',
  summary:
    'You may use this Interchange deployment to buy and sell advertising through AdCP agents. ' +
    'You are responsible for the campaigns, creatives and credentials you submit, for complying ' +
    'with advertising law and the policies of each storefront, and for paying for media you book. ' +
    'The operator of this deployment may suspend accounts that abuse the platform.',
} as const;
