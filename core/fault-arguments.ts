/**
 * The input of the fixture's `fault` tool, declared once: the scenario validates workloads with it and
 * the fixture server registers it as the tool's input schema. A module of its own so the fixture bundle
 * (containers, Lambda zip) carries only this, not the scenario schema.
 */
import { z } from "zod";
import { FIXTURE_FAULT_KINDS, FIXTURE_FAULT_LIMITS } from "./constants.js";

/** The fixture's `fault` tool input (its input schema too): which fault, how long a hang, how much an oom allocates. */
export const faultArgumentsShape = {
  kind: z.enum(FIXTURE_FAULT_KINDS),
  hangMs: z.number().int().min(0).max(FIXTURE_FAULT_LIMITS.hangMs).optional(),
  /** Required for `oom`: more than the instance's memory limit, to be killed. */
  allocateMb: z.number().int().min(1).max(FIXTURE_FAULT_LIMITS.allocateMb).optional(),
};
export type FaultArguments = z.infer<z.ZodObject<typeof faultArgumentsShape>>;
