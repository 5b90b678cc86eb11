import type { PhaseConfig } from "../../core/scenario.js";

export type ClosedPhase = Extract<PhaseConfig, { driver: "closed" }>;
export type OpenPhase = Extract<PhaseConfig, { driver: "open" }>;
export type IdleGapPhase = Extract<PhaseConfig, { driver: "idle-gap" }>;
export type BurstPhase = Extract<PhaseConfig, { driver: "burst" }>;
export type SweepPhase = Extract<PhaseConfig, { driver: "sweep" }>;
export type RampPhase = Extract<PhaseConfig, { driver: "ramp" }>;
export type ThroughputPhase = Extract<PhaseConfig, { driver: "throughput" }>;
