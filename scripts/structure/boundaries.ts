/**
 * Imports one part of src/ must not make (issue 68, item 5): `npm run structure` fails on each.
 * A buy's steps (src/agents/merchandising/buys/) describe products through the source port
 * (buys/describe/), never through get_products' composition (products/composition.ts): a buy
 * that re-ran the storefront's whole discovery would ask every source again, and the buy path
 * would grow back into the product path. Reached through another file counts too (a narrow port
 * in between is the way round, not a file that re-exports it).
 */
export interface Boundary {
  /** Files under this folder… */
  from: string;
  /** …must not reach this file, directly or through other files (type-only imports included). */
  to: string;
  why: string;
}

export const boundaries: Boundary[] = [
  {
    from: 'src/agents/merchandising/buys/',
    to: 'src/agents/merchandising/products/composition.ts',
    why: 'a buy describes its packages once through the source port (buys/describe/)',
  },
];

/** Each boundary crossed: the first file under `from` that reaches `to`, and the path it takes. */
export function crossings(graph: Map<string, Set<string>>, rules = boundaries): string[] {
  const found: string[] = [];
  for (const rule of rules) {
    for (const file of [...graph.keys()].filter((f) => f.startsWith(rule.from)).sort()) {
      const path = pathBetween(graph, file, rule.to);
      if (path) found.push(`${path.join(' -> ')} (${rule.why})`);
    }
  }
  return found;
}

/** The shortest import path from `start` to `goal`, breadth first; undefined when none. */
function pathBetween(
  graph: Map<string, Set<string>>,
  start: string,
  goal: string,
): string[] | undefined {
  const cameFrom = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (file === goal) {
      const path = [file];
      for (let at = cameFrom.get(file); at; at = cameFrom.get(at)) path.unshift(at);
      return path;
    }
    for (const next of graph.get(file) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}
