/*
 * The slice of PQL (Publisher Query Language, developers.google.com/ad-manager/api/pqlreference)
 * the fake understands: `WHERE a = 'x' AND id > 5 AND id IN (1, 2) ORDER BY id ASC LIMIT n
 * OFFSET m`. Anything else is refused as a real server would refuse a bad statement.
 */

export interface Condition {
  field: string;
  op: '=' | '>' | '<' | '>=' | '<=' | 'IN' | '!=';
  values: string[];
}

export interface Statement {
  conditions: Condition[];
  limit: number;
  offset: number;
}

export class PqlError extends Error {}

export function parsePql(query: string): Statement {
  const m =
    /^\s*(?:WHERE\s+(.*?))?\s*(?:ORDER BY\s+(\w+)\s*(ASC|DESC)?)?\s*(?:LIMIT\s+(\d+))?\s*(?:OFFSET\s+(\d+))?\s*$/is.exec(
      query,
    );
  if (!m) throw new PqlError(`Cannot parse statement: ${query}`);
  const conditions = m[1] ? m[1].split(/\s+AND\s+/i).map(condition) : [];
  const limit = m[4] ? Number(m[4]) : 500;
  if (limit > 500) throw new PqlError('LIMIT above 500');
  return { conditions, limit, offset: m[5] ? Number(m[5]) : 0 };
}

function condition(text: string): Condition {
  const inMatch = /^(\w+)\s+IN\s*\((.*)\)$/i.exec(text.trim());
  if (inMatch) {
    return {
      field: inMatch[1]!,
      op: 'IN',
      values: inMatch[2]!
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
        .map(unquote),
    };
  }
  const m = /^(\w+)\s*(>=|<=|=|!=|>|<)\s*(.+)$/.exec(text.trim());
  if (!m) throw new PqlError(`Cannot parse condition: ${text}`);
  return { field: m[1]!, op: m[2] as Condition['op'], values: [unquote(m[3]!.trim())] };
}

function unquote(value: string): string {
  return /^'.*'$/.test(value) ? value.slice(1, -1).replace(/\\'/g, "'") : value;
}

/** Whether an object (its fields as strings) satisfies every condition. */
export function matches(record: Record<string, unknown>, conditions: Condition[]): boolean {
  return conditions.every((c) => {
    const raw = record[c.field];
    const value = raw === undefined || raw === null ? '' : String(raw);
    switch (c.op) {
      case '=':
        return value.toLowerCase() === c.values[0]!.toLowerCase();
      case '!=':
        return value.toLowerCase() !== c.values[0]!.toLowerCase();
      case '>':
        return Number(value) > Number(c.values[0]);
      case '<':
        return Number(value) < Number(c.values[0]);
      case '>=':
        return Number(value) >= Number(c.values[0]);
      case '<=':
        return Number(value) <= Number(c.values[0]);
      case 'IN':
        return c.values.includes(value);
    }
  });
}
