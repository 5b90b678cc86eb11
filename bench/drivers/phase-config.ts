import type { PhaseConfig } from "../config/schema.js";

export type ClosedPhase = Extract<PhaseConfig, { driver: "closed" }>;
export type OpenPhase = Extract<PhaseConfig, { driver: "open" }>;
