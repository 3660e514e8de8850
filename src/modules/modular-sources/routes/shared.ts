export const base = '/api/v2/storefront/inventory-sources';
export const tags = ['Modular sources'];
