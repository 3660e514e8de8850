import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { bigintNumber, timestamps } from '../../platform/db/columns.js';
import type { ProductRuleAction, ProductRuleKind, ProductRuleMatch } from './schemas.js';

/**
 * Product rules: a storefront operator's rules shaping the products its Merchandising Agent
 * shows buyers. `match` and `action` are JSON validated by the wire schemas; `kind` says which
 * action shape applies. Active rules are read in (priority, id) order at every get_products,
 * hence the partial index; a package product id is unique per storefront.
 */
export const productRules = pgTable(
  'product_rules',
  {
    id: bigintNumber('id').primaryKey().generatedAlwaysAsIdentity(),
    storefrontId: integer('storefront_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<ProductRuleKind>().notNull(),
    active: boolean('active').notNull().default(true),
    priority: integer('priority').notNull().default(100),
    match: jsonb('match').$type<ProductRuleMatch>().notNull().default({}),
    action: jsonb('action').$type<ProductRuleAction>().notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    index('product_rules_active_idx')
      .on(t.storefrontId, t.priority, t.id)
      .where(sql`${t.active}`),
    uniqueIndex('product_rules_package_key')
      .on(t.storefrontId, sql`(${t.action} ->> 'productId')`)
      .where(sql`${t.kind} = 'package'`),
    check(
      'product_rules_kind_check',
      sql`${t.kind} in ('include', 'exclude', 'rename', 'price', 'package')`,
    ),
  ],
);
