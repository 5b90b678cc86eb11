/**
 * Built-in scenarios. `quick` is the default: a laptop-sized run that still answers the question — its
 * headline is a per-tool verdict on equal capacity (docker replicas matched to Lambda's environments).
 */
import type { ScenarioInput } from "../../core/scenario.js";

const workload: ScenarioInput["workload"] = [
  { tool: "echo", arguments: { text: "hello from mcp-deploy-bench" }, weight: 4 },
  { tool: "cpu", arguments: { rounds: 2000 }, weight: 2 },
  { tool: "io", arguments: { delayMs: 20 }, weight: 2 },
  { tool: "payload", arguments: { sizeBytes: 16_384 }, weight: 1 },
];

export const BUILTIN_SCENARIOS: Readonly<Record<string, ScenarioInput>> = {
  quick: {
    name: "quick",
    description:
      "A first answer in a few minutes: 5 forced cold starts, 5 s of one client at a time, and 10 s of 4 concurrent clients with docker on as many replicas as Lambda ran environments (equal capacity), per target. " +
      "Left out compared to \"standard\": 20 cold starts instead of 5, 8 concurrent clients, the open-loop phase (latency from the intended send time), and longer phases.",
    workload,
    cold: { samples: 5 },
    docker: { replicas: "match-lambda" },
    phases: [
      { name: "serial", driver: "closed", concurrency: 1, durationSeconds: 5, warmupSeconds: 1 },
      { name: "matched-c4", driver: "closed", concurrency: 4, durationSeconds: 10, warmupSeconds: 2 },
    ],
  },
  standard: {
    name: "standard",
    description:
      "20 cold starts; a single client, 8 concurrent clients, and an open-loop 50 calls/s phase (latency from the intended send time) per target, docker on as many replicas as Lambda ran environments in each phase (equal capacity); " +
      "shapes on docker's fixed container: a burst of 8 calls after 10 s idle, a sweep of 1–8 clients (the knee), a ramp of 10–50 calls/s in 3 steps.",
    workload,
    cold: { samples: 20 },
    docker: { replicas: "match-lambda" },
    phases: [
      { name: "serial", driver: "closed", concurrency: 1, durationSeconds: 20, warmupSeconds: 3 },
      // Before any phase scales Lambda out: the burst then meets one warm environment, as a spike after a quiet spell would.
      { name: "burst-8", driver: "burst", calls: 8, idleSeconds: 10 },
      { name: "concurrent-c8", driver: "closed", concurrency: 8, durationSeconds: 30, warmupSeconds: 5 },
      { name: "open-50rps", driver: "open", ratePerSecond: 50, durationSeconds: 30, warmupSeconds: 5, maxInFlight: 64 },
      // The shapes (burst-8, sweep, ramp) add 10 + 24 + 15 = 49 s of load per target (core/scenario.ts phaseWallSeconds),
      // ~2.5 min for three targets: with the other phases' 93 s, ~7 min of load, plus cold starts and provisioning, under 15 min here.
      { name: "sweep", driver: "sweep", levels: [1, 2, 4, 8], secondsPerLevel: 5, warmupSeconds: 1 },
      { name: "ramp", driver: "ramp", fromPerSecond: 10, toPerSecond: 50, steps: 3, secondsPerStep: 5, warmupSeconds: 0, maxInFlight: 64 },
    ],
  },
};

export const DEFAULT_SCENARIO = "quick";
