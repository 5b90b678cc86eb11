import { describe, expect, it } from "vitest";
import { isHarnessError } from "../../core/errors.js";
import { MAX_DOCKER_REPLICAS } from "../../core/constants.js";
import { checkedReplicaCount, RoundRobinBalancer } from "./replica-balancer.js";

function spread(balancer: RoundRobinBalancer, connections: number): number[] {
  const counts = Array.from({ length: balancer.active }, () => 0);
  for (let index = 0; index < connections; index++) {
    const replica = balancer.pick();
    counts[replica] = (counts[replica] ?? 0) + 1;
  }
  return counts;
}

describe("RoundRobinBalancer", () => {
  it("spreads connections evenly: every replica gets ⌊C/K⌋ or ⌈C/K⌉", () => {
    expect(spread(new RoundRobinBalancer(3), 9)).toEqual([3, 3, 3]);
    expect(spread(new RoundRobinBalancer(4), 4)).toEqual([1, 1, 1, 1]);
    expect(spread(new RoundRobinBalancer(3), 7)).toEqual([3, 2, 2]);
    expect(spread(new RoundRobinBalancer(1), 5)).toEqual([5]);
  });

  it("routes to the first K replicas after route(K), starting again at the first", () => {
    const balancer = new RoundRobinBalancer(4);
    expect([balancer.pick(), balancer.pick(), balancer.pick()]).toEqual([0, 1, 2]);
    balancer.route(2);
    expect(spread(balancer, 4)).toEqual([2, 2]);
    balancer.route(1);
    expect(spread(balancer, 3)).toEqual([3]);
    balancer.route(4);
    expect(spread(balancer, 8)).toEqual([2, 2, 2, 2]);
  });

  it("refuses replica counts outside 1–MAX with a CONFIG_INVALID error naming the range", () => {
    for (const bad of [0, -1, 1.5, MAX_DOCKER_REPLICAS + 1]) {
      let caught: unknown;
      try {
        checkedReplicaCount(bad);
      } catch (error) {
        caught = error;
      }
      expect(isHarnessError(caught) && caught.code === "CONFIG_INVALID").toBe(true);
      expect(String(caught)).toMatch(new RegExp(`from 1 to ${MAX_DOCKER_REPLICAS}`));
    }
    expect(() => new RoundRobinBalancer(0)).toThrow(/docker replicas/);
  });
});
