import { and, eq, getTableColumns, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/** A table's columns by name, each with the value it must equal. */
export type ColumnValues<T extends PgTable> = {
  [K in keyof T['_']['columns']]?: T['_']['columns'][K]['_']['data'];
};

/**
 * The rows whose named columns each equal the value given (`and(eq(…), eq(…))` in the order the
 * names are given), e.g. a source's row only when it is the storefront's:
 * `columnsEqual(modularSources, { inventorySourceId, storefrontId })`.
 */
export function columnsEqual<T extends PgTable>(
  table: T,
  values: ColumnValues<T>,
): SQL | undefined {
  const columns = getTableColumns(table);
  return and(...Object.entries(values).map(([name, value]) => eq(columns[name]!, value)));
}
