import { asc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import { taskPushConfigs } from './tables.js';

/** A buyer's push-notification config of one task: where to post, and the token to echo. */
export interface TaskPush {
  url: string;
  token?: string;
  /** The buyer's `operation_id` (AdCP 3.1), echoed in the notification. */
  operationId?: string;
}

const sealContext = (taskId: string) => `task-push:${taskId}`;

/**
 * The push configs of tasks waiting to settle, shared by every instance: recorded when a task is
 * handed off, read by whichever instance delivers its notification, and forgotten once the
 * notification was delivered (so a retry after that finds nothing to send).
 */
export function createTaskPushes(deps: { db: Db; secrets: Pick<SecretBox, 'seal' | 'open'> }) {
  const { db, secrets } = deps;
  return {
    /** Records a task's push config; a second record of the same task keeps the first. */
    async record(taskId: string, push: TaskPush): Promise<void> {
      await db
        .insert(taskPushConfigs)
        .values({
          taskId,
          url: push.url,
          tokenSealed:
            push.token === undefined ? null : secrets.seal(push.token, sealContext(taskId)),
          operationId: push.operationId ?? null,
        })
        .onConflictDoNothing();
    },
    async find(taskId: string): Promise<TaskPush | undefined> {
      const [row] = await db
        .select()
        .from(taskPushConfigs)
        .where(eq(taskPushConfigs.taskId, taskId));
      if (!row) return undefined;
      return {
        url: row.url,
        ...(row.operationId !== null && { operationId: row.operationId }),
        ...(row.tokenSealed !== null && {
          token: secrets.open(row.tokenSealed, sealContext(taskId)),
        }),
      };
    },
    /** The task's notification was delivered: nothing is left to send for it. */
    async forget(taskId: string): Promise<void> {
      await db.delete(taskPushConfigs).where(eq(taskPushConfigs.taskId, taskId));
    },
    /**
     * Deletes up to `limit` configs recorded before `before`, oldest first (the retention job,
     * src/jobs/retention.ts): a task still undecided then is no longer notified (tasks_get still
     * answers it), and one whose notification was given up has nothing left to send. Answers
     * how many went.
     */
    async pruneBefore(before: Date, limit: number): Promise<number> {
      const old = db
        .select({ taskId: taskPushConfigs.taskId })
        .from(taskPushConfigs)
        .where(lt(taskPushConfigs.createdAt, before))
        .orderBy(asc(taskPushConfigs.createdAt))
        .limit(limit);
      const deleted = await db
        .delete(taskPushConfigs)
        .where(inArray(taskPushConfigs.taskId, old))
        .returning({ taskId: taskPushConfigs.taskId });
      return deleted.length;
    },
  };
}

export type TaskPushes = ReturnType<typeof createTaskPushes>;
