/**
 * A named flow between modules that need each other on requests: a storefront going live asks
 * readiness, which reads the storefront; a source connected asks compliance, which reads the
 * source. The callers are built first and receive the flow's asking side at construction; the
 * owner, built over them, is named once, in the expression that builds it (`ownedBy`). Nothing
 * else binds a flow, and `assertFlowsOwned` fails the start when one was left without its
 * owner, so no request ever meets an unbound flow. The modules stay unaware of each other's
 * order: each sees a port (its deps), the wiring sees a list.
 */
/**
 * What a flow joins: two modules a user's request runs through both ways (a run-time cycle,
 * counted by `npm run structure`; a user action across them belongs above both instead), or a
 * service and the job that runs its work on the queue.
 */
export type FlowBetween = 'modules' | 'service and job';

export interface Flow<Port> {
  readonly name: string;
  readonly between: FlowBetween;
  /** Names the owner as it is built and returns it; a second owner is a wiring fault. */
  ownedBy<Owner extends Port>(owner: Owner): Owner;
  /** The owner; asking a flow before its owner was built is a wiring fault. */
  owner(): Port;
  readonly owned: boolean;
}

export function createFlow<Port>(name: string, between: FlowBetween): Flow<Port> {
  let bound: Port | undefined;
  return {
    name,
    between,
    ownedBy(owner) {
      if (bound !== undefined) throw new Error(`flow "${name}" already has its owner`);
      bound = owner;
      return owner;
    },
    owner() {
      if (bound === undefined) throw new Error(`flow "${name}" asked before its owner was built`);
      return bound;
    },
    get owned() {
      return bound !== undefined;
    },
  };
}

/** Fails the composition when a flow has no owner (a module left out of the list). */
export function assertFlowsOwned(flows: Record<string, { name: string; owned: boolean }>): void {
  const unowned = Object.values(flows).filter((f) => !f.owned);
  if (unowned.length > 0) {
    throw new Error(`flows without an owner: ${unowned.map((f) => f.name).join(', ')}`);
  }
}
