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
      "A first answer in a few minutes, per target: 5 cold starts on each MCP generation (what the handshake costs), then on MCP 2026-07-28 5 s of one client and 10 s of 4 clients, docker on as many replicas as Lambda environments (equal capacity). " +
      "Left out compared to \"standard\": 20 cold starts, 8 clients, the open-loop phase, longer phases, and load phases on MCP 2025-11-25 (its cold starts only).",
    protocol: ["2026-07-28", "2025-11-25"],
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
      "20 cold starts on each MCP generation (2025-11-25 with its initialize handshake, and 2026-07-28); a single client, 8 concurrent clients, and an open-loop 50 calls/s phase (latency from the intended send time) per target on MCP 2025-11-25, docker on as many replicas as Lambda ran environments in each phase (equal capacity).",
    protocol: ["2025-11-25", "2026-07-28"],
    workload,
    cold: { samples: 20 },
    docker: { replicas: "match-lambda" },
    phases: [
      { name: "serial", driver: "closed", concurrency: 1, durationSeconds: 20, warmupSeconds: 3 },
      { name: "concurrent-c8", driver: "closed", concurrency: 8, durationSeconds: 30, warmupSeconds: 5 },
      { name: "open-50rps", driver: "open", ratePerSecond: 50, durationSeconds: 30, warmupSeconds: 5, maxInFlight: 64 },
    ],
  },
};

export const DEFAULT_SCENARIO = "quick";
