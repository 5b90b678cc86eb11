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
      "A first answer in under two minutes, per target, on MCP 2026-07-28 (stateless, no handshake): 5 forced cold starts, 4 s of one client at a time and 6 s of 4 concurrent clients with docker on as many replicas as Lambda ran environments (equal capacity); Lambda through its Function URL and through Invoke. " +
      "Left out compared to \"standard\": MCP 2025-11-25 (the initialize handshake: standard measures both generations and what the handshake costs a cold start), 20 cold starts instead of 5, 8 concurrent clients, the open-loop phase (latency from the intended send time), the traffic shapes (burst, sweep with its knee, ramp, maximum throughput, idle gaps), and longer phases.",
    protocol: ["2026-07-28"],
    workload,
    cold: { samples: 5 },
    docker: { replicas: "match-lambda" },
    phases: [
      // Short phases: the Function URL row (lambda.entry, both by default) must fit in quick's two minutes.
      { name: "serial", driver: "closed", concurrency: 1, durationSeconds: 4, warmupSeconds: 1 },
      { name: "matched-c4", driver: "closed", concurrency: 4, durationSeconds: 6, warmupSeconds: 1 },
    ],
  },
  standard: {
    name: "standard",
    description:
      "10 cold starts on each MCP generation (2025-11-25 with its initialize handshake, and 2026-07-28); 1 client on each generation; on 2025-11-25, 8 clients and an open loop at 50 calls/s per target, docker on as many replicas as Lambda ran environments (equal capacity); " +
      "then the shapes: a burst of 8 after 10 s idle, a sweep of 1–8 clients (the knee), a ramp of 10–50 calls/s, maximum throughput (autocannon: docker, process), idle gaps of 2, 8, 35 s against a 30 s emulator keep-alive (minutes, shortened).",
    protocol: ["2025-11-25", "2026-07-28"],
    workload,
    cold: { samples: 10 },
    docker: { replicas: "match-lambda" },
    // Shortened idle gaps need a shortened keep-alive: real Lambda keeps an idle environment for minutes.
    lambda: { backend: { type: "emulator", keepAliveMs: 30_000 } },
    phases: [
      // On both generations, one right after the other: warm calls per generation side by side ("serial@2026-07-28").
      { name: "serial", driver: "closed", concurrency: 1, durationSeconds: 10, warmupSeconds: 2, everyProtocol: true },
      // Before any phase scales Lambda out: the burst then meets one warm environment, as a spike after a quiet spell would.
      { name: "burst-8", driver: "burst", calls: 8, idleSeconds: 10 },
      { name: "concurrent-c8", driver: "closed", concurrency: 8, durationSeconds: 15, warmupSeconds: 3 },
      { name: "open-50rps", driver: "open", ratePerSecond: 50, durationSeconds: 15, warmupSeconds: 3, maxInFlight: 64 },
      // Load per row (core/scenario.ts phaseWallSeconds): serial twice, c8 and open 60 s; the shapes burst 10, sweep 24, ramp 12,
      // throughput 10, idle gaps 45: 161 s, ~10.5 min for four rows (lambda twice: Invoke and Function URL), plus 10 cold
      // starts per generation and row (~1.5 min) and provisioning: under 15 min here.
      { name: "sweep", driver: "sweep", levels: [1, 2, 4, 8], secondsPerLevel: 5, warmupSeconds: 1 },
      { name: "ramp", driver: "ramp", fromPerSecond: 10, toPerSecond: 50, steps: 3, secondsPerStep: 4, warmupSeconds: 0, maxInFlight: 64 },
      // autocannon on docker and process (Lambda has no HTTP endpoint: its ceiling is read from the open phase): 1 + 3 × 3 s.
      { name: "max-throughput", driver: "throughput", connections: [1, 4, 16], stepSeconds: 3, warmupSeconds: 1, p99BoundMs: 50 },
      // Last, so its reaping does not touch the other phases: 45 s per target; the 35 s gap outlasts the 30 s keep-alive.
      { name: "idle-gaps", driver: "idle-gap", gapsSeconds: [2, 8, 35] },
    ],
  },
  sporadic: {
    name: "sporadic",
    description:
      "An occasional bot command: after 3 cold starts, one call after idle gaps of 1, 5 and 15 minutes per target (about 21 min each; --idle-scale 0.02 makes it 25 s with the same proportions). " +
      "The emulator keeps an idle Lambda environment 10 minutes (real Lambda: minutes, undocumented); the container stays up (docker.idleTimeoutSeconds would scale it to zero). Ends with a verdict for this traffic.",
    traffic: "sporadic",
    targets: ["docker", "lambda"],
    workload,
    cold: { samples: 3 },
    phases: [{ name: "sporadic", driver: "idle-gap", gapsSeconds: [60, 300, 900] }],
  },
  steady: {
    name: "steady",
    description:
      "A steady agent fleet: constant open-loop traffic at 20 calls/s for an hour per target (--rate sets the rate, --duration shortens it: -d 120 for two minutes), docker on as many replicas as Lambda ran environments. Ends with a verdict for this traffic.",
    traffic: "steady",
    workload,
    cold: { samples: 3 },
    docker: { replicas: "match-lambda" },
    phases: [{ name: "steady", driver: "open", ratePerSecond: 20, durationSeconds: 3600, warmupSeconds: 10, maxInFlight: 32 }],
  },
};

export const DEFAULT_SCENARIO = "quick";
