/**
 * Warnings are typed data (hyperfine's `Warnings` enum, not strings): the runner records what it saw,
 * reports/ turns each code into a sentence. A report can therefore group, filter or reword them
 * without parsing text.
 */
import { z } from "zod";

export const WARNING_CODES = [
  /** The 1-minute load average was high at the start. data: loadAverage, cores. */
  "machine_busy",
  /** Few cold-start samples per target. data: samples. */
  "few_cold_samples",
  /** A target ran on a lower-fidelity backend. target; data: backend. */
  "lower_fidelity",
  /** Load-phase calls hit a freshly initialised environment. target; data: calls. */
  "cold_env_calls",
  /**
   * A load phase asked for more CPU than the machine has: instances × their vCPU share plus the harness
   * (up to one core). target, phase; data: instances, vcpusEach, demandVcpus, cores.
   */
  "oversubscribed",
  /**
   * The process floor could not be put in a cgroup with the docker target's CPU cap, so it ran on the
   * whole machine. target; data: reason, cpus (what it could use).
   */
  "uncapped_floor",
  /** A warning from a schema-v1 file, kept as its text. data: message. */
  "legacy_text",
] as const;
export const warningCodeSchema = z.enum(WARNING_CODES);
export type WarningCode = z.infer<typeof warningCodeSchema>;

export const warningSchema = z
  .object({
    code: warningCodeSchema,
    severity: z.enum(["info", "warning"]),
    target: z.string().optional(),
    phase: z.string().optional(),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  })
  .strict();
export type Warning = z.infer<typeof warningSchema>;
