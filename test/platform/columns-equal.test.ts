import { and, eq, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { adServerOrders } from '../../src/modules/ad-servers/tables.js';
import { columnsEqual } from '../../src/platform/db/columns-equal.js';

// The stores' `and(eq(…), eq(…))` conditions went through columnsEqual: the SQL and its
// parameters must be the ones the hand-written condition sends.
const query = (condition: SQL | undefined) => new PgDialect().sqlToQuery(condition!);

describe('columnsEqual', () => {
  it('sends the SQL and parameters of and(eq(...), ...) in the order the columns are named', () => {
    const when = new Date('2026-11-30T00:00:00Z');
    expect(
      query(
        columnsEqual(adServerOrders, {
          inventorySourceId: 7,
          idempotencyKey: 'key-1',
          status: 'rejected',
          updatedAt: when,
        }),
      ),
    ).toEqual(
      query(
        and(
          eq(adServerOrders.inventorySourceId, 7),
          eq(adServerOrders.idempotencyKey, 'key-1'),
          eq(adServerOrders.status, 'rejected'),
          eq(adServerOrders.updatedAt, when),
        ),
      ),
    );
  });

  it('with one column is that column’s eq', () => {
    expect(query(columnsEqual(adServerOrders, { id: 'o-1' }))).toEqual(
      query(eq(adServerOrders.id, 'o-1')),
    );
  });
});
