/**
 * How a service of N identical containers shares its clients: round-robin per connection, like a load
 * balancer in front of an ECS service with N tasks. Per connection, not per request: an MCP session
 * (Streamable HTTP, 2025-11-25) lives on the server that answered its initialize, so a balancer in
 * front of stateful MCP servers pins each session to one task (sticky sessions). C clients over K
 * replicas give every replica ⌊C/K⌋ or ⌈C/K⌉ of them.
 */
import { MATCH_LAMBDA_REPLICAS, MAX_DOCKER_REPLICAS } from "../../core/constants.js";
import { HarnessError } from "../../core/errors.js";

export class RoundRobinBalancer {
  #active: number;
  #next = 0;

  constructor(active = 1) {
    this.#active = checkedReplicaCount(active);
  }

  /** Replicas receiving new connections (the first `active` ones). */
  get active(): number {
    return this.#active;
  }

  /** Routes new connections to the first `count` replicas from now on, starting again at the first. */
  route(count: number): void {
    this.#active = checkedReplicaCount(count);
    this.#next = 0;
  }

  /** The replica (0-based) the next connection goes to. */
  pick(): number {
    const index = this.#next;
    this.#next = (index + 1) % this.#active;
    return index;
  }
}

/** `count` as a replica count, or a HarnessError naming the allowed range. */
export function checkedReplicaCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_DOCKER_REPLICAS) {
    throw new HarnessError("CONFIG_INVALID", `docker replicas must be a whole number from 1 to ${MAX_DOCKER_REPLICAS} (got ${count}).`, {
      hint: `Set docker.replicas between 1 and ${MAX_DOCKER_REPLICAS}, or "${MATCH_LAMBDA_REPLICAS}".`,
    });
  }
  return count;
}
