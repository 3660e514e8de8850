/**
 * Which buyer instructions apply to a buyer, and in what order. A row's NULL scope field means
 * "any"; a row with countries applies only when the buyer's country is known and listed.
 */
export interface Scope {
  operatorDomain: string | null;
  brandDomain: string | null;
}

export interface BuyerIdentity {
  operatorDomain: string | null;
  brandDomain: string | null;
  /** ISO 3166-1 alpha-2 country the buy targets; null when unknown. */
  country: string | null;
}

export type ScopeShape = 'OPERATOR_BRAND' | 'OPERATOR' | 'BRAND' | 'HOUSE';

export function scopeShapeOf(scope: Scope): ScopeShape {
  if (scope.operatorDomain !== null) {
    return scope.brandDomain !== null ? 'OPERATOR_BRAND' : 'OPERATOR';
  }
  return scope.brandDomain !== null ? 'BRAND' : 'HOUSE';
}

/** Most specific first: operator+brand, operator, brand, house. */
const specificity: Record<ScopeShape, number> = {
  OPERATOR_BRAND: 3,
  OPERATOR: 2,
  BRAND: 1,
  HOUSE: 0,
};

export function bySpecificity(a: Scope, b: Scope): number {
  return specificity[scopeShapeOf(b)] - specificity[scopeShapeOf(a)];
}

export function matchesBuyer(
  row: Scope & { countries: string[] | null },
  buyer: BuyerIdentity,
): boolean {
  if (row.operatorDomain !== null && row.operatorDomain !== buyer.operatorDomain) return false;
  if (row.brandDomain !== null && row.brandDomain !== buyer.brandDomain) return false;
  if (row.countries === null) return true;
  return buyer.country !== null && row.countries.includes(buyer.country);
}

/** Domains compare lowercased and countries uppercased, as they are stored. */
export function normalizeBuyer(buyer: BuyerIdentity): BuyerIdentity {
  const clean = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
  return {
    operatorDomain: clean(buyer.operatorDomain)?.toLowerCase() ?? null,
    brandDomain: clean(buyer.brandDomain)?.toLowerCase() ?? null,
    country: clean(buyer.country)?.toUpperCase() ?? null,
  };
}

/** A human name for a scope, for messages and the activity log. */
export function scopeLabel(scope: Scope): string {
  switch (scopeShapeOf(scope)) {
    case 'OPERATOR_BRAND':
      return `operator ${scope.operatorDomain} and brand ${scope.brandDomain}`;
    case 'OPERATOR':
      return `operator ${scope.operatorDomain} (any brand)`;
    case 'BRAND':
      return `brand ${scope.brandDomain} (any operator)`;
    case 'HOUSE':
      return 'the house scope (any buyer)';
  }
}
