import type { PhaseConfig } from "../../core/scenario.js";

export type ClosedPhase = Extract<PhaseConfig, { driver: "closed" }>;
export type OpenPhase = Extract<PhaseConfig, { driver: "open" }>;
export type ThroughputPhase = Extract<PhaseConfig, { driver: "throughput" }>;
