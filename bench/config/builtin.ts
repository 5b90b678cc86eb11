/** Built-in scenarios. `quick` is the default: a laptop-sized run that still answers the question. */
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
    description: "5 forced cold starts and 10 s of 4 concurrent clients per target: a first answer in a few minutes.",
    workload,
    cold: { samples: 5 },
    phases: [{ name: "steady", driver: "closed", concurrency: 4, durationSeconds: 10, warmupSeconds: 2 }],
  },
  standard: {
    name: "standard",
    description:
      "20 cold starts; a single client, 8 concurrent clients, and an open-loop 50 calls/s phase (latency from the intended send time) per target.",
    workload,
    cold: { samples: 20 },
    phases: [
      { name: "serial", driver: "closed", concurrency: 1, durationSeconds: 20, warmupSeconds: 3 },
      { name: "concurrent-c8", driver: "closed", concurrency: 8, durationSeconds: 30, warmupSeconds: 5 },
      { name: "open-50rps", driver: "open", ratePerSecond: 50, durationSeconds: 30, warmupSeconds: 5, maxInFlight: 64 },
    ],
  },
};

export const DEFAULT_SCENARIO = "quick";
