/**
 * The console page that fixes each readiness check (seed 003's setup rail): a blocker on the
 * readiness or storefront page links straight to the form that completes it.
 */
const fixes: Record<string, { href: string; label: string }> = {
  business_profile: { href: '/console/storefront#profile', label: 'Complete the profile' },
  inventory_sources: { href: '/console/sources', label: 'Add or activate a source' },
  draft_sources: { href: '/console/sources', label: 'Give the draft an endpoint' },
  agent_status: { href: '/console/sources', label: 'Test the source connections' },
  agent_auth: { href: '/console/sources', label: 'Set the source credentials' },
  currency_confirmed: { href: '/console/storefront#currency', label: 'Confirm the currency' },
  operating_instructions: {
    href: '/console/instructions',
    label: 'Write operating instructions',
  },
};

export function fixLinkOf(checkId: string): { href: string; label: string } | undefined {
  return fixes[checkId];
}
