import { asc, count, eq } from 'drizzle-orm';
import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { isUniqueViolation } from '../../../platform/db/errors.js';
import type { AppError } from '../../../platform/errors.js';
import type { buyerSalesAgents, buyerSignalAgents } from '../tables.js';

/** A registered agent, of either kind: both tables are built from one column list. */
export type AgentRow = typeof buyerSalesAgents.$inferSelect;
export type NewAgent = Omit<typeof buyerSalesAgents.$inferInsert, 'id' | 'authSealed'>;
export type AgentChanges = Partial<Omit<AgentRow, 'id' | 'customerId' | 'createdAt'>>;

export interface AgentTable {
  table: typeof buyerSalesAgents | typeof buyerSignalAgents;
  /** The unique index on (customer, endpoint): its violation is the buyer's CONFLICT. */
  endpointKey: string;
  endpointTaken: () => AppError;
}

export type AgentStore = ReturnType<typeof agentStore>;

/** The store of one kind's registered agents; a customer's agents only through its id. */
export function agentStore({ table, endpointKey, endpointTaken }: AgentTable) {
  const refuseTaken = (error: unknown): never => {
    if (isUniqueViolation(error, endpointKey)) throw endpointTaken();
    throw error;
  };
  const mine = (customerId: number, id: number) => columnsEqual(table, { customerId, id });

  return {
    /**
     * Inserts an agent and seals its credential bound to the new row (`seal` gets the row id),
     * in one transaction. Throws CONFLICT when the buyer already has an agent at that endpoint.
     */
    async insertAgent(
      db: Db,
      input: NewAgent,
      seal: ((id: number) => string) | null,
    ): Promise<AgentRow> {
      try {
        return await db.transaction(async (tx) => {
          const [row] = await tx.insert(table).values(input).returning();
          const inserted = row as AgentRow;
          if (!seal) return inserted;
          const [sealed] = await tx
            .update(table)
            .set({ authSealed: seal(inserted.id) })
            .where(eq(table.id, inserted.id))
            .returning();
          return sealed as AgentRow;
        });
      } catch (error) {
        return refuseTaken(error);
      }
    },

    /** The customer's agent, or undefined (another customer's included). */
    async findAgent(db: Db, customerId: number, id: number): Promise<AgentRow | undefined> {
      const [row] = await db.select().from(table).where(mine(customerId, id));
      return row;
    },

    /**
     * An agent by its id alone: for work that starts from something already bound to it (a
     * media buy placed with it, whose notifications are being verified), never from a caller's
     * request.
     */
    async findAgentById(db: Db, id: number): Promise<AgentRow | undefined> {
      const [row] = await db.select().from(table).where(eq(table.id, id));
      return row;
    },

    /** A page of the customer's agents, oldest first, with the total. */
    async listAgents(
      db: Db,
      customerId: number,
      page: { limit: number; offset: number },
    ): Promise<{ rows: AgentRow[]; total: number }> {
      const theirs = eq(table.customerId, customerId);
      const [rows, [counted]] = await Promise.all([
        db
          .select()
          .from(table)
          .where(theirs)
          .orderBy(asc(table.id))
          .limit(page.limit)
          .offset(page.offset),
        db.select({ total: count() }).from(table).where(theirs),
      ]);
      return { rows, total: counted?.total ?? 0 };
    },

    /** The customer's ACTIVE agents (those discovery asks), oldest first. */
    async activeAgents(db: Db, customerId: number): Promise<AgentRow[]> {
      return db
        .select()
        .from(table)
        .where(columnsEqual(table, { customerId, status: 'ACTIVE' }))
        .orderBy(asc(table.id));
    },

    async updateAgent(db: Db, id: number, changes: AgentChanges): Promise<AgentRow> {
      try {
        const [row] = await db
          .update(table)
          .set({ ...changes, updatedAt: new Date() })
          .where(eq(table.id, id))
          .returning();
        return row as AgentRow;
      } catch (error) {
        return refuseTaken(error);
      }
    },

    /** Deletes the customer's agent; false when there was none. */
    async deleteAgent(db: Db, customerId: number, id: number): Promise<boolean> {
      const deleted = await db
        .delete(table)
        .where(mine(customerId, id))
        .returning({ id: table.id });
      return deleted.length > 0;
    },
  };
}
