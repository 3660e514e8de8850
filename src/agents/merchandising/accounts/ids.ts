/** The mark of a sandbox account's id (the buyer declared it sandbox: store.ts resolve). */
export const sandboxAccountPrefix = 'sandbox_';

/** The id of a {brand, operator} account: stable, and marked when it is a sandbox account. */
export function derivedAccountId(ref: {
  brand: { domain: string };
  operator?: string;
  sandbox?: boolean;
}) {
  const base = `acct_${ref.brand.domain}${ref.operator ? `_${ref.operator}` : ''}`;
  return ref.sandbox === true ? `${sandboxAccountPrefix}${base}` : base;
}
