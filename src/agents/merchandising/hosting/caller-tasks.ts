import type { AccountStore, TaskRecord, TaskRegistry } from '@adcp/sdk/server';
import type { AccountReference } from '@adcp/sdk/types';
import {
  type adcp31Schemas,
  type CallerTasks,
  type TaskQuery,
  taskKinds,
} from '../../adcp31/index.js';
import type { PgQueryable } from '../../../platform/db/database.js';
import type { AccountMeta } from '../adcp.js';
import { callerScope } from '../caller.js';
import { scopedTaskId, taskIdOfStored } from './task-registry.js';

/** The SDK's PostgreSQL task registry's table (runtime.ts creates the registry over it). */
export const taskTable = 'adcp_decisioning_tasks';

type AccountResolver = Pick<AccountStore<AccountMeta>, 'resolve'>;

/**
 * The calling buyer's tasks on this storefront, for get_task_status and list_tasks, scoped as
 * tasks_get scopes them (platform.ts, task-registry.ts): every task's account id is
 * `{callerScope}/{account id}`, so a task is the caller's when its account id starts with the
 * caller's scope, and is under a named account when it equals that account's resolved id. Reads
 * the SDK registry's table directly for lists (the registry reads one task at a time); the SDK
 * owns and migrates that table (migrations/0006).
 */
export function callerTasks(deps: {
  registry: Pick<TaskRegistry, 'getTask'>;
  accounts: AccountResolver;
  queryable: PgQueryable;
}): CallerTasks {
  const { registry, accounts, queryable } = deps;

  /** The account ids a task may have to be the caller's (and the named account's). */
  async function ownership(account: adcp31Schemas.AccountRef | undefined, toolName: string) {
    const scope = callerScope();
    if (!account) return { scope, exact: undefined };
    // The caller's own store resolves a reference into the caller's scope, whoever it names.
    const resolved = await accounts.resolve(account as AccountReference, { toolName });
    // No such account: an id no task has, so nothing is found.
    return { scope, exact: resolved?.id ?? '' };
  }

  return {
    async find(taskId, account) {
      const { scope, exact } = await ownership(account, 'get_task_status');
      const record = await registry.getTask(taskId);
      if (!record) return undefined;
      const mine =
        exact === undefined ? record.accountId.startsWith(`${scope}/`) : record.accountId === exact;
      return mine ? record : undefined;
    },
    async list(query) {
      const { scope, exact } = await ownership(query.account, 'list_tasks');
      const where = whereOf(query, scope, exact);
      const pageValues = [...where.values];
      const order = orderOf(query, pageValues);
      const limit = `$${pageValues.push(query.limit)}::int`;
      const offset = `$${pageValues.push(query.offset)}::int`;
      const [counted, paged] = await Promise.all([
        queryable.query(
          `SELECT tool, status, count(*)::int AS count FROM ${taskTable} WHERE ${where.sql} GROUP BY tool, status`,
          where.values,
        ),
        queryable.query(
          `SELECT task_id, tool, account_id, status, status_message, error, progress, has_webhook, created_at, updated_at
             FROM ${taskTable} WHERE ${where.sql}
             ORDER BY ${order}
             LIMIT ${limit} OFFSET ${offset}`,
          pageValues,
        ),
      ]);
      return {
        counts: counted.rows.map((row) => ({
          tool: String(row['tool']),
          status: String(row['status']),
          count: Number(row['count']),
        })),
        tasks: paged.rows.map((row) => recordOf(row, scope)),
      };
    },
  };
}

/** The WHERE clause of a query over the caller's tasks, with its parameters. */
function whereOf(query: TaskQuery, scope: string, exact: string | undefined) {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const clauses = [
    exact === undefined
      ? `account_id LIKE ${param(`${likeEscaped(scope)}/%`)} ESCAPE '\\'`
      : `account_id = ${param(exact)}`,
    `tool = ANY(${param(query.tools)}::text[])`,
  ];
  if (query.statuses) clauses.push(`status = ANY(${param(query.statuses)}::text[])`);
  if (query.taskIds) {
    const stored = query.taskIds.flatMap((id) => [id, scopedTaskId(scope, id)]);
    clauses.push(`task_id = ANY(${param(stored)}::text[])`);
  }
  if (query.createdAfter) clauses.push(`created_at > ${param(query.createdAfter)}::timestamptz`);
  if (query.createdBefore) clauses.push(`created_at < ${param(query.createdBefore)}::timestamptz`);
  if (query.updatedAfter) clauses.push(`updated_at > ${param(query.updatedAfter)}::timestamptz`);
  if (query.updatedBefore) clauses.push(`updated_at < ${param(query.updatedBefore)}::timestamptz`);
  if (query.contextContains) {
    const text = `%${likeEscaped(query.contextContains)}%`;
    clauses.push(`result::text ILIKE ${param(text)} ESCAPE '\\'`);
  }
  if (query.hasWebhook !== undefined) clauses.push(`has_webhook = ${param(query.hasWebhook)}`);
  return { sql: clauses.join(' AND '), values };
}

/** ORDER BY for the query's sort, ties broken by task id so pages never overlap. */
function orderOf(query: TaskQuery, values: unknown[]): string {
  const direction = query.sort.direction === 'asc' ? 'ASC' : 'DESC';
  const param = (value: unknown) => `$${values.push(value)}`;
  // A task's type and protocol follow from its tool (adcp31's taskKinds), spelled out in SQL:
  // the arms where the value differs from the ELSE's (the tool itself, or media-buy).
  const caseOf = (pick: (kind: (typeof taskKinds)[number]) => string, usual?: string) => {
    const arms = taskKinds
      .filter((kind) => pick(kind) !== (usual ?? kind.tool))
      .map((kind) => `WHEN ${param(kind.tool)}::text THEN ${param(pick(kind))}::text`);
    const otherwise = usual === undefined ? 'tool' : `${param(usual)}::text`;
    return arms.length === 0 ? otherwise : `CASE tool ${arms.join(' ')} ELSE ${otherwise} END`;
  };
  // Built only for the field sorted on: every CASE pushes its parameters, and a parameter the
  // SQL does not use has no type PostgreSQL can determine.
  const keys: Record<TaskQuery['sort']['field'], () => string> = {
    created_at: () => 'created_at',
    updated_at: () => 'updated_at',
    status: () => 'status',
    task_type: () => caseOf((kind) => kind.type),
    protocol: () => caseOf((kind) => kind.protocol, 'media-buy'),
  };
  const key = keys[query.sort.field]();
  return `${key} ${direction}, task_id ${direction}`;
}

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A row as the registry reads one (postgres-task-registry's rowToRecord), its id as known. */
function recordOf(row: Record<string, unknown>, scope: string): TaskRecord {
  const present = (value: unknown) => value !== null && value !== undefined;
  return {
    taskId: taskIdOfStored(String(row['task_id']), scope),
    tool: String(row['tool']),
    accountId: String(row['account_id']),
    status: row['status'] as TaskRecord['status'],
    ...(present(row['status_message']) && { statusMessage: String(row['status_message']) }),
    ...(present(row['error']) && { error: row['error'] as NonNullable<TaskRecord['error']> }),
    ...(present(row['progress']) && {
      progress: row['progress'] as NonNullable<TaskRecord['progress']>,
    }),
    ...(row['has_webhook'] === true && { hasWebhook: true }),
    createdAt: (row['created_at'] as Date).toISOString(),
    updatedAt: (row['updated_at'] as Date).toISOString(),
  };
}
